"""Build attendance facts for counting tests, with explicit times."""

from __future__ import annotations

import datetime as dt
from typing import Any

from plenary.accounts.models import User
from plenary.floor.models import AttendanceRecord
from plenary.meetings.models import Session


def fact(
    user: User,
    session: Session,
    kind: str = AttendanceRecord.Kind.JOIN,
    attendance: str = "remote",
    at: dt.datetime | None = None,
    **fields: Any,
) -> AttendanceRecord:
    """One fact, copying the entity as ``record_attendance`` does, at ``at`` (session start)."""
    entity = fields.pop("entity", user.entity)
    defaults: dict[str, Any] = {
        "entity": entity,
        "entity_country": entity.country if entity else "",
        "entity_region": entity.region if entity else "",
        "entity_category": entity.category if entity else "",
    }
    defaults.update(fields)
    return AttendanceRecord.objects.create(
        user=user,
        session=session,
        meeting_id=session.meeting_id,
        kind=kind,
        attendance=attendance,
        at=at or session.starts_at,
        **defaults,
    )
