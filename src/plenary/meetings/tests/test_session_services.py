import datetime as dt

import pytest

from plenary.accounts.tests.factories import OrganiserFactory
from plenary.core.audit import entries_for
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.core.models import AuditEntry
from plenary.meetings.models import Meeting, RemoteRight, Sector, Session
from plenary.meetings.services.meetings import (
    SessionData,
    do_add_session,
    do_delete_session,
    do_update_session,
)
from plenary.meetings.tests.factories import (
    MARCH_2027,
    MeetingFactory,
    RegionalOfficeFactory,
    RoomFactory,
    SessionFactory,
    SiteFactory,
    sector,
)

pytestmark = pytest.mark.django_db


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2027, 3, day, hour, minute)  # noqa: DTZ001 - local wall-clock time


def test_a_session_is_entered_in_the_site_time_and_stored_in_utc() -> None:
    meeting = MeetingFactory.create(**MARCH_2027)  # Geneva, 1-5 March 2027 (UTC+1)
    session = do_add_session(
        meeting.organiser, meeting, SessionData("Opening plenary", local(1, 9, 30), local(1, 12))
    )
    assert session.starts_at == dt.datetime(2027, 3, 1, 8, 30, tzinfo=dt.UTC)
    assert session.local_start().hour == 9
    assert session.remote_right == RemoteRight.CONTRIBUTE  # ITU-T default
    assert entries_for(session).filter(action="session.added").exists()


def test_a_session_ending_before_it_starts_is_refused(db_state) -> None:
    meeting = MeetingFactory.create(**MARCH_2027)
    before = db_state()
    with pytest.raises(Refusal, match="end after it starts") as refused:
        do_add_session(meeting.organiser, meeting, SessionData("P", local(2, 12), local(2, 9)))
    assert refused.value.field == "ends"
    assert db_state() == before


@pytest.mark.parametrize(
    ("starts", "ends"),
    [
        (local(6, 9), local(6, 12)),
        (local(5, 22), local(6, 1)),
        (local(1, 0) - dt.timedelta(minutes=30), local(1, 2)),
    ],
)
def test_a_session_outside_the_meeting_dates_is_refused(
    starts: dt.datetime, ends: dt.datetime, db_state
) -> None:
    meeting = MeetingFactory.create(**MARCH_2027)
    before = db_state()
    with pytest.raises(Refusal, match="within the meeting's dates") as refused:
        do_add_session(meeting.organiser, meeting, SessionData("P", starts, ends))
    assert refused.value.code == "outside_meeting"
    assert db_state() == before


def test_meeting_dates_are_days_in_the_site_time_zone(db_state) -> None:
    """A session inside the dates in UTC can still fall outside them in Addis Ababa."""
    office = RegionalOfficeFactory.create()  # UTC+3
    meeting = MeetingFactory.create(**MARCH_2027, site=office)
    # 5 March 22:00 UTC is 6 March 01:00 in Addis Ababa: after the last day.
    late = SessionData(
        "Late",
        dt.datetime(2027, 3, 5, 21, 0, tzinfo=dt.UTC),
        dt.datetime(2027, 3, 5, 22, 0, tzinfo=dt.UTC),
    )
    before = db_state()
    with pytest.raises(Refusal, match="Africa/Addis_Ababa"):
        do_add_session(meeting.organiser, meeting, late)
    assert db_state() == before
    # 1 March 00:30 local is 28 February 21:30 UTC: inside the meeting's first day.
    early = do_add_session(
        meeting.organiser, meeting, SessionData("Early", local(1, 0, 30), local(1, 2))
    )
    assert early.starts_at.date() == dt.date(2027, 2, 28)


def test_a_virtual_meeting_uses_its_own_time_zone() -> None:
    meeting = MeetingFactory.create(**MARCH_2027, site=None, time_zone="America/New_York")
    session = do_add_session(
        meeting.organiser, meeting, SessionData("Online", local(5, 20), local(5, 23, 30))
    )
    assert session.ends_at == dt.datetime(2027, 3, 6, 4, 30, tzinfo=dt.UTC)


