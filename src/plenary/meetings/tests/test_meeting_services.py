import datetime as dt

import pytest
from django.core import mail

from plenary.accounts.models import User
from plenary.accounts.tests.factories import DelegateFactory, OrganiserFactory, StaffFactory
from plenary.core.audit import entries_for
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.meetings.models import Meeting, Registration, Sector
from plenary.meetings.services.access import can_manage
from plenary.meetings.services.meetings import (
    MeetingData,
    do_cancel_meeting,
    do_create_meeting,
    do_publish_meeting,
    do_update_meeting,
)
from plenary.meetings.tests.factories import (
    MARCH_2027,
    MeetingFactory,
    ParticipationFactory,
    RegionalOfficeFactory,
    RegistrationFactory,
    SessionFactory,
    SiteFactory,
    sector,
)

pytestmark = pytest.mark.django_db


def data(**changes: object) -> MeetingData:
    values: dict[str, object] = {
        "code": "T-SG17-2027-03",
        "sector": sector(Sector.Code.STANDARDIZATION),
        "meeting_type": Meeting.Type.STUDY_GROUP,
        "titles": {"en": "Study Group 17", "fr": "Commission d'études 17"},
        "start_date": dt.date(2027, 3, 1),
        "end_date": dt.date(2027, 3, 5),
        "languages": ["fr", "en"],
        "site": SiteFactory.create(),
    }
    values.update(changes)
    return MeetingData(**values)  # type: ignore[arg-type]


def test_an_organiser_creates_a_draft_meeting_at_a_site() -> None:
    organiser = OrganiserFactory.create()
    meeting = do_create_meeting(organiser, data())
    assert meeting.status == Meeting.Status.DRAFT
    assert meeting.organiser == organiser
    assert meeting.languages == ["en", "fr"]
    assert meeting.time_zone == "Europe/Zurich"
    assert [e.action for e in entries_for(meeting)] == ["meeting.created"]


def test_a_virtual_meeting_keeps_its_own_time_zone() -> None:
    meeting = do_create_meeting(OrganiserFactory.create(), data(site=None, time_zone="Asia/Tokyo"))
    assert meeting.is_virtual
    assert meeting.tzinfo.key == "Asia/Tokyo"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"titles": {"fr": "Commission"}}, "titles"),
        ({"languages": ["fr"]}, "languages"),
        ({"languages": ["en", "de"]}, "languages"),
        ({"end_date": dt.date(2027, 2, 28)}, "end_date"),
        ({"site": None, "time_zone": "Mars/Olympus"}, "time_zone"),
        ({"meeting_type": "picnic"}, "meeting_type"),
        ({"code": "  "}, "code"),
    ],
)
def test_invalid_meeting_data_is_refused_and_nothing_is_stored(
    changes: dict[str, object], field: str, db_state
) -> None:
    organiser = OrganiserFactory.create()
    bad = data(**changes)
    before = db_state()
    with pytest.raises(Refusal) as refused:
        do_create_meeting(organiser, bad)
    assert refused.value.field == field
    assert db_state() == before


def test_a_reference_already_in_use_is_refused() -> None:
    MeetingFactory.create(code="T-SG17-2027-03")
    with pytest.raises(Refusal, match="already uses the reference") as refused:
        do_create_meeting(OrganiserFactory.create(), data())
    assert refused.value.field == "code"


def test_a_reference_taken_by_a_concurrent_request_is_refused_not_a_server_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from plenary.meetings.services import meetings

    organiser = OrganiserFactory.create()
    # The second request passed the check before the first one was stored.
    checked = meetings.check_create_meeting(organiser, data())
    do_create_meeting(organiser, data())
    monkeypatch.setattr(meetings, "check_create_meeting", lambda actor, data: checked)
    with pytest.raises(Refusal, match="already uses the reference") as refused:
        do_create_meeting(organiser, data())
    assert refused.value.field == "code"
    assert Meeting.objects.count() == 1


def test_a_delegate_may_not_create_meetings() -> None:
    with pytest.raises(PermissionRefusal):
        do_create_meeting(DelegateFactory.create(), data())


