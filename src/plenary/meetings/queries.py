"""Read-side helpers for pages, the API and other apps (the floor, statistics).

Nothing here writes; authorisation for actions lives in ``services``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.core.errors import NotFoundRefusal
from plenary.meetings.models import (
    AttendanceMode,
    Meeting,
    Participation,
    Registration,
    RemoteRight,
    Session,
)
from plenary.meetings.services.access import can_manage

# Most significant first: ``participation_for`` returns the first one held.
ROLE_PRECEDENCE = [
    Participation.Role.CHAIR,
    Participation.Role.VICE_CHAIR,
    Participation.Role.SECRETARIAT,
    Participation.Role.DELEGATE,
    Participation.Role.OBSERVER,
    Participation.Role.INTERPRETER,
    Participation.Role.ROOM_OPERATOR,
]
PRESIDING_ROLES = {
    Participation.Role.CHAIR,
    Participation.Role.VICE_CHAIR,
    Participation.Role.SECRETARIAT,
}


def upcoming_meetings(
    *,
    sector: str | None = None,
    site: str | None = None,
    virtual: bool | None = None,
    today: dt.date | None = None,
) -> QuerySet[Meeting]:
    """Published meetings that have not ended, soonest first.

    ``sector`` is a Sector code (``"T"``), ``site`` a Site code; ``virtual``
    ``True`` keeps only fully virtual meetings, ``False`` only those at a site.
    """
    meetings = Meeting.objects.filter(
        status=Meeting.Status.PUBLISHED, end_date__gte=today or timezone.localdate()
    ).select_related("sector", "site")
    if sector:
        meetings = meetings.filter(sector__code=sector)
    if site:
        meetings = meetings.filter(site__code=site)
    if virtual is not None:
        meetings = meetings.filter(site__isnull=virtual)
    return meetings.order_by("start_date", "code")


def visible_meeting(user: Any, code: str) -> Meeting:
    """A published or cancelled meeting, or a draft its manager may see; else "not found"."""
    meeting = Meeting.objects.select_related("sector", "site").filter(code=code).first()
    hidden = meeting is not None and meeting.status == Meeting.Status.DRAFT
    if meeting is None or (hidden and not can_manage(user, meeting)):
        raise NotFoundRefusal(_("There is no such meeting."))
    return meeting


def open_session_ids(sessions: Any) -> set[int]:
    """Those of ``sessions`` (sessions or their ids) that the chair has opened and
    not suspended or closed: "live now" is the floor's state, never the clock."""
    ids = [getattr(session, "pk", session) for session in sessions]
    return set(
        Session.objects.filter(pk__in=ids, live__state__status="open").values_list("pk", flat=True)
    )


def has_way_in(user: Any, meeting: Meeting) -> bool:
    """May ``user`` enter the live sessions of ``meeting``?

    Anyone holding a role in it (chair, vice-chair, secretariat, delegate,
    observer, interpreter, room operator), secretariat staff, and those who
    manage it (its organiser, regional-office staff at its site). This is the
    rule the session page applies (``plenary.live.standing.Standing.is_participant``);
    remote participation being provisioned or not changes nothing.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_secretariat", False) or can_manage(user, meeting):
        return True
    return Participation.objects.filter(meeting=meeting, user=user).exists()


@dataclass(frozen=True)
class WayIn:
    """A session a person may enter, and whether it is open now."""

    session: Session
    live: bool
    # Interpreters: their booth languages, each a link to the interpreter console.
    booths: tuple[str, ...] = ()


def ways_in(
    user: Any, meeting: Meeting, *, now: dt.datetime | None = None, limit: int | None = None
) -> list[WayIn]:
    """The sessions of ``meeting`` that ``user`` may enter (see :func:`has_way_in`):
    those open now, then those still to come, in order. Empty for everyone else and
    for cancelled meetings."""
    if meeting.status == Meeting.Status.CANCELLED or not has_way_in(user, meeting):
        return []
    now = now or timezone.now()
    sessions = list(meeting.sessions.select_related("room").order_by("starts_at", "id"))
    live = open_session_ids(sessions)
    booths = tuple(
        Participation.objects.filter(
            meeting=meeting, user=user, role=Participation.Role.INTERPRETER
        )
        .exclude(language="")
        .values_list("language", flat=True)
    )
    wanted = [s for s in sessions if s.pk in live] + [
        s for s in sessions if s.pk not in live and s.ends_at > now
    ]
    return [WayIn(s, s.pk in live, booths) for s in wanted[:limit]]


@dataclass
class MyMeeting:
    """One meeting in a person's "my meetings": their registration, roles and ways in."""

    meeting: Meeting
    registration: Registration | None = None
    roles: list[Participation] = field(default_factory=list)
    upcoming_sessions: list[Session] = field(default_factory=list)
    organises: bool = False
    ways_in: list[WayIn] = field(default_factory=list)


