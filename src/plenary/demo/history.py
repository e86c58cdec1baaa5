"""A past year of meetings that took place: what statistics and the annual report show.

Six meetings of the previous calendar year, across the Sectors, sites and
meeting types, are set up through the meeting, registration and provisioning
services. Their attendance is then written as the live services write it,
through ``plenary.live.attendance.record_attendance`` (joins and leaves,
interpretation channels listened to, captions, floors granted) and
``plenary.stats.services.record_webcast_view``; only the time of each fact is
moved back to when it happened, as the floor does for the leave of a socket
whose server died (``plenary.live.services._leave``).

Choices (who came, onsite or remote, on which device) come from a random
generator seeded with the meeting's reference, so every load is the same.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils import timezone

from plenary.accounts.models import User
from plenary.demo.common import session_data
from plenary.live.attendance import record_attendance
from plenary.live.models import AttendanceRecord, DeviceClass
from plenary.meetings.models import (
    AttendanceMode,
    Meeting,
    Participation,
    Registration,
    RemoteRight,
    Sector,
    Site,
)
from plenary.meetings.models import Session as MeetingSession
from plenary.meetings.rules import allows
from plenary.meetings.services import meetings as meeting_services
from plenary.meetings.services import participation as participation_services
from plenary.meetings.services import registration as registration_services
from plenary.provisioning import services as provisioning_services
from plenary.provisioning.models import Service
from plenary.stats.models import WebcastView
from plenary.stats.queries import CAPTIONS_CHANNEL
from plenary.stats.services import record_webcast_view

Kind = AttendanceRecord.Kind
SIX = ["ar", "zh-hans", "en", "fr", "ru", "es"]


@dataclass(frozen=True)
class PastMeeting:
    """One meeting of the past year as the demo sets it up."""

    code: str
    sector: str
    meeting_type: str
    titles: dict[str, str]
    month: int
    days: int
    site: str | None
    organiser: str
    languages: list[str]
    # (day, start, end, title, room)
    sessions: list[tuple[int, str, str, str, str | None]]
    services: list[provisioning_services.ServiceSpec] = field(default_factory=list)
    time_zone: str = "Europe/Zurich"
    share_onsite: float = 0.5
    webcast_viewers: int = 0


def _past_meetings(year: int) -> list[PastMeeting]:
    rp = provisioning_services.ServiceSpec(Service.REMOTE_PARTICIPATION)
    captions = provisioning_services.ServiceSpec(Service.CAPTIONS)

    def interpretation(languages: list[str]) -> provisioning_services.ServiceSpec:
        return provisioning_services.ServiceSpec(Service.INTERPRETATION, languages=languages)

    return [
        PastMeeting(
            code=f"T-SG17-{year}-03",
            sector=Sector.Code.STANDARDIZATION,
            meeting_type=Meeting.Type.STUDY_GROUP,
            titles={
                "en": "ITU-T Study Group 17 (Security)",
                "fr": "Commission d'études 17 de l'UIT-T (Sécurité)",
                "es": "Comisión de Estudio 17 del UIT-T (Seguridad)",
            },
            month=3,
            days=4,
            site="geneva-hq",
            organiser="organiser",
            languages=["en", "fr", "es"],
            sessions=[
                (0, "09:30", "12:30", "Opening plenary", "Popov Room"),
                (1, "14:30", "17:30", "Working Party 1/17", "Room K"),
                (4, "09:30", "12:30", "Closing plenary", "Popov Room"),
            ],
            services=[rp, captions, interpretation(["en", "fr", "es"])],
        ),
        PastMeeting(
            code=f"D-RDF-AFR-{year}-05",
            sector=Sector.Code.DEVELOPMENT,
            meeting_type=Meeting.Type.REGIONAL,
            titles={
                "en": "ITU-D Regional Development Forum for Africa",
                "fr": "Forum régional de développement pour l'Afrique de l'UIT-D",
            },
            month=5,
            days=1,
            site="addis-ababa-ro",
            organiser="ro.africa",
            languages=["en", "fr"],
            sessions=[
                (0, "10:00", "13:00", "Meaningful connectivity", "Conference Room 1"),
                (1, "10:00", "13:00", "Digital skills", "Conference Room 1"),
            ],
            services=[rp, captions],
            share_onsite=0.25,
        ),
        PastMeeting(
            code=f"R-WP5D-{year}-06",
            sector=Sector.Code.RADIOCOMMUNICATION,
            meeting_type=Meeting.Type.WORKING_PARTY,
            titles={
                "en": "ITU-R Working Party 5D (IMT systems)",
                "fr": "Groupe de travail 5D de l'UIT-R (Systèmes IMT)",
            },
            month=6,
            days=2,
            site="geneva-hq",
            organiser="organiser",
            languages=["en"],
            sessions=[
                (0, "09:30", "12:30", "Plenary", "Room K"),
                (2, "14:30", "17:30", "Closing plenary", "Room K"),
            ],
            services=[rp, captions],
            share_onsite=0.6,
        ),
        PastMeeting(
            code=f"D-RDF-ARB-{year}-09",
            sector=Sector.Code.DEVELOPMENT,
            meeting_type=Meeting.Type.REGIONAL,
            titles={
                "en": "ITU-D Regional Development Forum for the Arab States",
                "ar": "المنتدى الإقليمي للتنمية للدول العربية",
                "fr": "Forum régional de développement pour les États arabes",
            },
            month=9,
            days=1,
            site="cairo-ro",
            organiser="secretariat",
            languages=["ar", "en", "fr"],
            sessions=[
                (0, "10:00", "13:00", "Digital transformation", "Main Hall"),
                (1, "10:00", "13:00", "Cybersecurity capacity", "Main Hall"),
            ],
            # Two booths in the Main Hall: Arabic and French (the floor speaks English).
            services=[rp, interpretation(["ar", "fr"])],
            time_zone="Africa/Cairo",
            share_onsite=0.4,
        ),
        PastMeeting(
            code=f"C-{year}",
            sector=Sector.Code.GENERAL_SECRETARIAT,
            meeting_type=Meeting.Type.COUNCIL,
            titles={
                "en": f"ITU Council {year}",
                "fr": f"Conseil de l'UIT {year}",
                "es": f"Consejo de la UIT {year}",
                "ru": f"Совет МСЭ {year}",
                "ar": f"مجلس الاتحاد الدولي للاتصالات {year}",
                "zh-hans": f"{year}年国际电联理事会",
            },
            month=10,
            days=3,
            site="geneva-hq",
            organiser="secretariat",
            languages=SIX,
            sessions=[
                (0, "09:30", "12:30", "Opening of the session", "Popov Room"),
                (
                    1,
                    "09:30",
                    "12:30",
                    "Report on remote participation (Resolution 167)",
                    "Popov Room",
                ),
                (3, "14:30", "17:30", "Closing of the session", "Popov Room"),
            ],
            services=[
                rp,
                interpretation(SIX),
                provisioning_services.ServiceSpec(Service.WEBCAST, public=True),
            ],
            share_onsite=0.65,
            webcast_viewers=40,
        ),
        PastMeeting(
            code=f"T-WS-AI-{year}-11",
            sector=Sector.Code.STANDARDIZATION,
            meeting_type=Meeting.Type.WORKSHOP,
            titles={
                "en": "ITU-T Workshop on AI for network operations (virtual)",
                "fr": "Atelier de l'UIT-T sur l'IA pour l'exploitation des réseaux (virtuel)",
            },
            month=11,
            days=0,
            site=None,
            organiser="organiser",
            languages=["en", "fr"],
            sessions=[(0, "13:00", "16:00", "AI for network operations", None)],
            services=[rp, captions],
            time_zone="Asia/Bangkok",
            share_onsite=0.0,
        ),
    ]


def _first_tuesday(year: int, month: int) -> dt.date:
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=(1 - day.weekday()) % 7)


def _create(spec: PastMeeting, year: int, people: dict[str, User]) -> Meeting:
    organiser = people[spec.organiser]
    start = _first_tuesday(year, spec.month)
    last_day = max(day for day, *_rest in spec.sessions)
    meeting = meeting_services.do_create_meeting(
        organiser,
        meeting_services.MeetingData(
            code=spec.code,
            sector=Sector.objects.get(code=spec.sector),
            meeting_type=spec.meeting_type,
            titles=spec.titles,
            start_date=start,
            end_date=start + dt.timedelta(days=max(spec.days, last_day)),
            languages=spec.languages,
            working_language="en",
            site=Site.objects.get(code=spec.site) if spec.site else None,
            time_zone=spec.time_zone,
        ),
    )
    for day, begins, ends, title, room in spec.sessions:
        meeting_services.do_add_session(
            organiser, meeting, session_data(meeting, day, begins, ends, title, room=room)
        )
    meeting_services.do_publish_meeting(organiser, meeting)
    for username, role in (("chair", Participation.Role.CHAIR),):
        participation_services.do_assign_role(organiser, meeting, people[username], role)
    requests = provisioning_services.check_request_services(organiser, meeting, spec.services)
    for request in requests:
        if request.status == request.Status.PENDING:
            decider = people[
                "conference" if request.service == Service.INTERPRETATION else "secretariat"
            ]
            provisioning_services.check_decide(decider, request, approve=True)
    return meeting


def _register_crowd(
    meeting: Meeting, spec: PastMeeting, crowd: list[User], people: dict[str, User]
) -> list[Participation]:
    """Register part of the crowd; their focal points (or the organiser) approve.

    Registration for a meeting that is over is closed, so this records them with
    ``import_registration``; deciding goes through ``do_decide``.
    """
    rng = random.Random(f"register:{spec.code}")  # noqa: S311 - repeatable demo choices
    for person in crowd:
        if rng.random() > 0.7:
            continue
        remote = meeting.is_virtual or rng.random() >= spec.share_onsite
        attendance = AttendanceMode.REMOTE if remote else AttendanceMode.ONSITE
        kind = Registration.Kind.DELEGATE if person.entity_id else Registration.Kind.OBSERVER
        registration = registration_services.import_registration(person, meeting, kind, attendance)
        decider = (
            person.entity.focal_points.order_by("pk").first() if person.entity else None
        ) or people[spec.organiser]
        registration_services.do_decide(decider, registration, True)
    return list(
        meeting.participations.select_related("user", "entity").order_by("user__username", "role")
    )


def _device(rng: random.Random, attendance: str) -> str:
    if attendance == AttendanceMode.ONSITE:
        return rng.choice([DeviceClass.DESKTOP, DeviceClass.DESKTOP, DeviceClass.TABLET])
    return rng.choices(
        [DeviceClass.DESKTOP, DeviceClass.PHONE, DeviceClass.TABLET, DeviceClass.ROOM_SYSTEM],
        weights=[65, 20, 10, 5],
    )[0]


class _Facts:
    """Attendance facts of one session, each moved back to the time it happened."""

    def __init__(self, session: MeetingSession) -> None:
        self.session = session

    def add(self, at: dt.datetime, participation: Participation, kind: str, **extra: str) -> None:
        fact = record_attendance(
            user=participation.user,
            session=self.session,
            kind=kind,
            attendance=participation.attendance,
            entity=participation.entity,
            **extra,
        )
        AttendanceRecord.objects.filter(pk=fact.pk).update(at=at)


def _attend(
    session: MeetingSession,
    participations: Iterable[Participation],
    interpretation: list[str],
    captions: bool,
) -> None:
    """Joins, channels, floors and leaves of one session."""
    rng = random.Random(f"attend:{session.meeting.code}:{session.title}")  # noqa: S311 - repeatable demo choices
    facts = _Facts(session)
    minutes = int((session.ends_at - session.starts_at).total_seconds() // 60)
    speakers = 0
    for participation in participations:
        if participation.role != Participation.Role.CHAIR and rng.random() > 0.85:
            continue  # did not come to this session
        person = participation.user
        connection = f"demo-{session.pk}-{person.pk}"
        joined = session.starts_at + dt.timedelta(minutes=rng.randint(0, 20))
        device = _device(rng, participation.attendance)
        facts.add(joined, participation, Kind.JOIN, device_class=device, connection=connection)
        remote = participation.attendance == AttendanceMode.REMOTE
        language = person.preferred_language
        if remote and language in interpretation and language != "en":
            facts.add(
                joined + dt.timedelta(minutes=1),
                participation,
                Kind.CHANNEL,
                channel=language,
                language=language,
                connection=connection,
            )
        if remote and captions and rng.random() < 0.3:
            facts.add(
                joined + dt.timedelta(minutes=2),
                participation,
                Kind.CHANNEL,
                channel=CAPTIONS_CHANNEL,
                language="en",
                connection=connection,
            )
        # Remote delegates take the floor only where the session's rights allow it.
        may_speak = not remote or allows(session.remote_right, RemoteRight.SPEAK)
        if (
            participation.role == Participation.Role.DELEGATE
            and may_speak
            and speakers < 6
            and rng.random() < 0.3
        ):
            speakers += 1
            granted = session.starts_at + dt.timedelta(minutes=30 + 15 * speakers)
            facts.add(granted, participation, Kind.FLOOR_GRANTED)
            facts.add(
                granted + dt.timedelta(minutes=rng.randint(2, 6)), participation, Kind.FLOOR_ENDED
            )
        left = session.starts_at + dt.timedelta(minutes=minutes - rng.randint(0, 30))
        facts.add(left, participation, Kind.LEAVE, device_class=device, connection=connection)


def _webcast(session: MeetingSession, viewers: int, languages: list[str]) -> None:
    rng = random.Random(f"webcast:{session.pk}")  # noqa: S311 - repeatable demo choices
    for number in range(viewers):
        view = record_webcast_view(session, f"demo-viewer-{number}", rng.choice(languages))
        at = session.starts_at + dt.timedelta(minutes=rng.randint(0, 90))
        WebcastView.objects.filter(pk=view.pk).update(at=at)


def load_past_year(people: dict[str, User], crowd: list[User]) -> list[Meeting]:
    """The previous calendar year's meetings, with their attendance. Call once, in a
    transaction."""
    year = timezone.now().year - 1
    meetings = []
    for spec in _past_meetings(year):
        meeting = _create(spec, year, people)
        participations = _register_crowd(meeting, spec, crowd, people)
        provisioned = {request.service: request for request in meeting.service_requests.all()}
        booths = (
            provisioned[Service.INTERPRETATION].languages
            if Service.INTERPRETATION in provisioned
            else []
        )
        for session in meeting.sessions.select_related("meeting").order_by("starts_at"):
            _attend(session, participations, list(booths), Service.CAPTIONS in provisioned)
            if spec.webcast_viewers:
                _webcast(session, spec.webcast_viewers, spec.languages)
        meetings.append(meeting)
    return meetings
