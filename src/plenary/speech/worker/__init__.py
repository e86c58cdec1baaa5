"""``plenary speech-worker``: captions channels whose audio Janus forwards by RTP.

A worker is a separate process (recognition would block the web server's
event loop), a client of the control plane: :mod:`.client` keeps the
authenticated socket, :mod:`.runner` captions one assigned stream per thread.
"""