@dataclass(frozen=True)
class MyMeetings:
    """A person's meetings: those not over yet, soonest first, then the past ones, most
    recent first (what one looks for first is what comes next)."""

    current: list[MyMeeting]
    past: list[MyMeeting]


def meetings_of(user: Any, *, now: dt.datetime | None = None) -> MyMeetings:
    """Meetings ``user`` registered for, holds a role in or organises (cancelled ones
    included, drafts only for roles and organisers), with the sessions still to come
    and the ways into them. A meeting is over once its last day has ended where it
    takes place."""
    now = now or timezone.now()
    rows: dict[int, MyMeeting] = {}
    for registration in Registration.objects.filter(user=user).select_related(
        "meeting__site", "meeting__sector", "entity"
    ):
        if registration.meeting.status != Meeting.Status.DRAFT:
            rows[registration.meeting_id] = MyMeeting(registration.meeting, registration)
    for participation in Participation.objects.filter(user=user).select_related(
        "meeting__site", "meeting__sector"
    ):
        row = rows.setdefault(participation.meeting_id, MyMeeting(participation.meeting))
        row.roles.append(participation)
    for meeting in Meeting.objects.filter(organiser=user).select_related("site", "sector"):
        rows.setdefault(meeting.pk, MyMeeting(meeting)).organises = True
    sessions = Session.objects.filter(meeting_id__in=rows, ends_at__gt=now).select_related(
        "meeting__site", "room"
    )
    for session in sessions.order_by("starts_at"):
        rows[session.meeting_id].upcoming_sessions.append(session)
    for row in rows.values():
        row.ways_in = ways_in(user, row.meeting, now=now, limit=3)
    mine = MyMeetings(current=[], past=[])
    for row in sorted(rows.values(), key=lambda row: (row.meeting.start_date, row.meeting.code)):
        over = row.meeting.end_date < now.astimezone(row.meeting.tzinfo).date()
        (mine.past if over else mine.current).append(row)
    mine.past.reverse()
    return mine


def live_ways_in(user: Any) -> list[MyMeeting]:
    """The person's meetings with a session open now, each with only its open sessions
    (the home page's "Live now" for someone signed in)."""
    if not getattr(user, "is_authenticated", False):
        return []
    rows = []
    for row in meetings_of(user).current:
        row.ways_in = [way for way in row.ways_in if way.live]
        if row.ways_in:
            rows.append(row)
    return rows


def roles_of(user: Any, meeting: Meeting) -> list[Participation]:
    """Every role ``user`` holds in ``meeting`` (none for anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(Participation.objects.filter(meeting=meeting, user=user))


def participation_for(user: Any, meeting: Meeting) -> Participation | None:
    """The most significant role ``user`` holds in ``meeting`` (chair before delegate
    before observer, see ``ROLE_PRECEDENCE``), or ``None`` if they hold none."""
    held = {p.role: p for p in roles_of(user, meeting)}
    return next((held[role] for role in ROLE_PRECEDENCE if role in held), None)


def remote_right_for(user: Any, session: Session) -> RemoteRight | None:
    """What ``user`` may do in ``session``, for the floor app to enforce.

    Chairs, vice-chairs and the meeting's secretariat: contribute. Observers:
    observe. Other participants in the room: contribute. Remote delegates:
    the session's ``remote_right``. Interpreters and room operators do not
    take the floor: observe. Not a participant: ``None``.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    held = list(Participation.objects.filter(meeting_id=session.meeting_id, user=user))
    if not held:
        return None
    roles = {p.role for p in held}
    if roles & PRESIDING_ROLES:
        return RemoteRight.CONTRIBUTE
    delegate = next((p for p in held if p.role == Participation.Role.DELEGATE), None)
    if delegate is None:
        return RemoteRight.OBSERVE
    if delegate.attendance == AttendanceMode.ONSITE:
        return RemoteRight.CONTRIBUTE
    return RemoteRight(session.remote_right)


def registration_of(user: Any, meeting: Meeting) -> Registration | None:
    """``user``'s registration for ``meeting`` whatever its status, or ``None``."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(meeting=meeting, user=user).first()


def pending_approvals(user: Any) -> QuerySet[Registration]:
    """Pending registrations of entities where ``user`` is a focal point, oldest first."""
    return (
        Registration.objects.filter(
            status=Registration.Status.PENDING,
            entity__focal_points=user,
            meeting__status=Meeting.Status.PUBLISHED,
        )
        .select_related("meeting", "user", "entity")
        .order_by("created_at", "id")
    )
