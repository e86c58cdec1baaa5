"""Attendance facts: the one entry point other apps call to record them.

Joins and leaves come from the session socket (``plenary.live.services``);
the media app records channel switches; floor grants and ends come from the
floor services. Statistics query ``AttendanceRecord`` and nothing else.
"""

from __future__ import annotations

import re
from typing import Any

from plenary.accounts.models import Entity
from plenary.live.models import AttendanceRecord, DeviceClass
from plenary.meetings.models import Session

_PHONE = re.compile(r"iPhone|Android.+Mobile|Mobile Safari|Windows Phone|Mobi", re.IGNORECASE)
_TABLET = re.compile(r"iPad|Tablet|Android(?!.+Mobile)|Silk|Kindle", re.IGNORECASE)
_ROOM = re.compile(r"PlenaryRoom|CrestronApp|Zoom Rooms|RoomSystem", re.IGNORECASE)


def device_class_for(hello: str | None, user_agent: str) -> str:
    """The device class the client announced (if valid), else a guess from its user agent."""
    if hello in DeviceClass.values:
        return str(hello)
    if _ROOM.search(user_agent):
        return DeviceClass.ROOM_SYSTEM
    if _TABLET.search(user_agent) and not _PHONE.search(user_agent.replace("Mobile/", "")):
        return DeviceClass.TABLET
    if _PHONE.search(user_agent):
        return DeviceClass.PHONE
    return DeviceClass.DESKTOP


def record_attendance(
    *,
    user: Any,
    session: Session,
    kind: str,
    attendance: str,
    device_class: str = "",
    entity: Entity | None = None,
    channel: str = "",
    language: str = "",
    connection: str = "",
) -> AttendanceRecord:
    """Append one attendance fact; ``entity`` defaults to the one the user represents.

    ``kind`` is an ``AttendanceRecord.Kind``; channel switches give ``channel``
    (e.g. ``"floor"`` or a booth) and ``language``. The entity's country,
    region and category are copied as they are now.
    """
    if kind not in AttendanceRecord.Kind.values:
        raise ValueError(f"unknown attendance kind {kind!r}")
    entity = entity if entity is not None else getattr(user, "entity", None)
    return AttendanceRecord.objects.create(
        user=user,
        session=session,
        meeting_id=session.meeting_id,
        kind=kind,
        attendance=attendance,
        device_class=device_class,
        channel=channel,
        language=language,
        connection=connection,
        entity=entity,
        entity_country=entity.country if entity else "",
        entity_region=entity.region if entity else "",
        entity_category=entity.category if entity else "",
    )
