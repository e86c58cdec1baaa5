"""Signals of the speech plane that other apps connect to."""

from django.dispatch import Signal

# Sent after commit when what the media plane sends to a caption stream's
# worker, or takes from it (its AI voices), may have changed: a stream
# started, was assigned, became ready, was released or stopped. Keyword
# argument: ``stream_id: int``. Routing a voice (``do_route_voice``), the
# media plane's own answer, does not send it.
stream_audio_changed = Signal()
