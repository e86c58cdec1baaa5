"""Group names of a live session and the shape of the events sent to them.

Every app that publishes to a session's sockets uses these helpers and
``plenary.core.events.publish`` (after commit); the session consumer forwards
any ``live.event`` message it receives to its client unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from plenary.core.events import publish

PROTOCOL_VERSION = 1


def session_group(session_id: int) -> str:
    """Every socket of the session, the public room screen included."""
    return f"session-{session_id}"


def staff_group(session_id: int) -> str:
    """Chair, vice-chairs, secretariat and room operators of the session."""
    return f"session-{session_id}-staff"


def user_group(session_id: int, user_id: int) -> str:
    """All the tabs one person has open in the session."""
    return f"session-{session_id}-user-{user_id}"


def iso(moment: dt.datetime | None = None) -> str:
    return (moment or timezone.now()).isoformat()


def event(type_: str, **fields: Any) -> dict[str, Any]:
    """A protocol message ``{"v": 1, "type": type_, ...fields}``."""
    return {"v": PROTOCOL_VERSION, "type": type_, **fields}


def error_event(code: str, message: str, ref: str | None = None) -> dict[str, Any]:
    """The reply to a refused or invalid command; ``ref`` echoes the command's ``id``."""
    return event("error", code=code, message=message, ref=ref)


def publish_to_session(session_id: int, payload: dict[str, Any]) -> None:
    publish(session_group(session_id), payload)


def publish_to_staff(session_id: int, payload: dict[str, Any]) -> None:
    publish(staff_group(session_id), payload)


def publish_to_user(session_id: int, user_id: int, payload: dict[str, Any]) -> None:
    publish(user_group(session_id, user_id), payload)
