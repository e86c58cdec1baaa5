"""What the live apps may read of the floor, without importing the app that keeps it.

The floor (``plenary.floor``) is a domain app like media and speech; those
need to know whether a session is open, who may be heard and who held the
floor at a moment. The kernel defines that reading as a typed interface, the
floor app provides it at start-up (``provide``), and other apps ask
``floor()``. Changes arrive with ``plenary.live.signals.floor_changed``.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class FloorReader(Protocol):
    def status(self, session_id: int) -> str:
        """``"scheduled"``, ``"open"``, ``"suspended"`` or ``"closed"``."""

    def open_session_ids(self) -> list[int]:
        """The sessions whose floor is open now."""

    def heard(self, session_id: int) -> frozenset[int]:
        """Who the floor's audio room may let be heard now (user ids)."""

    def stage(self, session_id: int) -> frozenset[int]:
        """Whose camera may be seen now (user ids)."""

    def speaker_at(self, session_id: int, moment: dt.datetime) -> tuple[int | None, str]:
        """Who held the floor at ``moment``: user id and name, or ``(None, "")``."""


_provided: dict[str, FloorReader] = {}


def provide(reader: FloorReader) -> None:
    """Called once by the floor app's ``ready``."""
    _provided["floor"] = reader


def floor() -> FloorReader:
    try:
        return _provided["floor"]
    except KeyError:
        raise RuntimeError("no app provides the floor (is plenary.floor installed?)") from None
