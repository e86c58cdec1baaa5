"""A session open now, so that a newcomer can try the room, the webcast and the captions.

ITU-T Study Group 13 meets at headquarters; its session is taking place now:
the chair has opened it, a delegate in the room has the floor and a remote
delegate waits on the speakers' list. The meeting has interpretation (a French
booth with its interpreter), captions and a public webcast, all provisioned.
Everything goes through the meeting, provisioning and floor services.

Loading again the same day changes nothing; on a later day the meeting is
extended to today and gets a new session open now (the one before is closed).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from plenary.accounts.models import User
from plenary.floor import services as floor
from plenary.meetings.models import (
    AttendanceMode,
    Meeting,
    Participation,
    Registration,
    Room,
    Sector,
    Site,
)
from plenary.meetings.models import Session as MeetingSession
from plenary.meetings.services import meetings as meeting_services
from plenary.meetings.services import participation as participation_services
from plenary.meetings.services import registration as registration_services
from plenary.provisioning import services as provisioning_services
from plenary.provisioning.models import Service

CODE_PREFIX = "T-SG13-"
LANGUAGES = ["ar", "en", "es", "fr"]
SESSION_LENGTH = dt.timedelta(hours=3)
# (username, attendance, kind): approved by their focal point (observers: the organiser).
REGISTRATIONS = [
    ("delegate.china", AttendanceMode.ONSITE, Registration.Kind.DELEGATE),
    ("delegate.france", AttendanceMode.REMOTE, Registration.Kind.DELEGATE),
    ("delegate.saudi", AttendanceMode.REMOTE, Registration.Kind.DELEGATE),
    ("delegate.russia", AttendanceMode.ONSITE, Registration.Kind.DELEGATE),
    ("fp.kenya", AttendanceMode.REMOTE, Registration.Kind.DELEGATE),
    ("observer", AttendanceMode.REMOTE, Registration.Kind.OBSERVER),
]


def _span(site: Site) -> tuple[dt.datetime, dt.datetime]:
    """A session window around now: started up to an hour ago, on the half hour."""
    now = timezone.now().astimezone(site.tzinfo)
    starts = now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
    starts -= dt.timedelta(minutes=30)
    return starts, starts + SESSION_LENGTH


def _meeting_data(meeting: Meeting, end_date: dt.date) -> meeting_services.MeetingData:
    return meeting_services.MeetingData(
        code=meeting.code,
        sector=meeting.sector,
        meeting_type=meeting.meeting_type,
        titles=meeting.titles,
        descriptions=meeting.descriptions,
        start_date=meeting.start_date,
        end_date=end_date,
        languages=list(meeting.languages),
        working_language=meeting.working_language,
        site=meeting.site,
        time_zone=meeting.time_zone,
    )


def _create_meeting(people: dict[str, User], starts: dt.datetime, ends: dt.datetime) -> Meeting:
    organiser = people["organiser"]
    meeting = meeting_services.do_create_meeting(
        organiser,
        meeting_services.MeetingData(
            code=f"{CODE_PREFIX}{starts:%Y-%m}",
            sector=Sector.objects.get(code=Sector.Code.STANDARDIZATION),
            meeting_type=Meeting.Type.STUDY_GROUP,
            titles={
                "en": "ITU-T Study Group 13 (Future networks)",
                "fr": "Commission d'études 13 de l'UIT-T (Réseaux futurs)",
                "es": "Comisión de Estudio 13 del UIT-T (Redes futuras)",
                "ar": "لجنة الدراسات 13 لقطاع تقييس الاتصالات (الشبكات المستقبلية)",
            },
            descriptions={
                "en": "In session now: join from the room or remotely, listen to the floor "
                "or the French booth, follow the captions or the public webcast.",
                "fr": "En séance : participez depuis la salle ou à distance, écoutez la salle "
                "ou la cabine française, suivez les sous-titres ou la webdiffusion publique.",
            },
            start_date=starts.date(),
            end_date=ends.date() + dt.timedelta(days=3),
            languages=LANGUAGES,
            working_language="en",
            site=Site.objects.get(code="geneva-hq"),
        ),
    )
    _add_session(organiser, meeting, starts, ends)
    meeting_services.do_publish_meeting(organiser, meeting)
    roles = [
        ("chair", Participation.Role.CHAIR, ""),
        ("secretariat", Participation.Role.SECRETARIAT, ""),
        ("interpreter.fr", Participation.Role.INTERPRETER, "fr"),
        ("room.operator", Participation.Role.ROOM_OPERATOR, ""),
    ]
    for username, role, language in roles:
        participation_services.do_assign_role(
            organiser, meeting, people[username], role, language=language
        )
    requests = provisioning_services.check_request_services(
        organiser,
        meeting,
        [
            provisioning_services.ServiceSpec(Service.REMOTE_PARTICIPATION),
            provisioning_services.ServiceSpec(Service.CAPTIONS),
            provisioning_services.ServiceSpec(Service.INTERPRETATION, languages=["fr"]),
            provisioning_services.ServiceSpec(Service.WEBCAST, public=True),
        ],
    )
    for request in requests:
        if request.status == request.Status.PENDING:
            interpretation = request.service == Service.INTERPRETATION
            provisioning_services.check_decide(
                people["conference" if interpretation else "secretariat"], request, approve=True
            )
    for username, attendance, kind in REGISTRATIONS:
        person = people[username]
        registration = registration_services.do_register(person, meeting, kind, attendance)
        decider = person.entity.focal_points.order_by("pk").first() if person.entity else None
        registration_services.do_decide(decider or organiser, registration, True)
    return meeting


def _add_session(
    actor: User, meeting: Meeting, starts: dt.datetime, ends: dt.datetime
) -> MeetingSession:
    title = "Opening plenary" if not meeting.sessions.exists() else "Plenary session (continued)"
    return meeting_services.do_add_session(
        actor,
        meeting,
        meeting_services.SessionData(
            title=title,
            starts=starts,
            ends=ends,
            room=Room.objects.get(site=meeting.site, name="Popov Room"),
        ),
    )


def _open_with_the_floor(chair: User, session: MeetingSession, people: dict[str, User]) -> None:
    """The chair opens the session, lists two delegates and gives the floor to the first."""
    version, _state = floor.current_state(session.pk)
    floor.do_set_status(chair, session.pk, "open", version)
    for username in ("delegate.china", "delegate.france"):
        floor.do_add_speaker(chair, session.pk, people[username].pk, "speak")
    version, _state = floor.current_state(session.pk)
    floor.do_next_speaker(chair, session.pk, version)


def _close_earlier(chair: User, meeting: Meeting) -> None:
    for session in meeting.sessions.filter(ends_at__lte=timezone.now()):
        version, state = floor.current_state(session.pk)
        if state["status"] != "closed":
            floor.do_set_status(chair, session.pk, "close", version)


def ensure_live_session(people: dict[str, User]) -> MeetingSession:
    """The demo's session open now (created, or renewed on a later day). Call in a transaction."""
    site = Site.objects.get(code="geneva-hq")
    now = timezone.now()
    meeting = Meeting.objects.filter(code__startswith=CODE_PREFIX).order_by("pk").first()
    if meeting is None:
        starts, ends = _span(site)
        meeting = _create_meeting(people, starts, ends)
        session = meeting.sessions.get()
        _open_with_the_floor(people["chair"], session, people)
        return session
    current = meeting.sessions.filter(starts_at__lte=now, ends_at__gt=now).first()
    if current is not None:
        return current
    _close_earlier(people["chair"], meeting)
    starts, ends = _span(site)
    if ends.date() > meeting.end_date:
        meeting_services.do_update_meeting(
            people["organiser"], meeting, _meeting_data(meeting, ends.date())
        )
    session = _add_session(people["organiser"], meeting, starts, ends)
    _open_with_the_floor(people["chair"], session, people)
    return session
