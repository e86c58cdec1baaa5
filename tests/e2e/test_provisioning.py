"""An organiser requests remote participation; an approved participant joins."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from plenary.accounts.tests.factories import DelegateFactory, OrganiserFactory
from plenary.accounts.tests.helpers import verified_session_cookie
from plenary.meetings.models import Participation
from plenary.meetings.tests.factories import MeetingFactory, ParticipationFactory, SessionFactory

pytestmark = pytest.mark.e2e


def _sign_in(page: Any, user: Any, live_url: str) -> None:
    """A signed-in session for a participant (no second factor: not staff)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_url,
            }
        ]
    )


def test_organiser_requests_remote_participation_and_delegate_joins(
    live_url: str, new_page: Any
) -> None:
    organiser = OrganiserFactory.create()
    meeting = MeetingFactory.create(organiser=organiser)
    session = SessionFactory.create(meeting=meeting, title="Opening plenary")
    delegate = DelegateFactory.create()
    ParticipationFactory.create(meeting=meeting, user=delegate, role=Participation.Role.DELEGATE)

    organiser_page = new_page()
    organiser_page.context.add_cookies([verified_session_cookie(organiser, live_url)])
    organiser_page.goto(f"{live_url}/services/meetings/{meeting.code}/request/")
    organiser_page.get_by_label("Interactive remote participation").check()
    organiser_page.get_by_role("button", name="Request the chosen services").click()
    organiser_page.get_by_text("Interactive remote participation: Provisioned.").wait_for()

    delegate_page = new_page()
    _sign_in(delegate_page, delegate, live_url)
    delegate_page.goto(f"{live_url}/meetings/{meeting.code}/")
    delegate_page.get_by_role("link", name="Join the meeting").click()
    enter = delegate_page.get_by_role("link", name="Enter “Opening plenary”")
    assert enter.get_attribute("href") == f"/live/sessions/{session.pk}/"
