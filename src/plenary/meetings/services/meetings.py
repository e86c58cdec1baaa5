"""Create, update, publish and cancel meetings; add, edit and delete sessions.

Session times are entered in the meeting's local time (its site's time zone,
or the virtual meeting's own zone) and stored in UTC.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from plenary.accounts.models import User
from plenary.core import audit
from plenary.core.errors import Refusal
from plenary.core.languages import UN_LANGUAGES, validate_languages
from plenary.core.locking import lock
from plenary.meetings import rules
from plenary.meetings.models import (
    Meeting,
    Participation,
    Registration,
    RemoteRight,
    Room,
    Sector,
    Session,
    Site,
)
from plenary.meetings.services.access import check_can_manage, check_can_organise_at
from plenary.meetings.services.notifications import notify_cancellation


@dataclass(frozen=True)
class MeetingData:
    """What an organiser enters for a meeting (the wizard's first step)."""

    code: str
    sector: Sector
    meeting_type: str
    titles: dict[str, str]
    start_date: dt.date
    end_date: dt.date
    languages: list[str]
    working_language: str = "en"
    site: Site | None = None
    time_zone: str = "Europe/Zurich"
    descriptions: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class SessionData:
    """A session as entered: naive ``starts``/``ends`` in the meeting's local time.

    Aware datetimes are accepted too and converted to the meeting's zone first.
    ``remote_right`` ``None`` means the Sector's default.
    """

    title: str
    starts: dt.datetime
    ends: dt.datetime
    room: Room | None = None
    remote_right: str | None = None
    # The title in the meeting's other languages, by language code (``title``: working language).
    titles: dict[str, str] = field(default_factory=dict)


# --- meetings ---------------------------------------------------------------


def _clean_texts(texts: dict[str, str], name: str) -> dict[str, str]:
    cleaned = {code: text.strip() for code, text in texts.items() if text and text.strip()}
    if set(cleaned) - set(UN_LANGUAGES):
        raise Refusal(_("Texts may only be given in the six official languages."), field=name)
    return cleaned


def _code_taken(code: str) -> Refusal:
    return Refusal(
        _("Another meeting already uses the reference %(code)s.") % {"code": code},
        code="duplicate",
        field="code",
    )


def _validated(data: MeetingData, meeting: Meeting | None) -> dict[str, Any]:
    """The model fields for ``data``, or a ``Refusal`` naming the first bad field."""
    code = data.code.strip()
    if not code:
        raise Refusal(_("Enter a reference for the meeting."), code="invalid", field="code")
    clash = Meeting.objects.filter(code=code)
    if meeting is not None:
        clash = clash.exclude(pk=meeting.pk)
    if clash.exists():
        raise _code_taken(code)
    if data.meeting_type not in Meeting.Type.values:
        raise Refusal(_("Choose a type of meeting."), code="invalid", field="meeting_type")
    try:
        languages = validate_languages(list(data.languages))
    except ValueError:
        raise Refusal(
            _("Languages must be among the six official languages."),
            code="invalid",
            field="languages",
        ) from None
    if data.working_language not in UN_LANGUAGES:
        raise Refusal(
            _("The working language must be one of the six official languages."),
            code="invalid",
            field="working_language",
        )
    if data.working_language not in languages:
        raise Refusal(
            _("The languages offered must include the working language."),
            code="invalid",
            field="languages",
        )
    titles = _clean_texts(data.titles, "titles")
    if data.working_language not in titles:
        raise Refusal(_("Give the title in the working language."), code="invalid", field="titles")
    if data.end_date < data.start_date:
        raise Refusal(
            _("The last day cannot be before the first day."), code="invalid", field="end_date"
        )
    if data.site is None:
        if data.time_zone not in zoneinfo.available_timezones():
            raise Refusal(
                _("Choose the time zone of the virtual meeting."),
                code="invalid",
                field="time_zone",
            )
        time_zone = data.time_zone
    else:
        time_zone = data.site.time_zone
    return {
        "code": code,
        "sector": data.sector,
        "meeting_type": data.meeting_type,
        "titles": titles,
        "descriptions": _clean_texts(data.descriptions, "descriptions"),
        "site": data.site,
        "time_zone": time_zone,
        "start_date": data.start_date,
        "end_date": data.end_date,
        "working_language": data.working_language,
        "languages": languages,
    }


def check_create_meeting(actor: Any, data: MeetingData) -> dict[str, Any]:
    """May ``actor`` organise this meeting? Its fields, validated."""
    check_can_organise_at(actor, data.site)
    return _validated(data, None)


def do_create_meeting(actor: Any, data: MeetingData) -> Meeting:
    """Create a draft meeting organised by ``actor``."""
    try:
        with transaction.atomic():
            values = check_create_meeting(actor, data)
            meeting = Meeting.objects.create(organiser=actor, status=Meeting.Status.DRAFT, **values)
            audit.record(actor, "meeting.created", meeting, code=meeting.code)
    except IntegrityError:
        # A concurrent request took the same reference first.
        raise _code_taken(data.code) from None
    return meeting


def check_update_meeting(actor: Any, meeting: Meeting, data: MeetingData) -> dict[str, Any]:
    """May ``actor`` change the meeting so? Its existing sessions must still fit the new
    dates, site and rules. The new fields, validated."""
    check_can_manage(actor, meeting)
    if data.site != meeting.site:
        check_can_organise_at(actor, data.site)
    values = _validated(data, meeting)
    booths = set(
        meeting.participations.filter(role=Participation.Role.INTERPRETER)
        .exclude(language__in=values["languages"])
        .values_list("language", flat=True)
    )
    if booths:
        raise Refusal(
            _("Interpreters work into %(languages)s: keep these languages or remove them first.")
            % {"languages": ", ".join(sorted(booths))},
            code="interpreters_conflict",
            field="languages",
        )
    proposed = Meeting(**{**values, "pk": meeting.pk})
    for session in meeting.sessions.select_related("room"):
        try:
            _check_session_fits(
                proposed, session.starts_at, session.ends_at, session.room, session.remote_right
            )
        except Refusal as refusal:
            raise Refusal(
                _("Session “%(title)s” would no longer fit: %(reason)s")
                % {"title": session.title, "reason": refusal.message},
                code="sessions_conflict",
            ) from None
    return values


def do_update_meeting(actor: Any, meeting: Meeting, data: MeetingData) -> Meeting:
    """Change a meeting and audit the fields that changed."""
    with transaction.atomic():
        values = check_update_meeting(actor, lock(meeting), data)
        changed = sorted(name for name, value in values.items() if getattr(meeting, name) != value)
        for name, value in values.items():
            setattr(meeting, name, value)
        meeting.save()
        audit.record(actor, "meeting.updated", meeting, fields=changed)
    return meeting


def check_publish_meeting(actor: Any, meeting: Meeting) -> None:
    """May the meeting be made public? A draft with at least one session."""
    check_can_manage(actor, meeting)
    if meeting.status != Meeting.Status.DRAFT:
        raise Refusal(_("Only a draft meeting can be published."), code="not_draft")
    if not meeting.sessions.exists():
        raise Refusal(
            _("Add at least one session before publishing the meeting."), code="no_sessions"
        )


def do_publish_meeting(actor: Any, meeting: Meeting) -> Meeting:
    """Make a draft meeting public."""
    with transaction.atomic():
        check_publish_meeting(actor, lock(meeting))
        _set_status(actor, meeting, Meeting.Status.PUBLISHED, "meeting.published")
    return meeting


def check_cancel_meeting(actor: Any, meeting: Meeting) -> None:
    check_can_manage(actor, meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise Refusal(_("This meeting is already cancelled."), code="cancelled")


def do_cancel_meeting(actor: Any, meeting: Meeting) -> Meeting:
    """Cancel a meeting and tell those registered; registrations stay on record,
    new ones are refused."""
    with transaction.atomic():
        check_cancel_meeting(actor, lock(meeting))
        _set_status(actor, meeting, Meeting.Status.CANCELLED, "meeting.cancelled")
    registered = User.objects.filter(
        registrations__meeting=meeting,
        registrations__status__in=[Registration.Status.PENDING, Registration.Status.APPROVED],
    )
    notify_cancellation(meeting, registered)
    return meeting


def do_set_registration_open(actor: Any, meeting: Meeting, is_open: bool) -> Meeting:
    """Open or close registration for the meeting (the organiser's switch), audited."""
    with transaction.atomic():
        check_can_manage(actor, lock(meeting))
        meeting.registration_open = is_open
        meeting.save(update_fields=["registration_open"])
        audit.record(
            actor,
            "meeting.registration_opened" if is_open else "meeting.registration_closed",
            meeting,
        )
    return meeting


def _set_status(actor: Any, meeting: Meeting, status: str, action: str) -> None:
    """Move the meeting to ``status`` and audit it as ``action``; callers check the
    transition, inside their transaction."""
    meeting.status = status
    meeting.save(update_fields=["status"])
    audit.record(actor, action, meeting)


# --- sessions ---------------------------------------------------------------


def to_local(meeting: Meeting, moment: dt.datetime) -> dt.datetime:
    """``moment`` as an aware datetime in the meeting's zone (naive means local)."""
    tz = meeting.tzinfo
    if moment.tzinfo is not None:
        return moment.astimezone(tz)
    local = moment.replace(tzinfo=tz)
    # A wall-clock time skipped by a clock change does not survive the round trip.
    if local.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None) != moment:
        raise Refusal(
            _("%(time)s does not exist in %(zone)s (the clocks change then).")
            % {"time": moment.strftime("%Y-%m-%d %H:%M"), "zone": tz.key},
            code="invalid",
            field="starts",
        )
    return local


def _check_session_fits(
    meeting: Meeting,
    starts: dt.datetime,
    ends: dt.datetime,
    room: Room | None,
    remote_right: str,
) -> None:
    """Refuse a session that does not fit ``meeting`` (times are aware)."""
    if ends <= starts:
        raise Refusal(_("The session must end after it starts."), code="invalid", field="ends")
    tz = meeting.tzinfo
    first = dt.datetime.combine(meeting.start_date, dt.time.min, tz)
    after_last = dt.datetime.combine(meeting.end_date + dt.timedelta(days=1), dt.time.min, tz)
    if starts < first or ends > after_last:
        raise Refusal(
            _(
                "The session must take place within the meeting's dates, "
                "%(first)s to %(last)s, in %(zone)s time."
            )
            % {"first": meeting.start_date, "last": meeting.end_date, "zone": tz.key},
            code="outside_meeting",
            field="starts",
        )
    if room is not None and (meeting.site_id is None or room.site_id != meeting.site_id):
        raise Refusal(_("The room must be at the meeting's site."), code="invalid", field="room")
    if remote_right not in RemoteRight.values:
        raise Refusal(_("Choose the rights of remote participants."), field="remote_right")
    ceiling = rules.remote_right_ceiling(meeting.sector.code, meeting.meeting_type)
    if not rules.allows(ceiling, remote_right):
        raise Refusal(
            _("In this kind of meeting remote participants may at most: %(right)s.")
            % {"right": ceiling.label},
            code="above_ceiling",
            field="remote_right",
        )


SESSION_TITLE_MAX = 200


def _session_values(meeting: Meeting, data: SessionData) -> dict[str, Any]:
    title = data.title.strip()
    if not title:
        raise Refusal(_("Give the session a title."), code="invalid", field="title")
    starts = to_local(meeting, data.starts)
    ends = to_local(meeting, data.ends)
    remote_right = data.remote_right or rules.default_remote_right(
        meeting.sector.code, meeting.meeting_type
    )
    _check_session_fits(meeting, starts, ends, data.room, remote_right)
    titles = _clean_texts(data.titles, "titles")
    if any(len(text) > SESSION_TITLE_MAX for text in titles.values()):
        raise Refusal(
            _("A title may have at most %(limit)d characters.") % {"limit": SESSION_TITLE_MAX},
            code="invalid",
            field="titles",
        )
    return {
        "title": title,
        "titles": {code: text for code, text in titles.items() if code != meeting.working_language},
        "starts_at": starts.astimezone(dt.UTC),
        "ends_at": ends.astimezone(dt.UTC),
        "room": data.room,
        "remote_right": remote_right,
    }


def check_add_session(actor: Any, meeting: Meeting, data: SessionData) -> dict[str, Any]:
    """May a session be added to the meeting (not cancelled)? Its fields, validated."""
    check_can_manage(actor, meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise Refusal(_("This meeting is cancelled."), code="cancelled")
    return _session_values(meeting, data)


def do_add_session(actor: Any, meeting: Meeting, data: SessionData) -> Session:
    """Add a session to the meeting."""
    with transaction.atomic():
        values = check_add_session(actor, lock(meeting), data)
        session = Session.objects.create(meeting=meeting, **values)
        audit.record(actor, "session.added", session, starts_at=session.starts_at.isoformat())
    return session


def check_update_session(actor: Any, session: Session, data: SessionData) -> dict[str, Any]:
    """May the session be changed so? It must still fit the meeting's dates, site and rules."""
    check_can_manage(actor, session.meeting)
    return _session_values(session.meeting, data)


def do_update_session(actor: Any, session: Session, data: SessionData) -> Session:
    """Change a session and audit the change."""
    with transaction.atomic():
        lock(session.meeting)
        values = check_update_session(actor, lock(session), data)
        for name, value in values.items():
            setattr(session, name, value)
        session.save()
        audit.record(actor, "session.updated", session, starts_at=session.starts_at.isoformat())
    return session


def do_delete_session(actor: Any, session: Session) -> None:
    """Delete a session of a meeting the actor manages (audited first)."""
    with transaction.atomic():
        check_can_manage(actor, lock(session.meeting))
        audit.record(actor, "session.deleted", session, title=session.title)
        session.delete()
