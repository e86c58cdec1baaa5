"""The demo data set: sites, entities, people in every role, and meetings past, present
and future.

Reference data (sites, rooms, entities, people) is written directly; meetings,
registrations, roles and service requests go through the same services the
pages use, so the demo also fills the audit log and shows every workflow in a
realistic state: three upcoming meetings (``load_demo`` here), a past year of
meetings with their attendance (``plenary.demo.history``) and a session open
now (``plenary.demo.live``). Loading twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from plenary.accounts.models import Entity, User
from plenary.demo.common import session_data
from plenary.demo.history import load_past_year
from plenary.demo.live import ensure_live_session
from plenary.documents.demo import load_demo_documents
from plenary.meetings.models import (
    AttendanceMode,
    Meeting,
    Participation,
    Registration,
    Room,
    Sector,
    Site,
)
from plenary.meetings.services import meetings as meeting_services
from plenary.meetings.services import participation as participation_services
from plenary.meetings.services import registration as registration_services
from plenary.proposals import demo as proposals_demo
from plenary.provisioning import services as provisioning_services
from plenary.provisioning.models import Service
from plenary.workspaces.demo import load_demo_workspace


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    description: str


def demo_password(username: str) -> str:
    """A password derived from the secret key: stable across runs, printable again,
    and unguessable without the key (demo mode only)."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"demo:{username}".encode(), hashlib.sha256)
    text = digest.hexdigest()
    return f"{text[:4]}-{text[4:8]}-{text[8:12]}"


S = User.StaffRole
REFERENCE_DATA = Path(__file__).parent / "data" / "reference.json"


def _next_monday(after_days: int) -> dt.date:
    day = timezone.localdate() + dt.timedelta(days=after_days)
    return day + dt.timedelta(days=(7 - day.weekday()) % 7)


