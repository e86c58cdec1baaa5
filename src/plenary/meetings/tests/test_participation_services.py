import pytest

from plenary.accounts.tests.factories import DelegateFactory, OrganiserFactory
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.meetings.models import AttendanceMode, Participation
from plenary.meetings.services.participation import (
    do_assign_role,
    do_remove_role,
)
from plenary.meetings.tests.factories import MeetingFactory, ParticipationFactory

pytestmark = pytest.mark.django_db


def test_the_organiser_appoints_a_chair() -> None:
    meeting = MeetingFactory.create()
    chair = DelegateFactory.create()
    participation = do_assign_role(meeting.organiser, meeting, chair, "chair")
    assert participation.role == Participation.Role.CHAIR
    assert participation.entity == chair.entity
    assert participation.attendance == AttendanceMode.ONSITE


def test_an_interpreter_works_in_a_language_of_the_meeting(db_state) -> None:
    meeting = MeetingFactory.create(languages=["en", "fr"])
    interpreter = DelegateFactory.create()
    before = db_state()
    with pytest.raises(Refusal) as refused:
        do_assign_role(meeting.organiser, meeting, interpreter, "interpreter", language="ru")
    assert refused.value.field == "language"
    assert db_state() == before
    booth = do_assign_role(meeting.organiser, meeting, interpreter, "interpreter", language="fr")
    assert booth.language == "fr"


def test_a_role_is_held_once(db_state) -> None:
    meeting = MeetingFactory.create()
    person = DelegateFactory.create()
    do_assign_role(meeting.organiser, meeting, person, "vice_chair")
    before = db_state()
    with pytest.raises(Refusal, match="already holds"):
        do_assign_role(meeting.organiser, meeting, person, "vice_chair")
    assert db_state() == before


def test_a_role_assigned_by_a_concurrent_request_is_refused_not_a_server_error(db_state) -> None:
    meeting = MeetingFactory.create()
    person = DelegateFactory.create()
    # Both requests passed do_assign_role; the second write loses the race.
    do_assign_role(meeting.organiser, meeting, person, "chair", language="", attendance="onsite")
    before = db_state()
    with pytest.raises(Refusal, match="already holds") as refused:
        do_assign_role(
            meeting.organiser, meeting, person, "chair", language="", attendance="onsite"
        )
    assert refused.value.code == "duplicate"
    assert db_state() == before


def test_delegates_come_from_registrations_not_from_assignment() -> None:
    meeting = MeetingFactory.create()
    with pytest.raises(Refusal):
        do_assign_role(meeting.organiser, meeting, DelegateFactory.create(), "delegate")


def test_in_a_virtual_meeting_everyone_is_remote() -> None:
    meeting = MeetingFactory.create(site=None)
    operator = do_assign_role(meeting.organiser, meeting, DelegateFactory.create(), "room_operator")
    assert operator.attendance == AttendanceMode.REMOTE


def test_only_a_manager_assigns_and_removes_roles() -> None:
    meeting = MeetingFactory.create()
    with pytest.raises(PermissionRefusal):
        do_assign_role(OrganiserFactory.create(), meeting, DelegateFactory.create(), "chair")
    chair = ParticipationFactory.create(meeting=meeting, role="chair")
    with pytest.raises(PermissionRefusal):
        do_remove_role(OrganiserFactory.create(), chair)
    do_remove_role(meeting.organiser, chair)
    assert not Participation.objects.exists()


def test_a_delegate_role_is_not_removed_by_the_organiser() -> None:
    delegate = ParticipationFactory.create()
    with pytest.raises(Refusal, match="withdrawing"):
        do_remove_role(delegate.meeting.organiser, delegate)
