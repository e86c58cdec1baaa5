"""The meeting room in real browsers: one page with the floor, the channels, captions and chat.

A delegate on a phone in French finds the stage, the channel and the floor
request without scrolling; the chair in Arabic on a laptop reads the
delegate's chat message as text (HTML is not interpreted) and hides it, and
an observer's room drops it. Every room passes axe-core's WCAG 2.1 AA rules
and fits the phone's width. Screenshots go to ``/tmp/shots/walk/``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from plenary.floor.tests.factories import cast
from tests.e2e.a11y import LAPTOP, PHONE, axe_violations, describe, horizontal_overflow, screenshot
from tests.e2e.a11y import translated as _t

pytestmark = pytest.mark.e2e


def room(
    new_page: Any, live_url: str, user: Any, session_id: int, *, language: str, size: Any
) -> Any:
    """``user``'s room in ``language`` at ``size``, connected."""
    client = Client()
    client.force_login(user)
    page = new_page(viewport=size, bypass_csp=True)
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_url,
            },
            {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_url},
        ]
    )
    page.goto(f"{live_url}/live/sessions/{session_id}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("[data-connection]")).to_have_text(_t(language, "Connected"))
    return page


def in_first_screen(page: Any, selector: str) -> bool:
    box = page.locator(selector).first.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"]


def test_a_delegate_on_a_phone_has_the_stage_the_channel_and_the_floor_at_hand(
    live_url: str, new_page: Any, settings: Any, axe_script: Path
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    c = cast()
    page = room(new_page, live_url, c.delegate, c.session.pk, language="fr", size=PHONE)
    for part in ("#stage", "[data-bar-channel]", "[data-bar-floor]"):
        assert in_first_screen(page, part), f"{part} is not in the first screen"
    expect(page.locator("[data-bar-floor]")).to_have_text(_t("fr", "Request the floor"))
    assert horizontal_overflow(page) == []
    screenshot(page, "room-delegate-fr-phone")
    screenshot(page, "room-delegate-fr-phone-first-screen", full_page=False)
    assert not (violations := axe_violations(page, axe_script)), describe(violations)

    # The bar does what the panel does: the request is made, then the bar offers to withdraw it.
    page.locator("[data-bar-floor]").click()
    expect(page.locator("[data-my-position]")).to_have_text(
        _t("fr", "You are number %(position)s on the list.") % {"position": 1}
    )
    expect(page.locator("[data-bar-floor]")).to_have_text(_t("fr", "Withdraw my request"))
    # The bar's channel is the panel's; the keyboard moves on to the next one.
    page.locator("[data-bar-channel]").select_option("fr")
    expect(page.locator("input[name=channel][value=fr]")).to_be_checked()
    page.keyboard.press("Alt+Shift+C")
    expect(page.locator("input[name=channel][value=floor]")).to_be_checked()
    expect(page.locator("[data-bar-channel]")).to_have_value("floor")
    screenshot(page, "room-delegate-fr-phone-listed")


def test_chat_between_a_delegate_and_the_chair_is_text_and_the_chair_moderates_it(
    live_url: str, new_page: Any, settings: Any, axe_script: Path
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    c = cast()
    delegate = room(new_page, live_url, c.delegate, c.session.pk, language="fr", size=LAPTOP)
    chair = room(new_page, live_url, c.chair, c.session.pk, language="ar", size=LAPTOP)
    observer = room(new_page, live_url, c.observer, c.session.pk, language="fr", size=PHONE)
    expect(chair.locator("html")).to_have_attribute("dir", "rtl")
    # Each page measures its connection and shows it; the chair sees the delegate's. Which
    # level a loaded machine measures is not this test's business (a round trip over 400 ms
    # reads "fair"): the level the delegate is shown is the one the chair sees.
    shown = {
        _t("fr", "Connection: %(quality)s") % {"quality": _t("fr", level)}: level
        for level in ("good", "fair", "poor")
    }
    badge = delegate.locator("[data-quality]")
    expect(badge).to_have_text(re.compile("|".join(re.escape(text) for text in shown)))
    level = shown[badge.inner_text().strip()]
    expect(chair.locator("[data-presence]")).to_contain_text(
        _t("ar", "connection: %(quality)s") % {"quality": _t("ar", level)}
    )

    payload = "<img src=x onerror=alert(1)> Bonjour"
    delegate.locator("#chat-text").fill(payload)
    delegate.get_by_role("button", name=_t("fr", "Send")).click()
    expect(delegate.locator("[data-chat-status]")).to_have_text(_t("fr", "Sent."))
    expect(delegate.locator("#chat-text")).to_have_value("")
    for page in (chair, observer):
        expect(page.locator("[data-chat-log] li")).to_have_count(1)
        expect(page.locator("[data-chat-log] li p[dir=auto]")).to_have_text(payload)
        expect(page.locator("[data-chat-log] img")).to_have_count(0)  # text, never HTML
    screenshot(chair, "room-chair-ar-laptop")
    assert not (violations := axe_violations(chair, axe_script)), describe(violations)

    # The server refuses what the form lets through, with the reason in the sender's language.
    delegate.locator("#chat-text").fill("   ")
    delegate.get_by_role("button", name=_t("fr", "Send")).click()
    expect(delegate.locator("[data-chat-status]")).to_have_text(_t("fr", "Write a message first."))

    chair.locator("[data-chat-log] li").get_by_role("button", name=_t("ar", "Hide")).click()
    expect(observer.locator("[data-chat-log] li")).to_have_count(0)
    expect(chair.locator("[data-chat-log] li.chat-hidden")).to_have_count(1)

    chair.get_by_role("button", name=_t("ar", "Close the public chat")).click()
    expect(delegate.locator("[data-chat-closed]")).to_be_visible()
    delegate.locator("#chat-text").fill("Encore")
    delegate.get_by_role("button", name=_t("fr", "Send")).click()
    expect(delegate.locator("[data-chat-status]")).to_have_text(
        _t("fr", "The chair has closed the public chat; you may still write to the secretariat.")
    )
    screenshot(observer, "room-observer-fr-phone")
    assert horizontal_overflow(observer) == []


@pytest.mark.parametrize(("language", "size"), [("fr", PHONE), ("ar", LAPTOP)])
def test_the_public_webcast_is_the_room_without_its_interactive_parts(
    live_url: str, new_page: Any, axe_script: Path, language: str, size: Any
) -> None:
    from plenary.media.tests.fixtures import WEBCAST_TOKEN, public_webcast_session

    public_webcast_session()
    page = new_page(viewport=size, bypass_csp=True)
    page.context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_url}]
    )
    page.goto(f"{live_url}/services/webcast/{WEBCAST_TOKEN}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("[data-connection]")).to_have_text(_t(language, "Connected"))
    # The floor's state came with the socket's snapshot: the session is open.
    expect(page.locator("[data-status]")).to_have_text(_t(language, "In session"))
    expect(page.locator("#stage [data-speaker]")).to_have_text(
        _t(language, "Nobody has the floor.")
    )
    assert page.locator("#caption-panel").is_visible()
    assert page.get_by_label(_t(language, "Audio only: no video, the least data")).is_visible()
    for interactive in ("[data-request]", "#chat-form", "#speak-start", "#camera-start"):
        assert page.locator(interactive).count() == 0
    assert horizontal_overflow(page) == []
    screenshot(page, f"webcast-{language}-{'phone' if size is PHONE else 'laptop'}")
    assert not (violations := axe_violations(page, axe_script)), describe(violations)
