import datetime as dt

import pytest

from plenary.accounts.tests.factories import DelegateFactory
from plenary.meetings.models import (
    AttendanceMode,
    Meeting,
    Participation,
    Registration,
    RemoteRight,
    Sector,
)
from plenary.meetings.queries import (
    meetings_of,
    participation_for,
    pending_approvals,
    remote_right_for,
    upcoming_meetings,
)
from plenary.meetings.tests.factories import (
    MARCH_2027,
    MeetingFactory,
    ParticipationFactory,
    RegionalOfficeFactory,
    RegistrationFactory,
    SessionFactory,
    sector,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 1, 10)


def test_upcoming_meetings_are_published_and_not_over() -> None:
    shown = MeetingFactory.create(**MARCH_2027)
    MeetingFactory.create(**MARCH_2027, status=Meeting.Status.DRAFT)
    MeetingFactory.create(**MARCH_2027, status=Meeting.Status.CANCELLED)
    MeetingFactory.create(start_date=dt.date(2027, 1, 1), end_date=dt.date(2027, 1, 9))
    assert list(upcoming_meetings(today=TODAY)) == [shown]


def test_upcoming_meetings_filter_by_sector_site_and_virtual() -> None:
    geneva = MeetingFactory.create(**MARCH_2027)
    addis = MeetingFactory.create(
        **MARCH_2027, site=RegionalOfficeFactory.create(), sector=sector(Sector.Code.DEVELOPMENT)
    )
    online = MeetingFactory.create(**MARCH_2027, site=None)
    assert set(upcoming_meetings(today=TODAY, sector="D")) == {addis}
    assert set(upcoming_meetings(today=TODAY, site="geneva-hq")) == {geneva}
    assert set(upcoming_meetings(today=TODAY, virtual=True)) == {online}
    assert set(upcoming_meetings(today=TODAY, virtual=False)) == {geneva, addis}


def test_my_meetings_lists_registrations_roles_and_coming_sessions() -> None:
    delegate = DelegateFactory.create()
    registered = RegistrationFactory.create(user=delegate)
    chaired = ParticipationFactory.create(user=delegate, role="chair")
    past = SessionFactory.create(meeting=chaired.meeting)
    coming = SessionFactory.create(
        meeting=chaired.meeting,
        starts_at=past.starts_at + dt.timedelta(days=1),
        ends_at=past.ends_at + dt.timedelta(days=1),
    )
    RegistrationFactory.create()  # someone else's
    mine = meetings_of(delegate, now=past.ends_at)
    rows = {row.meeting: row for row in mine.current + mine.past}
    assert set(rows) == {registered.meeting, chaired.meeting}
    assert rows[registered.meeting].registration == registered
    assert rows[chaired.meeting].roles == [chaired]
    assert rows[chaired.meeting].upcoming_sessions == [coming]


def test_my_meetings_put_what_comes_next_first_and_the_past_most_recent_first() -> None:
    delegate = DelegateFactory.create()

    def registered(start: dt.date, days: int = 3) -> Meeting:
        end = start + dt.timedelta(days=days)
        return RegistrationFactory.create(
            user=delegate, meeting__start_date=start, meeting__end_date=end
        ).meeting

    long_ago, last_month = registered(dt.date(2026, 3, 2)), registered(dt.date(2026, 12, 1))
    running, later, soon = (
        registered(dt.date(2027, 1, 8)),
        registered(dt.date(2027, 6, 1)),
        registered(dt.date(2027, 2, 1)),
    )
    ended_yesterday = registered(dt.date(2027, 1, 5), days=4)
    now = dt.datetime(2027, 1, 10, 9, tzinfo=dt.UTC)
    mine = meetings_of(delegate, now=now)
    assert [row.meeting for row in mine.current] == [running, soon, later]
    assert [row.meeting for row in mine.past] == [ended_yesterday, last_month, long_ago]


def test_participation_for_returns_the_most_significant_role() -> None:
    delegate = ParticipationFactory.create()
    assert participation_for(delegate.user, delegate.meeting) == delegate
    chair = ParticipationFactory.create(meeting=delegate.meeting, user=delegate.user, role="chair")
    assert participation_for(delegate.user, delegate.meeting) == chair
    assert participation_for(DelegateFactory.create(), delegate.meeting) is None


@pytest.mark.parametrize(
    ("role", "attendance", "expected"),
    [
        ("observer", AttendanceMode.ONSITE, RemoteRight.OBSERVE),
        ("delegate", AttendanceMode.ONSITE, RemoteRight.CONTRIBUTE),
        ("delegate", AttendanceMode.REMOTE, RemoteRight.SPEAK),
        ("chair", AttendanceMode.REMOTE, RemoteRight.CONTRIBUTE),
        ("vice_chair", AttendanceMode.REMOTE, RemoteRight.CONTRIBUTE),
        ("secretariat", AttendanceMode.REMOTE, RemoteRight.CONTRIBUTE),
        ("interpreter", AttendanceMode.ONSITE, RemoteRight.OBSERVE),
    ],
)
def test_remote_right_for_follows_the_role_and_attendance(
    role: str, attendance: str, expected: RemoteRight
) -> None:
    session = SessionFactory.create(remote_right=RemoteRight.SPEAK)
    participation = ParticipationFactory.create(
        meeting=session.meeting, role=role, attendance=attendance
    )
    assert remote_right_for(participation.user, session) == expected


def test_remote_right_for_someone_outside_the_meeting_is_none() -> None:
    session = SessionFactory.create()
    ParticipationFactory.create(role=Participation.Role.CHAIR)  # another meeting
    assert remote_right_for(DelegateFactory.create(), session) is None


def test_pending_approvals_are_those_of_the_focal_points_entities() -> None:
    mine = RegistrationFactory.create()
    assert mine.entity is not None
    mine.entity.focal_points.add(focal_point := DelegateFactory.create())
    RegistrationFactory.create()  # another entity
    RegistrationFactory.create(
        user=DelegateFactory.create(entity=mine.entity), status=Registration.Status.APPROVED
    )
    assert list(pending_approvals(focal_point)) == [mine]
