"""Meetings API (``/api/v1/meetings/``): public meeting data, registration, approvals.

Refusals come back as ``{"code", "message", "field"}`` through the project's
handlers (400, 403 or 404); reading published meetings needs no sign-in.
"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from plenary.accounts.models import User
from plenary.accounts.permissions import check_verified
from plenary.core.errors import NotFoundRefusal, PermissionRefusal
from plenary.meetings import queries
from plenary.meetings.models import Meeting, Registration, Session
from plenary.meetings.services import registration as registration_services
from plenary.meetings.services.access import can_manage

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    code: str
    title: str
    titles: dict[str, str]
    description: str
    sector: str
    sector_name: str
    meeting_type: str
    site: str | None
    site_name: str | None
    virtual: bool
    time_zone: str
    start_date: dt.date
    end_date: dt.date
    working_language: str
    languages: list[str]
    status: str
    registration_open: bool

    @staticmethod
    def from_meeting(meeting: Meeting) -> MeetingOut:
        return MeetingOut(
            code=meeting.code,
            title=meeting.title,
            titles=meeting.titles,
            description=meeting.description,
            sector=meeting.sector.code,
            sector_name=str(meeting.sector),
            meeting_type=meeting.meeting_type,
            site=meeting.site.code if meeting.site else None,
            site_name=meeting.site.name if meeting.site else None,
            virtual=meeting.is_virtual,
            time_zone=meeting.tzinfo.key,
            start_date=meeting.start_date,
            end_date=meeting.end_date,
            working_language=meeting.working_language,
            languages=meeting.languages,
            status=meeting.status,
            registration_open=meeting.registration_open,
        )


class SessionOut(Schema):
    id: int
    title: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    local_start: str
    local_end: str
    time_zone: str
    room: str | None
    remote_right: str
    remote_right_label: str

    @staticmethod
    def from_session(session: Session) -> SessionOut:
        return SessionOut(
            id=session.pk,
            title=session.title,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            local_start=session.local_start().isoformat(),
            local_end=session.local_end().isoformat(),
            time_zone=session.meeting.tzinfo.key,
            room=session.room.name if session.room else None,
            remote_right=session.remote_right,
            remote_right_label=str(session.get_remote_right_display()),
        )


class RegistrationIn(Schema):
    kind: str = Registration.Kind.DELEGATE
    attendance: str


class RegistrationOut(Schema):
    id: int
    meeting: str
    meeting_title: str
    person: str
    entity: str | None
    kind: str
    attendance: str
    status: str
    status_label: str
    created_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str

    @staticmethod
    def from_registration(registration: Registration) -> RegistrationOut:
        return RegistrationOut(
            id=registration.pk,
            meeting=registration.meeting.code,
            meeting_title=registration.meeting.title,
            person=registration.user.display_name,
            entity=registration.entity.name if registration.entity else None,
            kind=registration.kind,
            attendance=registration.attendance,
            status=registration.status,
            status_label=str(registration.get_status_display()),
            created_at=registration.created_at,
            decided_at=registration.decided_at,
            decision_note=registration.decision_note,
        )


class DecisionIn(Schema):
    approve: bool
    note: str = ""


def _person(request: HttpRequest) -> User:
    """The signed-in user (session authentication has already admitted them)."""
    if not isinstance(request.user, User):
        raise PermissionRefusal(_("Sign in first."))
    return request.user


def _meeting(request: HttpRequest, code: str) -> Meeting:
    meeting = Meeting.objects.select_related("sector", "site").filter(code=code).first()
    if meeting is None or (
        meeting.status == Meeting.Status.DRAFT and not can_manage(request.user, meeting)
    ):
        raise NotFoundRefusal(_("No such meeting."))
    return meeting


@router.get("/", response=list[MeetingOut], auth=None)
def list_meetings(
    request: HttpRequest,
    sector: str | None = None,
    site: str | None = None,
    virtual: bool | None = None,
) -> list[MeetingOut]:
    """Upcoming published meetings, soonest first."""
    return [
        MeetingOut.from_meeting(meeting)
        for meeting in queries.upcoming_meetings(sector=sector, site=site, virtual=virtual)
    ]


@router.get("/registrations/mine", response=list[RegistrationOut])
def my_registrations(request: HttpRequest) -> list[RegistrationOut]:
    registrations = Registration.objects.filter(user=_person(request)).select_related(
        "meeting", "user", "entity"
    )
    return [RegistrationOut.from_registration(r) for r in registrations]


@router.get("/registrations/pending", response=list[RegistrationOut])
def pending_approvals(request: HttpRequest) -> list[RegistrationOut]:
    """Registrations awaiting the decision of this focal point."""
    return [RegistrationOut.from_registration(r) for r in queries.pending_approvals(request.user)]


@router.post("/registrations/{registration_id}/decision", response=RegistrationOut)
def decide(request: HttpRequest, registration_id: int, body: DecisionIn) -> RegistrationOut:
    """Approve or reject a pending registration."""
    check_verified(request.user)
    registration = get_object_or_404(
        Registration.objects.select_related("meeting", "user", "entity"), pk=registration_id
    )
    registration_services.do_decide(
        request.user, registration, approve=body.approve, note=body.note
    )
    return RegistrationOut.from_registration(registration)


@router.get("/{code}", response=MeetingOut, auth=None)
def meeting_detail(request: HttpRequest, code: str) -> MeetingOut:
    return MeetingOut.from_meeting(_meeting(request, code))


@router.get("/{code}/sessions", response=list[SessionOut], auth=None)
def meeting_sessions(request: HttpRequest, code: str) -> list[SessionOut]:
    """Sessions with UTC and local times and the rights of remote participants."""
    meeting = _meeting(request, code)
    return [
        SessionOut.from_session(session)
        for session in meeting.sessions.select_related("room", "meeting__site")
    ]


@router.post("/{code}/registration", response={201: RegistrationOut})
def register(request: HttpRequest, code: str, body: RegistrationIn) -> Status[RegistrationOut]:
    registration = registration_services.do_register(
        request.user, _meeting(request, code), body.kind, body.attendance
    )
    return Status(201, RegistrationOut.from_registration(registration))


@router.delete("/{code}/registration", response=RegistrationOut)
def withdraw(request: HttpRequest, code: str) -> RegistrationOut:
    meeting = _meeting(request, code)
    registration = Registration.objects.filter(meeting=meeting, user=_person(request)).first()
    if registration is None:
        raise NotFoundRefusal(_("You are not registered for this meeting."))
    return RegistrationOut.from_registration(
        registration_services.do_withdraw(request.user, registration)
    )
