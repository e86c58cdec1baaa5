"""Page defects found by the first walk, seen in Chromium: captions scroll their own box,
the header stays on one line, header and footer links are big enough to hit on a phone,
the room screen shows the session only."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone
from playwright.sync_api import expect

from plenary.accounts.tests.factories import StaffFactory
from plenary.accounts.tests.helpers import verified_session_cookie
from plenary.media import services as media
from plenary.media.tests import fixtures
from plenary.meetings.models import Participation, Sector, Session
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory
from plenary.speech.tests.factories import CaptionSegmentFactory

pytestmark = pytest.mark.e2e
janus_down = fixtures.janus_down  # no Janus here: listening itself is not under test

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def session() -> Session:
    # Transactional tests flush the sectors that a data migration created.
    sector, _ = Sector.objects.get_or_create(code=Sector.Code.STANDARDIZATION)
    now = timezone.now()
    return SessionFactory.create(
        meeting__sector=sector,
        meeting__languages=["en", "fr"],
        starts_at=now - dt.timedelta(minutes=30),
        ends_at=now + dt.timedelta(hours=2),
    )


def _signed_in(new_page: Any, live_url: str, user: Any, **options: Any) -> Any:
    page = new_page(**options)
    page.context.add_cookies([verified_session_cookie(user, live_url)])
    return page


def test_captions_scroll_their_own_box_never_the_page(
    live_url: str, session: Session, new_page: Any
) -> None:
    chair = ParticipationFactory.create(meeting=session.meeting, role=Participation.Role.CHAIR).user
    start = timezone.now() - dt.timedelta(minutes=10)
    for n in range(40):
        CaptionSegmentFactory.create(
            session=session,
            starts_at=start + dt.timedelta(seconds=5 * n),
            text=f"Caption number {n} of a long morning.",
        )
    page = _signed_in(new_page, live_url, chair, viewport=PHONE)
    page.goto(f"{live_url}/live/sessions/{session.pk}/")
    lines = page.locator("#caption-lines")
    lines.locator("li").nth(19).wait_for(state="attached")  # the snapshot: the last 20
    # The chair's controls stay where the page opened: at the top.
    assert page.evaluate("window.scrollY") == 0
    # The box itself follows the newest caption and can be scrolled from the keyboard.
    assert lines.evaluate("box => box.scrollTop > 0 && box.scrollHeight > box.clientHeight")
    assert lines.get_attribute("tabindex") == "0"


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_the_header_stays_on_one_line_for_staff_at_1366(
    live_url: str, session: Session, new_page: Any, language: str
) -> None:
    staff = StaffFactory.create(is_staff=True, preferred_language=language)
    page = _signed_in(new_page, live_url, staff, viewport=LAPTOP)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_url}])
    page.goto(f"{live_url}/my-meetings/")
    tops = page.evaluate(
        """() => [...document.querySelectorAll(
             '.site-header .brand, .site-header nav > ul > li, .header-tools > *')]
             .map(el => el.getBoundingClientRect())
             .map(r => Math.round(r.top + r.height / 2))"""
    )
    assert len(tops) >= 7  # brand, the menu with its staff tools, the tools
    assert max(tops) - min(tops) <= 6, tops


def test_header_and_footer_links_are_at_least_24px_tall_on_a_phone(
    live_url: str, session: Session, new_page: Any
) -> None:
    delegate = ParticipationFactory.create(meeting=session.meeting).user
    page = _signed_in(new_page, live_url, delegate, viewport=PHONE)
    page.goto(f"{live_url}/meetings/{session.meeting.code}/")
    heights = page.evaluate(
        """() => [...document.querySelectorAll(
             '.site-header a, .site-header button, .site-footer a')]
             .filter(el => el.offsetParent !== null)
             .map(el => [el.textContent.trim(), el.getBoundingClientRect().height])"""
    )
    assert heights
    small = [(text, height) for text, height in heights if height < 24]
    assert small == []


def test_the_room_screen_shows_no_site_menu_and_no_sign_in(
    live_url: str, session: Session, new_page: Any
) -> None:
    page = new_page(viewport=LAPTOP)
    page.goto(f"{live_url}/live/sessions/{session.pk}/screen/")
    page.locator("[data-speaker]").wait_for()
    assert page.locator(".site-header").count() == 0
    assert page.get_by_text("Sign in").count() == 0


def test_the_webcast_says_when_a_channel_has_no_interpreter_on_air(
    live_url: str, new_page: Any
) -> None:
    session = fixtures.public_webcast_session()  # opened by its chair: live now
    interpreter = ParticipationFactory.create(
        meeting=session.meeting, role=Participation.Role.INTERPRETER, language="fr"
    ).user
    page = new_page(viewport=PHONE)
    page.goto(f"{live_url}/services/webcast/{fixtures.WEBCAST_TOKEN}/")
    page.get_by_text("Live now").first.wait_for()
    status = page.locator("#listen-status")
    page.locator('input[name="channel"][value="fr"]').check()
    status.filter(has_text="No interpreter is on air on this channel").wait_for()
    # The interpreter goes on air (what the booth decides, published on the session's group).
    _in_thread(media.set_heard, session.pk, "fr", frozenset({interpreter.pk}))
    expect(status).to_have_text("")  # no script evaluation: the page's CSP forbids it
    _in_thread(media.set_heard, session.pk, "fr", frozenset())
    status.filter(has_text="No interpreter is on air on this channel").wait_for()


def _in_thread(function: Any, *args: Any) -> None:
    """Publish from a thread of its own: this one runs Playwright's event loop."""

    def run() -> None:
        try:
            function(*args)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
