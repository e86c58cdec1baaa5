"""Ways into live sessions: who has one (one rule, shared with the session page),
where the links are, and "Live now" from the floor's state rather than the clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from plenary.accounts.models import User
from plenary.accounts.tests.factories import DelegateFactory, StaffFactory
from plenary.accounts.tests.helpers import sign_in_verified
from plenary.floor import services as floor
from plenary.live.standing import standing_for
from plenary.meetings import queries
from plenary.meetings.models import Participation, Session
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory

pytestmark = pytest.mark.django_db
Role = Participation.Role


@pytest.fixture
def session() -> Session:
    now = timezone.now()
    return SessionFactory.create(
        starts_at=now - dt.timedelta(minutes=30), ends_at=now + dt.timedelta(hours=2)
    )


def _holder(session: Session, role: str) -> User:
    extra = {"language": "fr"} if role == Role.INTERPRETER else {}
    return ParticipationFactory.create(meeting=session.meeting, role=role, **extra).user


@pytest.mark.parametrize(
    "role", [Role.CHAIR, Role.SECRETARIAT, Role.INTERPRETER, Role.DELEGATE, Role.OBSERVER]
)
def test_every_role_has_a_way_in_and_the_session_page_agrees(session: Session, role: str) -> None:
    user = _holder(session, role)
    assert queries.has_way_in(user, session.meeting)
    assert standing_for(user, session).is_participant


def test_the_organiser_without_a_role_has_a_way_in_and_the_session_page_agrees(
    session: Session,
) -> None:
    organiser = session.meeting.organiser
    assert not Participation.objects.filter(user=organiser).exists()
    assert queries.has_way_in(organiser, session.meeting)
    assert standing_for(organiser, session).is_participant


def test_secretariat_staff_have_a_way_in(session: Session) -> None:
    assert queries.has_way_in(StaffFactory.create(), session.meeting)


def test_someone_without_a_role_has_none_and_the_session_page_agrees(session: Session) -> None:
    stranger = DelegateFactory.create()
    assert not queries.has_way_in(stranger, session.meeting)
    assert not standing_for(stranger, session).is_participant
    assert queries.ways_in(stranger, session.meeting) == []


def test_a_session_is_live_when_the_chair_opened_it_not_when_the_clock_says(
    session: Session,
) -> None:
    chair = _holder(session, Role.CHAIR)
    # Scheduled for now, but not opened: not live.
    assert queries.open_session_ids([session]) == set()
    assert [way.live for way in queries.ways_in(chair, session.meeting)] == [False]
    floor.do_set_status(chair, session.pk, "open", 0)
    assert queries.open_session_ids([session]) == {session.pk}
    assert [way.live for way in queries.ways_in(chair, session.meeting)] == [True]
    floor.do_set_status(chair, session.pk, "suspend", 1)
    assert queries.open_session_ids([session.pk]) == set()


def test_an_interpreter_gets_the_console_of_each_booth(session: Session) -> None:
    interpreter = _holder(session, Role.INTERPRETER)
    assert [way.booths for way in queries.ways_in(interpreter, session.meeting)] == [("fr",)]


def test_the_meeting_page_links_a_chair_to_the_session_without_remote_participation(
    session: Session, client: Client
) -> None:
    chair = _holder(session, Role.CHAIR)
    client.force_login(chair)
    page = client.get(f"/meetings/{session.meeting.code}/").content.decode()
    assert f'href="/live/sessions/{session.pk}/"' in page
    assert "Live now" not in page
    floor.do_set_status(chair, session.pk, "open", 0)
    page = client.get(f"/meetings/{session.meeting.code}/").content.decode()
    assert "Live now" in page


def test_the_home_page_leads_a_delegate_into_the_session_open_now(
    session: Session, client: Client
) -> None:
    chair, delegate = _holder(session, Role.CHAIR), _holder(session, Role.DELEGATE)
    client.force_login(delegate)
    assert 'id="live-heading"' not in client.get("/").content.decode()
    floor.do_set_status(chair, session.pk, "open", 0)
    page = client.get("/").content.decode()
    assert 'id="live-heading"' in page
    assert f'href="/live/sessions/{session.pk}/"' in page
    client.force_login(DelegateFactory.create())  # no role in the meeting: no way in
    assert 'id="live-heading"' not in client.get("/").content.decode()


def test_my_meetings_lists_what_the_organiser_organises_with_a_way_in(
    session: Session, client: Client
) -> None:
    organiser = session.meeting.organiser
    sign_in_verified(client, organiser)
    page = client.get("/my-meetings/").content.decode()
    assert "You have not registered" not in page
    assert "You have no meeting yet" not in page
    assert "You organise this meeting." in page
    assert f'href="/live/sessions/{session.pk}/"' in page
    assert client.get(f"/live/sessions/{session.pk}/").status_code == 200


def test_my_meetings_links_the_interpreter_console(session: Session, client: Client) -> None:
    interpreter = _holder(session, Role.INTERPRETER)
    client.force_login(interpreter)
    page = client.get("/my-meetings/").content.decode()
    assert f"/interpretation/sessions/{session.pk}/console/?language=fr" in page
    assert "Interpreter console: French booth" in page
