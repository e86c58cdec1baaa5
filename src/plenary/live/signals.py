"""Signals of the live session that apps connect to.

``floor_changed`` is sent by the app that keeps the floor (``plenary.floor``)
after commit whenever who may be heard changes (floor given, ended, muted,
unmuted; session opened, suspended, closed; someone joined a call). Keyword arguments:
``session_id: int``, ``speaker_user_id: int | None`` and
``unmuted_user_ids: frozenset[int]`` (the floor holder unless muted, the
presiding officer and the room operators; in a small call everyone taking
part) and ``stage_user_ids: frozenset[int]`` (whose camera may be seen). The
media app moderates the audio bridge and the stage with it; the speech plane
follows the session's status.

``booth_changed`` is sent by the interpretation app after commit when a
booth's interpreter on air changes (someone goes on air, hands over, leaves
the air). Keyword arguments: ``session_id: int``, ``language: str`` (the
booth's) and ``on_air: bool`` (an interpreter is on air, their cough key
down or not). The speech plane captions each booth on air.
"""

from django.dispatch import Signal

floor_changed = Signal()
booth_changed = Signal()
