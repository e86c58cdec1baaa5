"""Each role walks the demo data (``plenary demo``) in French and in Arabic.

What the pages say is checked against the demo's facts: the past year's
statistics are not empty, the session open now has a delegate on the floor,
the interpreter's booth is there. Every page carries its language and text
direction and fits a phone's width (390 x 844) without scrolling sideways;
the key pages pass axe-core's WCAG 2.1 AA rules. Screenshots go to
``/tmp/shots/walk/`` for people to look at (nothing compares them).

The demo is loaded once for the module (``demo_url``) and only read.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from plenary.accounts.models import User
from plenary.accounts.tests.helpers import verified_session_cookie
from plenary.core.languages import is_rtl
from plenary.demo.live import CODE_PREFIX
from plenary.meetings.models import Meeting, Session
from plenary.provisioning.models import Service
from tests.e2e.a11y import (
    LAPTOP,
    PHONE,
    axe_violations,
    describe,
    detached_labels,
    horizontal_overflow,
    screenshot,
)
from tests.e2e.a11y import translated as _t

pytestmark = pytest.mark.e2e

LANGUAGES = ["fr", "ar"]
STAFF = {"secretariat", "organiser"}  # staff sign in with a second factor


@dataclass(frozen=True)
class Demo:
    url: str
    year: int  # the past year with attendance
    code: str  # the meeting in session now
    title: dict[str, str]
    session_id: int
    webcast_token: str


@pytest.fixture(scope="module")
def demo(demo_url: str, django_db_blocker: Any) -> Demo:
    with django_db_blocker.unblock():
        meeting = Meeting.objects.get(code__startswith=CODE_PREFIX)
        now = timezone.now()
        session = Session.objects.get(meeting=meeting, starts_at__lte=now, ends_at__gt=now)
        webcast = meeting.service_requests.get(service=Service.WEBCAST)
        assert webcast.webcast_token, "the demo's webcast is provisioned with a token"
        return Demo(
            demo_url,
            now.year - 1,
            meeting.code,
            dict(meeting.titles),
            session.pk,
            webcast.webcast_token,
        )


@pytest.fixture(autouse=True)
def _database(django_db_blocker: Any) -> Iterator[None]:
    """Reads (people, sessions for the cookies) go to the demo's tables as they are."""
    with django_db_blocker.unblock():
        yield


