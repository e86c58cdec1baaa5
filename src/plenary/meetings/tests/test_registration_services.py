import pytest
from django.core import mail

from plenary.accounts.tests.factories import (
    DelegateFactory,
    FocalPointFactory,
    OrganiserFactory,
    UserFactory,
)
from plenary.core.audit import entries_for
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.meetings.models import AttendanceMode, Meeting, Participation, Registration
from plenary.meetings.services.registration import do_decide, do_register, do_withdraw
from plenary.meetings.tests.factories import (
    MeetingFactory,
    ParticipationFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db

DELEGATE = Registration.Kind.DELEGATE
OBSERVER = Registration.Kind.OBSERVER
REMOTE = AttendanceMode.REMOTE
ONSITE = AttendanceMode.ONSITE


def test_a_delegate_registers_for_their_entity_and_its_focal_points_are_told(
    django_capture_on_commit_callbacks,
) -> None:
    meeting = MeetingFactory.create()
    delegate = DelegateFactory.create()
    focal_point = FocalPointFactory.create(entity=delegate.entity, preferred_language="fr")
    with django_capture_on_commit_callbacks(execute=True):
        registration = do_register(delegate, meeting, DELEGATE, ONSITE)
    assert registration.status == Registration.Status.PENDING
    assert registration.entity == delegate.entity
    assert [m.to for m in mail.outbox] == [[focal_point.email]]
    assert "/approvals/" in mail.outbox[0].body
    assert entries_for(registration).filter(action="registration.created").exists()


def test_an_observer_registers_without_entity_and_the_organiser_is_told(
    django_capture_on_commit_callbacks,
) -> None:
    meeting = MeetingFactory.create()
    with django_capture_on_commit_callbacks(execute=True):
        registration = do_register(DelegateFactory.create(), meeting, OBSERVER, REMOTE)
    assert registration.entity is None
    assert [m.to for m in mail.outbox] == [[meeting.organiser.email]]


def test_registering_twice_is_refused_with_a_clear_message(db_state) -> None:
    meeting = MeetingFactory.create()
    delegate = DelegateFactory.create()
    do_register(delegate, meeting, DELEGATE, REMOTE)
    before = db_state()
    with pytest.raises(Refusal, match="already registered") as refused:
        do_register(delegate, meeting, OBSERVER, ONSITE)
    assert refused.value.code == "already_registered"
    assert db_state() == before


def test_someone_without_entity_registers_only_as_observer() -> None:
    with pytest.raises(Refusal, match="observer"):
        do_register(UserFactory.create(), MeetingFactory.create(), DELEGATE, REMOTE)


def test_a_fully_virtual_meeting_refuses_onsite_attendance(db_state) -> None:
    meeting = MeetingFactory.create(site=None)
    delegate = DelegateFactory.create()
    before = db_state()
    with pytest.raises(Refusal, match="fully virtual") as refused:
        do_register(delegate, meeting, DELEGATE, ONSITE)
    assert refused.value.field == "attendance"
    assert db_state() == before


@pytest.mark.parametrize(
    ("meeting_values", "error"),
    [
        ({"registration_open": False}, "closed"),
        ({"status": Meeting.Status.CANCELLED}, "cancelled"),
    ],
)
def test_closed_or_cancelled_meetings_refuse_registration(
    meeting_values: dict[str, object], error: str, db_state
) -> None:
    meeting = MeetingFactory.create(**meeting_values)
    delegate = DelegateFactory.create()
    before = db_state()
    with pytest.raises(Refusal, match=error):
        do_register(delegate, meeting, DELEGATE, REMOTE)
    assert db_state() == before


def test_a_draft_meeting_is_not_found() -> None:
    meeting = MeetingFactory.create(status=Meeting.Status.DRAFT)
    with pytest.raises(NotFoundRefusal):
        do_register(DelegateFactory.create(), meeting, DELEGATE, REMOTE)


def test_the_focal_point_approves_and_a_participation_is_created(
    django_capture_on_commit_callbacks,
) -> None:
    registration = RegistrationFactory.create(attendance=ONSITE)
    registration.user.preferred_language = "fr"
    registration.user.save()
    focal_point = FocalPointFactory.create(entity=registration.entity)
    with django_capture_on_commit_callbacks(execute=True):
        do_decide(focal_point, registration, approve=True, note="Welcome")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPROVED
    assert registration.decided_by == focal_point
    participation = Participation.objects.get()
    assert (participation.user, participation.role, participation.entity) == (
        registration.user,
        Participation.Role.DELEGATE,
        registration.entity,
    )
    assert participation.attendance == ONSITE
    assert participation.registration == registration
    assert [m.to for m in mail.outbox] == [[registration.user.email]]
    assert "Welcome" in mail.outbox[0].body
    assert entries_for(registration).filter(action="registration.approved").exists()


def test_approval_by_someone_who_is_not_the_focal_point_is_refused(db_state) -> None:
    registration = RegistrationFactory.create()
    other_focal_point = FocalPointFactory.create()  # of another entity
    before = db_state()
    for outsider in (other_focal_point, registration.meeting.organiser, registration.user):
        with pytest.raises(PermissionRefusal, match="Only a focal point of"):
            do_decide(outsider, registration, approve=True)
    assert db_state() == before


def test_observers_are_decided_by_the_organiser_or_the_meeting_secretariat() -> None:
    meeting = MeetingFactory.create()
    first = RegistrationFactory.create(meeting=meeting, kind=OBSERVER, entity=None)
    second = RegistrationFactory.create(meeting=meeting, kind=OBSERVER, entity=None)
    with pytest.raises(PermissionRefusal):
        do_decide(FocalPointFactory.create(), first, approve=True)
    do_decide(meeting.organiser, first, approve=True)
    secretary = ParticipationFactory.create(meeting=meeting, role="secretariat").user
    do_decide(secretary, second, approve=False, note="Full")
    assert set(Registration.objects.values_list("status", flat=True)) == {
        Registration.Status.APPROVED,
        Registration.Status.REJECTED,
    }
    assert Participation.objects.filter(role=Participation.Role.OBSERVER).count() == 1


def test_a_rejection_creates_no_participation() -> None:
    registration = RegistrationFactory.create()
    focal_point = FocalPointFactory.create(entity=registration.entity)
    do_decide(focal_point, registration, approve=False)
    assert not Participation.objects.exists()
    with pytest.raises(Refusal, match="already been decided"):
        do_decide(focal_point, registration, approve=True)


def test_withdrawing_removes_the_participation_and_allows_registering_again() -> None:
    registration = RegistrationFactory.create()
    do_decide(FocalPointFactory.create(entity=registration.entity), registration, approve=True)
    do_withdraw(registration.user, registration)
    assert Registration.objects.get().status == Registration.Status.WITHDRAWN
    assert not Participation.objects.exists()
    again = do_register(registration.user, registration.meeting, DELEGATE, REMOTE)
    assert again.pk == registration.pk
    assert again.status == Registration.Status.PENDING


def test_only_the_registrant_withdraws() -> None:
    registration = RegistrationFactory.create()
    with pytest.raises(PermissionRefusal):
        do_withdraw(OrganiserFactory.create(), registration)
