"""Adapter to the Janus WebRTC server (STYLE.md §6).

``client`` speaks Janus's WebSocket API, ``config``/``process`` run an
embedded Janus as a child process, and ``plenary.media.rooms`` maps sessions to
Janus objects. A second media engine would be a sibling package, not an edit
everywhere.
"""