def _tab(new_page: Callable[..., Any], demo: Demo, language: str, username: str = "") -> Any:
    """A laptop-sized tab in ``language``, signed in as ``username`` (empty: the public)."""
    page = new_page(viewport=LAPTOP, bypass_csp=True)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": demo.url}]
    if username:
        user = User.objects.get(username=username)
        if username in STAFF:
            cookies.append(verified_session_cookie(user, demo.url))
        else:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            cookies.append(
                {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": demo.url}
            )
    page.context.add_cookies(cookies)
    return page


class Walk:
    """One role's visit: each page in the language, on a laptop and on a phone.

    Layout problems are collected, so that one walk reports every page.
    """

    def __init__(self, page: Any, demo: Demo, language: str, role: str) -> None:
        self.page, self.demo, self.language, self.role = page, demo, language, role
        self.problems: list[str] = []

    def visit(self, name: str, path: str) -> Any:
        page = self.page
        response = page.goto(self.demo.url + path)
        assert response is not None
        assert response.ok, f"{path} as {self.role}: HTTP {response.status}"
        html = page.locator("html")
        expect(html).to_have_attribute("lang", self.language)
        expect(html).to_have_attribute("dir", "rtl" if is_rtl(self.language) else "ltr")
        return page

    def layout(self, name: str) -> None:
        """Screenshots on a laptop and a phone; the phone must not scroll sideways."""
        page = self.page
        shot = f"{self.role}-{name}-{self.language}"
        screenshot(page, f"{shot}-laptop")
        page.set_viewport_size(PHONE)
        try:
            wide = horizontal_overflow(page)
            path = screenshot(page, f"{shot}-phone")
            if wide:
                self.problems.append(f"{name} ({self.language}, phone) overflows: {wide} [{path}]")
            if detached := detached_labels(page):
                self.problems.append(f"{name} ({self.language}, phone): labels apart {detached}")
        finally:
            page.set_viewport_size(LAPTOP)

    def done(self) -> None:
        assert not self.problems, "\n".join(self.problems)


def _first_number(text: str) -> int:
    found = re.search(r"\d[\d\s\u202f\u00a0,.]*", text)
    assert found, text
    return int(re.sub(r"\D", "", found.group()))


def _card(page: Any, heading: str) -> int:
    """The figure on a statistics card, e.g. ``Persons``."""
    card = page.locator(".card").filter(has=page.get_by_role("heading", name=heading, exact=True))
    return _first_number(card.first.locator("p").first.inner_text())


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_finds_the_meeting_in_session_its_webcast_and_last_years_figures(
    new_page: Callable[..., Any], demo: Demo, language: str
) -> None:
    walk = Walk(_tab(new_page, demo, language), demo, language, "public")
    title = demo.title.get(language, demo.title["en"])

    page = walk.visit("home", "/")
    expect(page.get_by_role("link", name=title)).to_be_visible()
    walk.layout("home")

    page = walk.visit("meeting", f"/meetings/{demo.code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    walk.layout("meeting")

    page = walk.visit("webcast", f"/services/webcast/{demo.webcast_token}/")
    expect(page.get_by_text(_t(language, "Live now")).first).to_be_visible()
    walk.layout("webcast")

    page = walk.visit("open-data", "/statistics/public/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(str(demo.year))
    assert _card(page, _t(language, "Persons")) > 0
    assert _card(page, _t(language, "Meetings")) == 6
    expect(page.locator(".message")).to_have_count(0)
    walk.layout("open-data")
    walk.done()


@pytest.mark.parametrize("language", LANGUAGES)
def test_delegate_follows_the_session_in_progress(
    new_page: Callable[..., Any], demo: Demo, language: str
) -> None:
    walk = Walk(_tab(new_page, demo, language, "delegate.france"), demo, language, "delegate")
    title = demo.title.get(language, demo.title["en"])

    page = walk.visit("my-meetings", "/my-meetings/")
    expect(page.get_by_role("link", name=title)).to_be_visible()
    walk.layout("my-meetings")

    page = walk.visit("session", f"/live/sessions/{demo.session_id}/")
    # The snapshot from the session's socket: a delegate in the room has the floor,
    # this delegate waits on the list.
    expect(page.get_by_text(_t(language, "In session")).first).to_be_visible()
    expect(page.get_by_text("Li Wei").first).to_be_visible()
    expect(page.get_by_text("Julien Moreau").first).to_be_visible()
    walk.layout("session")

    page = walk.visit("listen", f"/media/sessions/{demo.session_id}/listen/")
    walk.layout("listen")

    page = walk.visit("captions", f"/captions/sessions/{demo.session_id}/")
    walk.layout("captions")

    page = walk.visit("pms", "/pms/")
    expect(page.locator('a[href="/pms/WRC-27/"]').first).to_be_visible()
    walk.layout("pms")
    walk.done()


@pytest.mark.parametrize("language", LANGUAGES)
def test_live_session_is_linked_from_the_meeting_page_and_my_meetings(
    new_page: Callable[..., Any], demo: Demo, language: str
) -> None:
    """A registered delegate sees the session "Live now" (the chair opened it) and its link."""
    page = _tab(new_page, demo, language, "delegate.france")
    link = f'a[href="/live/sessions/{demo.session_id}/"]'
    for path in (f"/meetings/{demo.code}/", "/my-meetings/"):
        page.goto(demo.url + path)
        expect(page.locator(link).first, f"no link to the live session on {path}").to_be_visible()
        badge = page.get_by_text(_t(language, "Live now"), exact=True).first
        expect(badge, f"no 'Live now' on {path}").to_be_visible()


@pytest.mark.parametrize("language", LANGUAGES)
def test_focal_point_sees_the_approvals_queue(
    new_page: Callable[..., Any], demo: Demo, language: str
) -> None:
    walk = Walk(_tab(new_page, demo, language, "fp.kenya"), demo, language, "focal-point")

    page = walk.visit("approvals", "/approvals/")
    heading = _t(language, "Registrations awaiting your approval")
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    # Kenya's delegate waits for approval to the study group.
    expect(page.get_by_role("row", name=re.compile("Otieno Odhiambo"))).to_be_visible()
    walk.layout("approvals")
    walk.done()


@pytest.mark.parametrize("language", LANGUAGES)
def test_organiser_manages_the_meeting_in_session(
    new_page: Callable[..., Any], demo: Demo, language: str
) -> None:
    walk = Walk(_tab(new_page, demo, language, "organiser"), demo, language, "organiser")

    page = walk.visit("manage", f"/meetings/{demo.code}/manage/")
    for name in ("Julien Moreau", "Li Wei", "Antoine Lefèvre"):
        expect(page.get_by_text(name).first).to_be_visible()
    walk.layout("manage")

    page = walk.visit("services", f"/services/meetings/{demo.code}/request/")
    walk.layout("services")
    walk.done()


@pytest.mark.parametrize("language", LANGUAGES)
def test_chair_presides_the_session_in_progress(
    new_page: Callable[..., Any], demo: Demo, language: str
) -> None:
    walk = Walk(_tab(new_page, demo, language, "chair"), demo, language, "chair")

    page = walk.visit("session", f"/live/sessions/{demo.session_id}/")
    expect(page.get_by_text(_t(language, "Chair's controls")).first).to_be_visible()
    expect(page.get_by_role("button", name=_t(language, "Next speaker"))).to_be_enabled()
    expect(page.get_by_text("Li Wei").first).to_be_visible()
    walk.layout("session")
    walk.done()


@pytest.mark.parametrize("language", LANGUAGES)
def test_interpreter_opens_the_french_booth(
    new_page: Callable[..., Any], demo: Demo, language: str
) -> None:
    walk = Walk(_tab(new_page, demo, language, "interpreter.fr"), demo, language, "interpreter")

    page = walk.visit("console", f"/interpretation/sessions/{demo.session_id}/console/")
    expect(page.get_by_role("button", name=_t(language, "Go on air"))).to_be_visible()
    walk.layout("console")
    walk.done()


@pytest.mark.parametrize("language", LANGUAGES)
def test_secretariat_sees_last_years_statistics_and_the_pms(
    new_page: Callable[..., Any], demo: Demo, language: str
) -> None:
    walk = Walk(_tab(new_page, demo, language, "secretariat"), demo, language, "secretariat")

    page = walk.visit("statistics", "/statistics/")
    expect(
        page.get_by_text(_t(language, "No meetings recorded in %(year)s.") % {"year": demo.year})
    ).to_have_count(0)
    expect(page.get_by_text(str(demo.year)).first).to_be_visible()
    walk.layout("statistics")

    page = walk.visit("pms", "/pms/")
    expect(page.locator('a[href="/pms/WRC-27/"]').first).to_be_visible()
    walk.layout("pms")
    walk.done()


# The key pages, each as the role that uses it.
KEY_PAGES: dict[str, tuple[str, str]] = {
    "home": ("", "/"),
    "meeting": ("delegate.france", "/meetings/{code}/"),
    "my-meetings": ("delegate.france", "/my-meetings/"),
    "session": ("delegate.france", "/live/sessions/{session}/"),
    "listen": ("delegate.france", "/media/sessions/{session}/listen/"),
    "webcast": ("", "/services/webcast/{token}/"),
    "statistics": ("secretariat", "/statistics/"),
    "open-data": ("", "/statistics/public/"),
    "interpreter-console": ("interpreter.fr", "/interpretation/sessions/{session}/console/"),
    "pms": ("delegate.france", "/pms/"),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", KEY_PAGES)
def test_key_page_passes_axe_wcag21_aa_on_a_laptop_and_a_phone(
    new_page: Callable[..., Any], demo: Demo, axe_script: Path, name: str, language: str
) -> None:
    username, template = KEY_PAGES[name]
    page = _tab(new_page, demo, language, username)
    path = template.format(code=demo.code, session=demo.session_id, token=demo.webcast_token)
    page.goto(demo.url + path)
    page.wait_for_load_state("load")
    if name == "session":  # drawn from the socket's snapshot
        expect(page.get_by_text("Li Wei").first).to_be_visible()
    found = []
    for size, viewport in (("laptop", LAPTOP), ("phone", PHONE)):
        page.set_viewport_size(viewport)
        violations = axe_violations(page, axe_script)
        if violations:
            found.append(f"{path} ({language}, {size}):\n{describe(violations)}")
    assert not found, "\n".join(found)
