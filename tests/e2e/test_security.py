"""Pages under the Content-Security-Policy, and the API docs with no network but loopback.

Every key page is opened in Chromium and must raise no CSP violation (the
``securitypolicyviolation`` event, or a console "Refused to ..." message):
the policy allows no inline script or style without the response's nonce,
and the pages' sockets (``ws:`` of the same host) and media must still work.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from plenary.accounts.tests.factories import DelegateFactory, FocalPointFactory, StaffFactory
from plenary.accounts.tests.helpers import verified_session_cookie
from plenary.floor.tests.factories import cast
from plenary.meetings.tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.e2e

WATCH_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


def watched(
    new_page: Any, live_url: str, user: Any = None, verified: bool = False
) -> tuple[Any, list[str]]:
    """A tab that records CSP violations, signed in as ``user`` if given (``verified``: staff)."""
    page = new_page()
    page.add_init_script(WATCH_VIOLATIONS)
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Refused to" in message.text or "Content Security Policy" in message.text
            else None
        ),
    )
    if verified:
        page.context.add_cookies([verified_session_cookie(user, live_url)])
    elif user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        name = django_settings.SESSION_COOKIE_NAME
        page.context.add_cookies([{"name": name, "value": cookie, "url": live_url}])
    return page, refused


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.split() for part in header.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


def violations(page: Any, refused: list[str]) -> list[str]:
    return [*page.evaluate("window.__cspViolations"), *refused]


def test_the_key_pages_raise_no_csp_violation(live_url: str, new_page: Any) -> None:
    people = cast()
    session = people.session
    meeting = session.meeting
    anonymous_pages = [
        "/",
        "/accounts/login/",
        "/accounts/sign-up/",
        f"/meetings/{meeting.code}/",
        "/guidance/",
        "/guidance/self-test/",
        "/pms/",
        "/statistics/public/",
        f"/live/sessions/{session.pk}/screen/",
        "/api/v1/docs",
        "/admin/login/",
        "/no-such-page/",
    ]
    signed_in_pages = [
        "/accounts/profile/",
        "/accounts/profile/tokens/",
        "/my-meetings/",
        f"/live/sessions/{session.pk}/",
        f"/media/sessions/{session.pk}/listen/",
        f"/captions/sessions/{session.pk}/",
    ]
    page, refused = watched(new_page, live_url)
    for path in anonymous_pages:
        response = page.goto(live_url + path)
        policy = directives(response.headers["content-security-policy"])
        assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"], path
        page.wait_for_load_state("networkidle")
        assert violations(page, refused) == [], path
    page, refused = watched(new_page, live_url, people.delegate)
    for path in signed_in_pages:
        page.goto(live_url + path)
        page.wait_for_load_state("networkidle")
        if path.startswith("/live/"):
            # The session socket (connect-src ws: of the same host) is up.
            expect(page.locator("[data-connection]")).to_have_text("Connected")
        assert violations(page, refused) == [], path
    # The chair's console: the same page with the presiding controls.
    page, refused = watched(new_page, live_url, people.chair)
    page.goto(f"{live_url}/live/sessions/{session.pk}/")
    expect(page.locator("[data-connection]")).to_have_text("Connected")
    page.get_by_role("button", name="Open the session").click()
    expect(page.locator("[data-status]")).to_have_text("In session")
    assert violations(page, refused) == []


def test_the_administration_raises_no_csp_violation(live_url: str, new_page: Any) -> None:
    admin = StaffFactory.create(is_superuser=True)
    page, refused = watched(new_page, live_url, admin, verified=True)
    for path in (
        "/admin/",
        "/admin/accounts/user/",
        f"/admin/accounts/user/{admin.pk}/change/",
        "/admin/meetings/meeting/add/",
    ):
        response = page.goto(live_url + path)  # waits for "load": the admin's scripts have run
        assert response.status == 200, path
        assert violations(page, refused) == [], path


def test_htmx_still_swaps_under_the_policy(live_url: str, new_page: Any) -> None:
    """A focal point's approval goes through htmx (hx-post, swap), with no inline style."""
    focal_point = FocalPointFactory.create()
    registration = RegistrationFactory.create(
        user=DelegateFactory.create(entity=focal_point.entity)
    )
    page, refused = watched(new_page, live_url, focal_point)
    page.goto(live_url + "/approvals/")
    page.wait_for_function("() => window.htmx !== undefined")
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    with page.expect_request(lambda request: request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Approve").click()
    expect(page.locator(f"#decision-{registration.pk} .badge-ok")).to_be_visible()
    assert page.url == live_url + "/approvals/"  # swapped in place, not a new page
    assert page.locator("style").count() == 0
    assert violations(page, refused) == []


def test_the_api_docs_render_with_every_non_loopback_request_blocked(
    live_url: str, new_page: Any
) -> None:
    MeetingFactory.create()
    page, refused = watched(new_page, live_url)
    outside: list[str] = []

    def only_loopback(route: Any) -> None:
        host = urlsplit(route.request.url).hostname
        if host in {"127.0.0.1", "localhost", "::1"}:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_loopback)
    page.goto(live_url + "/api/v1/docs")
    expect(page.locator(".opblock").first).to_be_visible()
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/accounts/me")).to_be_visible()
    assert page.locator(".opblock").count() > 10
    assert outside == []
    assert violations(page, refused) == []
