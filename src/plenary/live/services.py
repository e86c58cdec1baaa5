"""The kernel's business operations: a socket joins and leaves a session.

A socket that opens is looked up against the session and the person's
``Standing``; it is given the groups to join and its first message, the
``snapshot``. Participants are counted present (``Presence``) and their joins
and leaves become attendance facts. Apps add their part of the snapshot with
``snapshot_part`` (the floor adds its state and version).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.core.errors import NotFoundRefusal
from plenary.live.attendance import device_class_for, record_attendance
from plenary.live.events import (
    event,
    iso,
    publish_to_staff,
    session_group,
    staff_group,
    user_group,
)
from plenary.live.models import AttendanceRecord, Presence
from plenary.live.standing import Standing, display_name, standing_for
from plenary.meetings.models import Meeting, Session

# A socket that has not pinged for this long belongs to a server that died.
PRESENCE_TIMEOUT = dt.timedelta(seconds=120)

SnapshotPart = Callable[[Session, Standing], dict[str, Any]]
_snapshot_parts: list[SnapshotPart] = []


def snapshot_part(part: SnapshotPart) -> SnapshotPart:
    """Register ``part``: fields an app adds to every snapshot, as the standing may see them."""
    if part not in _snapshot_parts:
        _snapshot_parts.append(part)
    return part


def get_session(session_id: int) -> Session:
    """The session with its meeting; ``NotFoundRefusal`` if there is none."""
    try:
        return Session.objects.select_related("meeting").get(pk=session_id)
    except Session.DoesNotExist:
        raise NotFoundRefusal(_("This session does not exist.")) from None


def _presence_json(presence: Presence, name: str) -> dict[str, Any]:
    return {
        "connection": presence.connection,
        "user_id": presence.user_id,
        "name": name,
        "attendance": presence.attendance,
        "device_class": presence.device_class,
        "quality": presence.quality,
    }


def snapshot(session: Session, standing: Standing) -> dict[str, Any]:
    """Everything a client needs to draw the session, as ``standing`` may see it."""
    presence = None
    if standing.is_staff:
        presence = [
            _presence_json(row, display_name(row.user))
            for row in Presence.objects.filter(session=session).select_related("user")
        ]
    fields: dict[str, Any] = {}
    for part in _snapshot_parts:
        fields.update(part(session, standing))
    return event(
        "snapshot",
        server_time=iso(),
        session={
            "id": session.pk,
            "title": session.title,
            "meeting": session.meeting.title,
            "remote_right": session.remote_right,
        },
        you=standing.as_json(),
        presence=presence,
        **fields,
    )


@dataclass(frozen=True)
class Connection:
    """What the consumer needs after connecting: groups to join and the first message."""

    groups: list[str]
    snapshot: dict[str, Any]
    participant: bool


def _visible(session: Session, standing: Standing) -> bool:
    return standing.is_participant or session.meeting.status == Meeting.Status.PUBLISHED


def _leave(presence: Presence, at: dt.datetime | None = None) -> None:
    """Delete one presence, record the leave and tell the staff. Inside a transaction."""
    presence.delete()
    fact = record_attendance(
        user=presence.user,
        session=presence.session,
        kind=AttendanceRecord.Kind.LEAVE,
        attendance=presence.attendance,
        device_class=presence.device_class,
        connection=presence.connection,
    )
    if at is not None:
        AttendanceRecord.objects.filter(pk=fact.pk).update(at=at)
    publish_to_staff(presence.session_id, event("presence.left", connection=presence.connection))


def prune_stale_presence(session: Session) -> int:
    """Close the presences of sockets whose server died (no ping for ``PRESENCE_TIMEOUT``)."""
    stale = Presence.objects.filter(
        session=session, seen_at__lt=timezone.now() - PRESENCE_TIMEOUT
    ).select_related("user__entity", "session")
    count = 0
    for presence in stale:
        _leave(presence, at=presence.seen_at)
        count += 1
    return count


def do_connect(
    user: Any, session_id: int, connection: str, device_hello: str | None, user_agent: str
) -> Connection:
    """A socket opens: join the groups, mark presence, record the join, build the snapshot.

    Anyone may watch a published meeting's session (the public room screen);
    only participants are counted present.
    """
    with transaction.atomic():
        session = get_session(session_id)
        standing = standing_for(user, session)
        if not _visible(session, standing):
            raise NotFoundRefusal(_("This session does not exist."))
        groups = [session_group(session.pk)]
        if standing.user_id is not None:
            groups.append(user_group(session.pk, standing.user_id))
        if standing.is_staff:
            groups.append(staff_group(session.pk))
        if standing.is_participant:
            prune_stale_presence(session)
            presence = Presence.objects.create(
                session=session,
                user=user,
                connection=connection,
                attendance=standing.attendance,
                device_class=device_class_for(device_hello, user_agent),
            )
            record_attendance(
                user=user,
                session=session,
                kind=AttendanceRecord.Kind.JOIN,
                attendance=presence.attendance,
                device_class=presence.device_class,
                entity=standing.entity,
                connection=connection,
            )
            publish_to_staff(
                session.pk, event("presence.joined", **_presence_json(presence, standing.name))
            )
        return Connection(groups, snapshot(session, standing), standing.is_participant)


def do_disconnect(connection: str) -> None:
    """A socket closed: end its presence (idempotent)."""
    with transaction.atomic():
        presence = (
            Presence.objects.select_related("user__entity", "session")
            .filter(connection=connection)
            .first()
        )
        if presence is not None:
            _leave(presence)


def do_report_quality(connection: str, quality: str) -> None:
    """A participant's page measured its connection: kept with the presence, and the
    staff are told when it changed."""
    with transaction.atomic():
        presence = Presence.objects.select_for_update().filter(connection=connection).first()
        if presence is None or presence.quality == quality:
            return
        presence.quality = quality
        presence.save(update_fields=["quality"])
        publish_to_staff(
            presence.session_id, event("presence.quality", connection=connection, quality=quality)
        )


def do_ping(connection: str) -> None:
    Presence.objects.filter(connection=connection).update(seen_at=timezone.now())


def resync(user: Any, session_id: int) -> dict[str, Any]:
    """A fresh snapshot, as ``user`` may see it (sockets that missed events, the API)."""
    session = get_session(session_id)
    standing = standing_for(user, session)
    if not _visible(session, standing):
        raise NotFoundRefusal(_("This session does not exist."))
    return snapshot(session, standing)