def test_regional_office_staff_organise_only_at_their_office() -> None:
    office = RegionalOfficeFactory.create()
    staff = OrganiserFactory.create(staff_role=User.StaffRole.REGIONAL_OFFICE, staff_site=office)
    with pytest.raises(Refusal) as refused:
        do_create_meeting(staff, data())
    assert refused.value.field == "site"
    meeting = do_create_meeting(staff, data(site=office))
    assert can_manage(staff, meeting)
    assert not can_manage(staff, MeetingFactory.create(organiser=staff))


def test_organisers_manage_their_own_meetings_and_the_secretariat_all() -> None:
    meeting = MeetingFactory.create()
    assert can_manage(meeting.organiser, meeting)
    assert can_manage(StaffFactory.create(), meeting)
    assert not can_manage(OrganiserFactory.create(), meeting)
    assert not can_manage(DelegateFactory.create(), meeting)


def test_updating_a_meeting_keeps_its_sessions_inside_the_dates(db_state) -> None:
    session = SessionFactory.create(meeting__status=Meeting.Status.DRAFT)
    meeting = session.meeting
    before = db_state()
    later = data(
        code=meeting.code,
        start_date=meeting.start_date + dt.timedelta(days=7),
        end_date=meeting.end_date + dt.timedelta(days=7),
    )
    with pytest.raises(Refusal, match="would no longer fit"):
        do_update_meeting(meeting.organiser, meeting, later)
    assert db_state() == before


def test_a_language_an_interpreter_works_into_cannot_be_dropped(db_state) -> None:
    meeting = MeetingFactory.create(code="T-SG17-2027-03", languages=["en", "fr"])
    ParticipationFactory.create(meeting=meeting, role="interpreter", language="fr")
    before = db_state()
    with pytest.raises(Refusal, match="Interpreters work into fr") as refused:
        do_update_meeting(meeting.organiser, meeting, data(languages=["en"]))
    assert refused.value.field == "languages"
    assert db_state() == before


def test_updating_a_meeting_records_the_changed_fields() -> None:
    meeting = MeetingFactory.create(**MARCH_2027, code="T-SG17-2027-03", titles={"en": "Old"})
    do_update_meeting(meeting.organiser, meeting, data(titles={"en": "New"}))
    meeting.refresh_from_db()
    assert meeting.titles == {"en": "New"}
    assert entries_for(meeting).get(action="meeting.updated").data["fields"] == ["titles"]


def test_another_organiser_may_not_update_a_meeting() -> None:
    meeting = MeetingFactory.create()
    with pytest.raises(PermissionRefusal):
        do_update_meeting(OrganiserFactory.create(), meeting, data(code=meeting.code))


def test_publishing_needs_a_session(db_state) -> None:
    meeting = MeetingFactory.create(status=Meeting.Status.DRAFT)
    before = db_state()
    with pytest.raises(Refusal, match="at least one session"):
        do_publish_meeting(meeting.organiser, meeting)
    assert db_state() == before
    SessionFactory.create(meeting=meeting)
    do_publish_meeting(meeting.organiser, meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED
    assert entries_for(meeting).filter(action="meeting.published").exists()


def test_cancelling_tells_those_registered_in_their_language(
    django_capture_on_commit_callbacks,
) -> None:
    meeting = MeetingFactory.create(titles={"en": "Council", "fr": "Conseil"})
    pending = RegistrationFactory.create(meeting=meeting, user__preferred_language="fr")
    RegistrationFactory.create(meeting=meeting, status=Registration.Status.WITHDRAWN)
    with django_capture_on_commit_callbacks(execute=True):
        do_cancel_meeting(meeting.organiser, meeting)
    assert [m.to for m in mail.outbox] == [[pending.user.email]]
    assert mail.outbox[0].subject == "Conseil est annulée"
    assert entries_for(meeting).filter(action="meeting.cancelled").exists()


def test_a_cancelled_meeting_cannot_be_cancelled_again() -> None:
    meeting = MeetingFactory.create()
    do_cancel_meeting(meeting.organiser, meeting)
    assert Meeting.objects.get().status == Meeting.Status.CANCELLED
    with pytest.raises(Refusal):
        do_cancel_meeting(meeting.organiser, meeting)
