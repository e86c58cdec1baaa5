"""Signals other apps connect to (the media app moderates the AudioBridge with it)."""

from django.dispatch import Signal

# Sent after commit whenever who may be heard changes (floor given, ended,
# muted, unmuted; session opened, suspended, closed). Keyword arguments:
# ``session_id: int``, ``speaker_user_id: int | None`` and
# ``unmuted_user_ids: frozenset[int]`` (the floor holder unless muted, the
# presiding officer and the room operators).
floor_changed = Signal()
