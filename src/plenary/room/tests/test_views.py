"""Which live-session page each person gets."""

from __future__ import annotations

import pytest
from django.test import Client

from plenary.accounts.tests.factories import DelegateFactory
from plenary.floor.tests.factories import Cast, cast
from plenary.guidance.models import MeetingGuidance
from plenary.guidance.services import do_acknowledge
from plenary.guidance.tests.factories import GuidelineFactory
from plenary.meetings.models import Meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> Cast:
    return cast()


def page(client: Client, c: Cast, user: object | None, suffix: str = "") -> tuple[int, str]:
    if user is not None:
        client.force_login(user)  # type: ignore[arg-type]
    response = client.get(f"/live/sessions/{c.session.pk}/{suffix}")
    return response.status_code, response.content.decode()


def test_the_chair_gets_the_console(client: Client, c: Cast) -> None:
    status, html = page(client, c, c.chair)
    assert status == 200
    assert 'data-view="console"' in html
    assert 'data-cmd="floor.next"' in html
    assert "data-add-form" in html


def test_a_delegate_gets_the_request_buttons_and_no_console(client: Client, c: Cast) -> None:
    status, html = page(client, c, c.delegate)
    assert status == 200
    assert 'data-view="delegate"' in html
    assert 'data-request="contribution"' in html
    assert 'data-cmd="floor.next"' not in html


def test_an_observer_follows_without_request_buttons(client: Client, c: Cast) -> None:
    status, html = page(client, c, c.observer)
    assert status == 200
    assert 'data-request="speak"' not in html


def test_someone_outside_the_meeting_gets_no_console(client: Client, c: Cast) -> None:
    assert page(client, c, DelegateFactory.create())[0] == 404


def test_signing_in_is_required(client: Client, c: Cast) -> None:
    assert page(client, c, None)[0] == 302


def test_the_room_screen_is_public_for_a_published_meeting(client: Client, c: Cast) -> None:
    status, html = page(client, c, None, "screen/")
    assert status == 200
    assert 'data-view="screen"' in html
    Meeting.objects.filter(pk=c.session.meeting_id).update(status=Meeting.Status.DRAFT)
    assert page(client, c, None, "screen/")[0] == 404


def test_required_guidelines_come_before_the_live_page(client: Client, c: Cast) -> None:
    guideline = GuidelineFactory.create(
        sector=c.session.meeting.sector, in_force_from=c.session.meeting.start_date
    )
    MeetingGuidance.objects.create(meeting=c.session.meeting, require_acknowledgement=True)

    status, html = page(client, c, c.delegate)
    assert status == 200
    assert f"/guidance/acknowledge/{guideline.pk}/" in html
    assert 'data-view="delegate"' not in html

    do_acknowledge(c.delegate, guideline, c.session.meeting)
    assert 'data-view="delegate"' in page(client, c, None)[1]
