"""The session page opens in the session's current state (live.js keeps it current):
the primary button is the next step, and a closed session offers no floor requests."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from plenary.floor import services
from plenary.meetings.models import Participation, Session
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session() -> Session:
    return SessionFactory.create()


def _page(session: Session, role: str) -> str:
    client = Client()
    user = Participation.objects.filter(meeting=session.meeting, role=role).first()
    client.force_login(
        user.user if user else ParticipationFactory.create(meeting=session.meeting, role=role).user
    )
    response = client.get(f"/live/sessions/{session.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _chair(session: Session) -> object:
    return ParticipationFactory.create(meeting=session.meeting, role=Participation.Role.CHAIR).user


def test_open_is_the_primary_button_until_the_session_is_open(session: Session) -> None:
    chair = _chair(session)
    page = _page(session, Participation.Role.CHAIR)
    assert '<button type="button" data-cmd="session.open">' in page
    services.do_set_status(chair, session.pk, "open", 0)
    page = _page(session, Participation.Role.CHAIR)
    assert '<button type="button" data-cmd="session.open" class="secondary">' in page
    assert 'data-initial-status="open"' in page


def test_a_closed_session_offers_no_floor_request(session: Session) -> None:
    chair = _chair(session)
    page = _page(session, Participation.Role.DELEGATE)
    assert not re.search(r"data-request=\"speak\"[^>]*disabled", page)
    services.do_set_status(chair, session.pk, "open", 0)
    services.do_set_status(chair, session.pk, "close", 1)
    page = _page(session, Participation.Role.DELEGATE)
    buttons = re.findall(r"<button[^>]*data-request=[^>]*>", page)
    assert buttons and all("disabled" in button for button in buttons)
    assert "The session is closed: the floor can no longer be requested." in page