def _load_reference_data(data: dict[str, Any]) -> dict[str, User]:
    """Sites, rooms, entities and people; existing rows are left as they are."""
    sites = {}
    for row in data["sites"]:
        sites[row["code"]], _ = Site.objects.get_or_create(code=row["code"], defaults=row)
    for row in data["rooms"]:
        Room.objects.get_or_create(site=sites[row.pop("site")], name=row.pop("name"), defaults=row)
    sectors = {sector.code: sector for sector in Sector.objects.all()}
    entities = {}
    for row in data["entities"]:
        codes = row.pop("sectors")
        entity, created = Entity.objects.get_or_create(code=row["code"], defaults=row)
        if created:
            entity.sectors.set([sectors[code] for code in codes])
        entities[entity.code] = entity
    people = {}
    for row in data["people"]:
        focal_point = row.pop("focal_point")
        row.pop("about")
        row["entity"] = entities.get(row["entity"] or "")
        row["staff_site"] = sites.get(row["staff_site"] or "")
        row["email"] = f"{row['username']}@example.org"
        row["is_staff"] = row["staff_role"] in {S.SECRETARIAT, S.CONFERENCE}
        user, created = User.objects.get_or_create(username=row["username"], defaults=row)
        if created:
            user.set_password(demo_password(user.username))
            user.save(update_fields=["password"])
            if focal_point and user.entity:
                user.entity.focal_points.add(user)
        people[user.username] = user
    admin, created = User.objects.get_or_create(
        username="admin",
        defaults={
            "first_name": "Site",
            "last_name": "Administrator",
            "email": "admin@example.org",
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if created:
        admin.set_password(demo_password("admin"))
        admin.save(update_fields=["password"])
    people["admin"] = admin
    return people


def _load_crowd(data: dict[str, Any]) -> list[User]:
    """The delegates who fill the past year's meetings (not demo accounts: no password)."""
    entities = {entity.code: entity for entity in Entity.objects.all()}
    crowd = []
    for row in data["attendees"]:
        values = {
            **row,
            "entity": entities[row["entity"]],
            "email": f"{row['username']}@example.org",
        }
        user, created = User.objects.get_or_create(username=row["username"], defaults=values)
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        crowd.append(user)
    return crowd


def _register(
    person: User, meeting: Meeting, attendance: str, kind: str = Registration.Kind.DELEGATE
) -> Registration:
    return registration_services.do_register(person, meeting, kind, attendance)


def _study_group(people: dict[str, User]) -> None:
    organiser = people["organiser"]
    start = _next_monday(14)
    meeting = meeting_services.do_create_meeting(
        organiser,
        meeting_services.MeetingData(
            code=f"T-SG17-{start:%Y-%m}",
            sector=Sector.objects.get(code=Sector.Code.STANDARDIZATION),
            meeting_type=Meeting.Type.STUDY_GROUP,
            titles={
                "en": "ITU-T Study Group 17 (Security)",
                "fr": "Commission d'études 17 de l'UIT-T (Sécurité)",
                "es": "Comisión de Estudio 17 del UIT-T (Seguridad)",
                "ru": "17-я Исследовательская комиссия МСЭ-T (Безопасность)",
                "ar": "لجنة الدراسات 17 لقطاع تقييس الاتصالات (الأمن)",
                "zh-hans": "ITU-T 第17研究组（安全）",
            },
            descriptions={
                "en": "Plenary and working party sessions on security standards, "
                "with remote participation and live captions.",
                "fr": "Séances plénières et de groupe de travail sur les normes de sécurité, "
                "avec participation à distance et sous-titrage en direct.",
            },
            start_date=start,
            end_date=start + dt.timedelta(days=4),
            languages=["en", "fr", "es"],
            working_language="en",
            site=Site.objects.get(code="geneva-hq"),
        ),
    )
    for data in [
        session_data(meeting, 0, "09:30", "12:30", "Opening plenary", room="Popov Room"),
        session_data(meeting, 1, "14:30", "17:30", "Working Party 1/17", room="Room K"),
        session_data(meeting, 4, "09:30", "12:30", "Closing plenary", room="Popov Room"),
    ]:
        meeting_services.do_add_session(organiser, meeting, data)
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
    provisioning_services.check_request_services(
        organiser,
        meeting,
        [
            provisioning_services.ServiceSpec(Service.REMOTE_PARTICIPATION),
            provisioning_services.ServiceSpec(Service.CAPTIONS),
            provisioning_services.ServiceSpec(Service.INTERPRETATION, languages=["en", "fr", "es"]),
        ],
    )
    interpretation = meeting.service_requests.get(service=Service.INTERPRETATION)
    provisioning_services.check_decide(
        people["conference"],
        interpretation,
        approve=True,
        note="Booths confirmed for the plenaries.",
    )
    france = _register(people["delegate.france"], meeting, AttendanceMode.REMOTE)
    registration_services.do_decide(people["fp.france"], france, True)
    china = _register(people["delegate.china"], meeting, AttendanceMode.ONSITE)
    registration_services.do_decide(people["fp.china"], china, True)
    _register(people["delegate.kenya"], meeting, AttendanceMode.REMOTE)
    _register(people["observer"], meeting, AttendanceMode.REMOTE, Registration.Kind.OBSERVER)


def _regional_forum(people: dict[str, User]) -> None:
    organiser = people["ro.africa"]
    start = _next_monday(28) + dt.timedelta(days=1)
    meeting = meeting_services.do_create_meeting(
        organiser,
        meeting_services.MeetingData(
            code=f"D-RDF-AFR-{start:%Y-%m}",
            sector=Sector.objects.get(code=Sector.Code.DEVELOPMENT),
            meeting_type=Meeting.Type.REGIONAL,
            titles={
                "en": "ITU-D Regional Development Forum for Africa (e-meeting)",
                "fr": "Forum régional de développement pour l'Afrique de l'UIT-D "
                "(réunion virtuelle)",
            },
            descriptions={
                "en": "A two-day electronic meeting run by the Regional Office for "
                "Africa on affordable broadband and digital skills."
            },
            start_date=start,
            end_date=start + dt.timedelta(days=1),
            languages=["en", "fr"],
            working_language="en",
            site=Site.objects.get(code="addis-ababa-ro"),
        ),
    )
    meeting_services.do_add_session(
        organiser, meeting, session_data(meeting, 0, "10:00", "13:00", "Affordable broadband")
    )
    meeting_services.do_add_session(
        organiser, meeting, session_data(meeting, 1, "10:00", "13:00", "Digital skills")
    )
    meeting_services.do_publish_meeting(organiser, meeting)
    participation_services.do_assign_role(
        organiser,
        meeting,
        people["chair"],
        Participation.Role.CHAIR,
        attendance=AttendanceMode.REMOTE,
    )
    provisioning_services.check_request_services(
        organiser,
        meeting,
        [
            provisioning_services.ServiceSpec(Service.REMOTE_PARTICIPATION),
            provisioning_services.ServiceSpec(Service.CAPTIONS),
        ],
    )
    kenya = _register(people["fp.kenya"], meeting, AttendanceMode.REMOTE)
    registration_services.do_decide(people["fp.kenya"], kenya, True)


def _council(people: dict[str, User]) -> None:
    secretariat = people["secretariat"]
    start = _next_monday(56)
    six = ["ar", "zh-hans", "en", "fr", "ru", "es"]
    meeting = meeting_services.do_create_meeting(
        secretariat,
        meeting_services.MeetingData(
            code=f"C-{start:%Y}",
            sector=Sector.objects.get(code=Sector.Code.GENERAL_SECRETARIAT),
            meeting_type=Meeting.Type.COUNCIL,
            titles={
                "en": f"ITU Council {start:%Y}",
                "fr": f"Conseil de l'UIT {start:%Y}",
                "es": f"Consejo de la UIT {start:%Y}",
                "ru": f"Совет МСЭ {start:%Y}",
                "ar": f"مجلس الاتحاد الدولي للاتصالات {start:%Y}",
                "zh-hans": f"{start:%Y}年国际电联理事会",
            },
            start_date=start,
            end_date=start + dt.timedelta(days=9),
            languages=six,
            working_language="en",
            site=Site.objects.get(code="geneva-hq"),
        ),
    )
    meeting_services.do_add_session(
        secretariat,
        meeting,
        session_data(meeting, 0, "09:30", "12:30", "Opening of the session", room="Popov Room"),
    )
    meeting_services.do_add_session(
        secretariat,
        meeting,
        session_data(
            meeting,
            0,
            "14:30",
            "17:30",
            "Report on remote participation (Resolution 167)",
            room="Popov Room",
        ),
    )
    meeting_services.do_publish_meeting(secretariat, meeting)
    provisioning_services.check_request_services(
        secretariat,
        meeting,
        [
            provisioning_services.ServiceSpec(Service.REMOTE_PARTICIPATION),
            provisioning_services.ServiceSpec(
                Service.INTERPRETATION,
                languages=six,
                note="Six-language interpretation in all plenaries.",
            ),
            provisioning_services.ServiceSpec(Service.WEBCAST, public=True),
        ],
    )
    for username in ("delegate.saudi", "delegate.russia"):
        _register(people[username], meeting, AttendanceMode.REMOTE)


def load_demo() -> list[DemoAccount]:
    """Load everything once; return the demo accounts with their passwords."""
    data = json.loads(REFERENCE_DATA.read_text(encoding="utf-8"))
    about = {row["username"]: row["about"] for row in data["people"]}
    with transaction.atomic():
        people = _load_reference_data(data)
        crowd = _load_crowd(data)
        if not Meeting.objects.filter(code__startswith="T-SG17-").exists():
            _study_group(people)
            _regional_forum(people)
            _council(people)
            delegates = [person for person in people.values() if person.entity_id]
            load_past_year(people, [*delegates, people["observer"], *crowd])
        live = ensure_live_session(people)
        load_demo_documents(live.meeting, people)
        load_demo_workspace(live.meeting, people)
        # WRC-27 in the Proposals Management System: base texts, agenda, and a
        # published common proposal by France co-signed by Saudi Arabia.
        proposals_demo.load_demo_proposals(
            people["delegate.france"], people["secretariat"], people["delegate.saudi"]
        )
    accounts = [DemoAccount("admin", demo_password("admin"), "* superuser: the Django admin")]
    accounts += [DemoAccount(name, demo_password(name), text) for name, text in about.items()]
    return accounts
