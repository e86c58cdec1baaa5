"""A session with one person in each role, for the floor's tests."""

from __future__ import annotations

from dataclasses import dataclass

from plenary.accounts.models import User
from plenary.accounts.tests.factories import DelegateFactory, StaffFactory
from plenary.meetings.models import AttendanceMode, Participation, RemoteRight, Sector, Session
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory

Role = Participation.Role


@dataclass
class Cast:
    session: Session
    chair: User
    vice_chair: User
    delegate: User  # remote
    onsite: User  # in the room, no device
    observer: User
    operator: User
    secretariat: User


def participant(session: Session, role: str, attendance: str = AttendanceMode.REMOTE) -> User:
    return ParticipationFactory.create(
        meeting=session.meeting, role=role, attendance=attendance
    ).user


def cast(remote_right: str = RemoteRight.CONTRIBUTE) -> Cast:
    """A session of a published meeting and its people."""
    # Transactional tests flush the sectors that a data migration created.
    sector, _ = Sector.objects.get_or_create(code=Sector.Code.STANDARDIZATION)
    session = SessionFactory.create(remote_right=remote_right, meeting__sector=sector)
    secretariat = StaffFactory.create()
    return Cast(
        session=session,
        chair=participant(session, Role.CHAIR, AttendanceMode.ONSITE),
        vice_chair=participant(session, Role.VICE_CHAIR, AttendanceMode.ONSITE),
        delegate=participant(session, Role.DELEGATE),
        onsite=participant(session, Role.DELEGATE, AttendanceMode.ONSITE),
        observer=participant(session, Role.OBSERVER),
        operator=participant(session, Role.ROOM_OPERATOR, AttendanceMode.ONSITE),
        secretariat=secretariat,
    )


def another_delegate(session: Session, attendance: str = AttendanceMode.REMOTE) -> User:
    user = DelegateFactory.create()
    ParticipationFactory.create(meeting=session.meeting, user=user, attendance=attendance)
    return user