def test_a_time_skipped_by_a_clock_change_is_refused() -> None:
    meeting = MeetingFactory.create(
        start_date=dt.date(2027, 3, 28), end_date=dt.date(2027, 3, 28)
    )  # Europe/Zurich springs forward at 02:00
    with pytest.raises(Refusal, match="does not exist"):
        do_add_session(
            meeting.organiser, meeting, SessionData("Night", local(28, 2, 30), local(28, 4))
        )


def test_the_room_must_be_at_the_meeting_site(db_state) -> None:
    meeting = MeetingFactory.create(**MARCH_2027)
    elsewhere = RoomFactory.create(site=RegionalOfficeFactory.create())
    before = db_state()
    with pytest.raises(Refusal) as refused:
        do_add_session(
            meeting.organiser, meeting, SessionData("P", local(1, 9), local(1, 10), room=elsewhere)
        )
    assert refused.value.field == "room"
    assert db_state() == before
    here = RoomFactory.create(site=meeting.site)
    assert (
        do_add_session(
            meeting.organiser, meeting, SessionData("P", local(1, 9), local(1, 10), room=here)
        ).room
        == here
    )


def test_a_virtual_meeting_has_no_rooms() -> None:
    meeting = MeetingFactory.create(**MARCH_2027, site=None)
    room = RoomFactory.create(site=SiteFactory.create())
    with pytest.raises(Refusal) as refused:
        do_add_session(
            meeting.organiser, meeting, SessionData("P", local(1, 9), local(1, 10), room=room)
        )
    assert refused.value.field == "room"


def test_remote_rights_cannot_exceed_the_sector_ceiling(db_state) -> None:
    meeting = MeetingFactory.create(**MARCH_2027, sector=sector(Sector.Code.RADIOCOMMUNICATION))
    before = db_state()
    with pytest.raises(Refusal, match="Observe only") as refused:
        do_add_session(
            meeting.organiser,
            meeting,
            SessionData("P", local(1, 9), local(1, 10), remote_right=RemoteRight.SPEAK),
        )
    assert refused.value.code == "above_ceiling"
    assert db_state() == before
    session = do_add_session(
        meeting.organiser, meeting, SessionData("P", local(1, 9), local(1, 10))
    )
    assert session.remote_right == RemoteRight.OBSERVE


def test_an_organiser_may_lower_the_remote_rights() -> None:
    meeting = MeetingFactory.create(**MARCH_2027)
    session = do_add_session(
        meeting.organiser,
        meeting,
        SessionData("P", local(1, 9), local(1, 10), remote_right=RemoteRight.OBSERVE),
    )
    assert session.remote_right == RemoteRight.OBSERVE


def test_only_a_manager_adds_sessions() -> None:
    meeting = MeetingFactory.create(**MARCH_2027)
    with pytest.raises(PermissionRefusal):
        do_add_session(
            OrganiserFactory.create(), meeting, SessionData("P", local(1, 9), local(1, 10))
        )


def test_a_cancelled_meeting_gets_no_new_sessions() -> None:
    meeting = MeetingFactory.create(**MARCH_2027, status=Meeting.Status.CANCELLED)
    with pytest.raises(Refusal, match="cancelled"):
        do_add_session(meeting.organiser, meeting, SessionData("P", local(1, 9), local(1, 10)))


def test_updating_a_session_is_validated_like_adding_one(db_state) -> None:
    session = SessionFactory.create(meeting=MeetingFactory.create(**MARCH_2027))
    organiser = session.meeting.organiser
    before = db_state()
    with pytest.raises(Refusal):
        do_update_session(organiser, session, SessionData("P", local(2, 12), local(2, 11)))
    assert db_state() == before
    do_update_session(organiser, session, SessionData("Closing", local(5, 14), local(5, 17)))
    session.refresh_from_db()
    assert (session.title, session.local_start().day) == ("Closing", 5)


def test_deleting_a_session_is_audited() -> None:
    session = SessionFactory.create(meeting=MeetingFactory.create(**MARCH_2027))
    session_id = str(session.pk)
    do_delete_session(session.meeting.organiser, session)
    assert not Session.objects.exists()
    assert AuditEntry.objects.filter(action="session.deleted", target_id=session_id).exists()
