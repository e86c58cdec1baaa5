"""Build attendance facts for counting tests, with explicit times."""

from __future__ import annotations

import datetime as dt
from typing import Any

from plenary.accounts.models import User
from plenary.live.attendance import record_attendance
from plenary.live.models import AttendanceRecord
from plenary.meetings.models import Session


def fact(
    user: User,
    session: Session,
    kind: str = AttendanceRecord.Kind.JOIN,
    attendance: str = "remote",
    at: dt.datetime | None = None,
    **fields: Any,
) -> AttendanceRecord:
    """One fact as the live session records it (``record_attendance``: the entity's
    country, region and category copied), dated ``at`` (default: the session's start).
    ``fields`` are ``record_attendance``'s: entity, channel, language, connection,
    device_class."""
    record = record_attendance(
        user=user, session=session, kind=kind, attendance=attendance, **fields
    )
    record.at = at or session.starts_at
    record.save(update_fields=["at"])
    return record
