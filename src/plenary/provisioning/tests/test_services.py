"""Requests, decisions, provisioning and cancellation, with every refusal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from plenary.accounts.models import User
from plenary.accounts.tests.factories import OrganiserFactory
from plenary.core.audit import entries_for
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.meetings.models import Meeting, Participation
from plenary.meetings.tests.factories import (
    MeetingFactory,
    ParticipationFactory,
    RegionalOfficeFactory,
    RoomFactory,
    SessionFactory,
)
from plenary.provisioning import queries, services
from plenary.provisioning.models import JoinLink, Service, ServiceRequest
from plenary.provisioning.services import ServiceSpec
from plenary.provisioning.tests.factories import RegionalStaffFactory

pytestmark = pytest.mark.django_db
State = Callable[[], dict[str, Any]]


def _request(user: User, meeting: Meeting, service: str, **fields: Any) -> ServiceRequest:
    (created,) = services.check_request_services(user, meeting, [ServiceSpec(service, **fields)])
    created.refresh_from_db()
    return created


def _refused(state: State, call: Callable[[], object], code: str) -> Refusal:
    before = state()
    with pytest.raises(Refusal) as refused:
        call()
    assert refused.value.code == code
    assert str(refused.value.message)
    assert state() == before
    return refused.value


# --- Requests and the policy ----------------------------------------------------


def test_organiser_gets_remote_participation_at_once(organiser: User, meeting: Meeting) -> None:
    created = _request(organiser, meeting, Service.REMOTE_PARTICIPATION)
    assert created.status == ServiceRequest.Status.PROVISIONED
    assert created.decided_by is None
    assert entries_for(created).get(action="service_request.approved").data["automatic"]
    assert [e.action for e in entries_for(created)] == [
        "service_request.provisioned",
        "service_request.approved",
        "service_request.requested",
    ]


def test_interpretation_waits_for_the_conference_department(
    organiser: User, meeting: Meeting, conference: User, secretariat: User
) -> None:
    created = _request(organiser, meeting, Service.INTERPRETATION, languages=["fr", "en"])
    assert created.status == ServiceRequest.Status.PENDING
    assert created.languages == ["en", "fr"]
    assert queries.pending_for(conference) == [created]
    assert queries.pending_for(secretariat) == []


def test_regional_staff_get_webcast_at_once_at_their_office() -> None:
    office = RegionalOfficeFactory.create(offers_webcast=True)
    staff = RegionalStaffFactory.create(staff_site=office)
    meeting = MeetingFactory.create(site=office)
    created = _request(staff, meeting, Service.WEBCAST, public=True)
    assert created.status == ServiceRequest.Status.PROVISIONED
    assert created.webcast_token


def test_languages_and_public_apply_only_to_their_service(
    organiser: User, meeting: Meeting
) -> None:
    created = _request(organiser, meeting, Service.CAPTIONS, languages=["fr"], public=True)
    assert created.languages == []
    assert created.public is False


def test_a_service_may_be_requested_again_after_a_rejection(
    organiser: User, meeting: Meeting, secretariat: User
) -> None:
    first = _request(organiser, meeting, Service.WEBCAST)
    services.check_decide(secretariat, first, approve=False, note="No budget")
    again = _request(organiser, meeting, Service.WEBCAST)
    assert again.status == ServiceRequest.Status.PENDING


def test_refused_for_someone_who_may_not_organise_the_meeting(
    meeting: Meeting, db_state: State
) -> None:
    other = OrganiserFactory.create()
    refusal = _refused(
        db_state,
        lambda: _request(other, meeting, Service.CAPTIONS),
        "forbidden",
    )
    assert isinstance(refusal, PermissionRefusal)


def test_refused_when_the_site_cannot_offer_it(db_state: State) -> None:
    office = RegionalOfficeFactory.create()
    meeting = MeetingFactory.create(site=office)
    refusal = _refused(
        db_state,
        lambda: _request(meeting.organiser, meeting, Service.INTERPRETATION, languages=["en"]),
        "not_offered",
    )
    assert refusal.field == Service.INTERPRETATION
    assert office.name in str(refusal)


def test_a_virtual_meeting_offers_remote_interpretation(organiser: User) -> None:
    meeting = MeetingFactory.create(organiser=organiser, site=None, time_zone="America/New_York")
    created = _request(organiser, meeting, Service.INTERPRETATION, languages=["en", "fr"])
    assert created.status == ServiceRequest.Status.PENDING


def test_refused_for_languages_outside_the_meeting(
    organiser: User, meeting: Meeting, db_state: State
) -> None:
    refusal = _refused(
        db_state,
        lambda: _request(organiser, meeting, Service.INTERPRETATION, languages=["en", "ru"]),
        "language_not_offered",
    )
    assert refusal.field == "languages"
    assert "Spanish" in str(refusal)


def test_refused_for_unknown_languages(organiser: User, meeting: Meeting, db_state: State) -> None:
    _refused(
        db_state,
        lambda: _request(organiser, meeting, Service.INTERPRETATION, languages=["xx"]),
        "unknown_language",
    )


def test_refused_without_languages(organiser: User, meeting: Meeting, db_state: State) -> None:
    _refused(
        db_state,
        lambda: _request(organiser, meeting, Service.INTERPRETATION),
        "no_languages",
    )


def test_refused_for_more_booths_than_a_room_has(
    organiser: User, meeting: Meeting, db_state: State
) -> None:
    small = RoomFactory.create(site=meeting.site, name="Room B", interpretation_booths=2)
    SessionFactory.create(meeting=meeting, room=small)
    refusal = _refused(
        db_state,
        lambda: _request(organiser, meeting, Service.INTERPRETATION, languages=["en", "fr", "es"]),
        "too_many_booths",
    )
    assert "Room B" in str(refusal)


def test_refused_duplicate_active_request(
    organiser: User, meeting: Meeting, db_state: State
) -> None:
    _request(organiser, meeting, Service.WEBCAST)
    _refused(db_state, lambda: _request(organiser, meeting, Service.WEBCAST), "duplicate")


def test_refused_for_a_cancelled_meeting(
    organiser: User, meeting: Meeting, db_state: State
) -> None:
    Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.CANCELLED)
    meeting.refresh_from_db()
    _refused(
        db_state,
        lambda: _request(organiser, meeting, Service.CAPTIONS),
        "meeting_cancelled",
    )


def test_refused_note_too_long(organiser: User, meeting: Meeting, db_state: State) -> None:
    _refused(
        db_state,
        lambda: _request(organiser, meeting, Service.CAPTIONS, note="x" * 1001),
        "note_too_long",
    )


def test_one_refused_service_stores_none_of_the_batch(
    organiser: User, meeting: Meeting, db_state: State
) -> None:
    batch = [
        ServiceSpec(Service.CAPTIONS),
        ServiceSpec(Service.INTERPRETATION, languages=["ru"]),
    ]
    _refused(
        db_state,
        lambda: services.check_request_services(organiser, meeting, batch),
        "language_not_offered",
    )


# --- Decisions ------------------------------------------------------------------------


def test_approval_provisions_and_is_audited(
    organiser: User, meeting: Meeting, conference: User
) -> None:
    pending = _request(organiser, meeting, Service.INTERPRETATION, languages=["en", "fr"])
    decided = services.check_decide(conference, pending, approve=True, note="Booths booked")
    assert decided.status == ServiceRequest.Status.PROVISIONED
    assert decided.decided_by == conference
    assert decided.decision_note == "Booths booked"
    assert queries.provisioned_services(meeting) == {Service.INTERPRETATION}
    assert entries_for(decided).filter(action="service_request.approved").get().actor == conference


def test_rejection_is_stored_with_its_reason(
    organiser: User, meeting: Meeting, secretariat: User
) -> None:
    pending = _request(organiser, meeting, Service.WEBCAST)
    decided = services.check_decide(secretariat, pending, approve=False, note="No streaming budget")
    assert decided.status == ServiceRequest.Status.REJECTED
    assert entries_for(decided).filter(action="service_request.rejected").exists()
    assert queries.provisioned_services(meeting) == set()


@pytest.mark.parametrize("decider", ["secretariat", "organiser"])
def test_refused_decision_without_the_right(
    decider: str, meeting: Meeting, organiser: User, db_state: State, request: Any
) -> None:
    pending = _request(organiser, meeting, Service.INTERPRETATION, languages=["en"])
    user = request.getfixturevalue(decider)
    refusal = _refused(
        db_state, lambda: services.check_decide(user, pending, approve=True), "forbidden"
    )
    assert isinstance(refusal, PermissionRefusal)


def test_refused_second_decision(
    organiser: User, meeting: Meeting, secretariat: User, db_state: State
) -> None:
    pending = _request(organiser, meeting, Service.WEBCAST)
    services.check_decide(secretariat, pending, approve=True)
    _refused(
        db_state,
        lambda: services.check_decide(secretariat, pending, approve=False, note="Too late"),
        "not_pending",
    )


def test_refused_rejection_without_reason(
    organiser: User, meeting: Meeting, secretariat: User, db_state: State
) -> None:
    pending = _request(organiser, meeting, Service.WEBCAST)
    _refused(
        db_state,
        lambda: services.check_decide(secretariat, pending, approve=False, note="  "),
        "reason_required",
    )


# --- Cancellation -----------------------------------------------------------------------


def test_cancelling_remote_participation_revokes_the_join_links(
    organiser: User, meeting: Meeting, delegate: User
) -> None:
    provisioned = _request(organiser, meeting, Service.REMOTE_PARTICIPATION)
    link = services.join_link_for(delegate, meeting)
    assert link is not None
    services.check_cancel(organiser, provisioned)
    link.refresh_from_db()
    assert not link.is_active
    assert services.join_link_for(delegate, meeting) is None
    assert entries_for(provisioned).filter(action="service_request.cancelled").exists()


def test_refused_cancel_by_a_participant(
    organiser: User, meeting: Meeting, delegate: User, db_state: State
) -> None:
    provisioned = _request(organiser, meeting, Service.CAPTIONS)
    _refused(db_state, lambda: services.check_cancel(delegate, provisioned), "forbidden")


def test_refused_cancel_twice(organiser: User, meeting: Meeting, db_state: State) -> None:
    provisioned = _request(organiser, meeting, Service.CAPTIONS)
    services.check_cancel(organiser, provisioned)
    _refused(db_state, lambda: services.check_cancel(organiser, provisioned), "not_active")


# --- Join links --------------------------------------------------------------------------


def test_provisioning_gives_every_participant_a_link_by_email(
    organiser: User, meeting: Meeting, delegate: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _request(organiser, meeting, Service.REMOTE_PARTICIPATION)
    link = JoinLink.objects.get(meeting=meeting, user=delegate)
    assert [m.to for m in mail.outbox] == [[delegate.email]]
    assert link.token in mail.outbox[0].body


def test_participants_approved_later_get_their_link_by_email(
    organiser: User, meeting: Meeting, django_capture_on_commit_callbacks: Any
) -> None:
    _request(organiser, meeting, Service.REMOTE_PARTICIPATION)
    with django_capture_on_commit_callbacks(execute=True):
        late = ParticipationFactory.create(meeting=meeting).user
        ParticipationFactory.create(meeting=meeting, user=late, role=Participation.Role.OBSERVER)
    link = JoinLink.objects.get(user=late)
    assert [m.to for m in mail.outbox] == [[late.email]]
    assert link.token in mail.outbox[0].body
    assert services.join_link_for(late, meeting) == link


def test_join_links_are_created_lazily_and_once(
    organiser: User, meeting: Meeting, delegate: User
) -> None:
    _request(organiser, meeting, Service.REMOTE_PARTICIPATION)
    JoinLink.objects.filter(user=delegate).delete()  # e.g. rows from before an upgrade
    first = services.join_link_for(delegate, meeting)
    assert first is not None
    assert services.join_link_for(delegate, meeting) == first
    assert JoinLink.objects.filter(user=delegate).count() == 1


def test_no_link_without_remote_participation_or_participation(
    organiser: User, meeting: Meeting, delegate: User
) -> None:
    assert services.join_link_for(delegate, meeting) is None
    _request(organiser, meeting, Service.REMOTE_PARTICIPATION)
    outsider = OrganiserFactory.create()
    assert services.join_link_for(outsider, meeting) is None


def test_a_token_is_valid_only_for_its_owner(
    organiser: User, meeting: Meeting, delegate: User
) -> None:
    _request(organiser, meeting, Service.REMOTE_PARTICIPATION)
    link = services.join_link_for(delegate, meeting)
    assert link is not None
    assert services.join_link_by_token(delegate, link.token) == link
    with pytest.raises(Refusal):
        services.join_link_by_token(organiser, link.token)
    with pytest.raises(Refusal):
        services.join_link_by_token(delegate, "not-a-token")


def test_a_revoked_link_stops_working_and_a_new_one_is_issued(
    organiser: User, meeting: Meeting, delegate: User
) -> None:
    _request(organiser, meeting, Service.REMOTE_PARTICIPATION)
    old = services.join_link_for(delegate, meeting)
    assert old is not None
    services.check_revoke_link(delegate, old)
    with pytest.raises(Refusal):
        services.join_link_by_token(delegate, old.token)
    new = services.join_link_for(delegate, meeting)
    assert new is not None
    assert new.token != old.token
    assert entries_for(old).filter(action="join_link.revoked").exists()


def test_refused_revocation_by_another_participant(
    organiser: User, meeting: Meeting, delegate: User, db_state: State
) -> None:
    _request(organiser, meeting, Service.REMOTE_PARTICIPATION)
    link = services.join_link_for(delegate, meeting)
    assert link is not None
    other = OrganiserFactory.create()
    _refused(db_state, lambda: services.check_revoke_link(other, link), "forbidden")


# --- Calendar feeds ------------------------------------------------------------------------


def test_calendar_feed_is_created_once_and_can_be_reset(delegate: User) -> None:
    feed = services.calendar_feed_for(delegate)
    assert services.calendar_feed_for(delegate) == feed
    assert services.feed_owner(feed.token) == delegate
    new = services.do_reset_calendar_feed(delegate)
    assert new.token != feed.token
    with pytest.raises(Refusal):
        services.feed_owner(feed.token)
    assert services.feed_owner(new.token) == delegate
