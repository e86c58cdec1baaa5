"""The live session in two real browsers: a chair in the room and a remote delegate."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from plenary.floor.tests.factories import cast

pytestmark = pytest.mark.e2e


def signed_in(new_page: Any, live_url: str, user: Any) -> Any:
    """A tab whose browser context carries ``user``'s session cookie."""
    client = Client()
    client.force_login(user)
    page = new_page()
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_url,
            }
        ]
    )
    return page


def test_the_chair_gives_the_floor_to_a_remote_delegate(
    live_url: str, new_page: Any, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    c = cast()
    name = c.delegate.get_full_name()
    url = f"{live_url}/live/sessions/{c.session.pk}/"
    chair = signed_in(new_page, live_url, c.chair)
    delegate = signed_in(new_page, live_url, c.delegate)
    chair.goto(url)
    delegate.goto(url)
    expect(chair.locator("[data-connection]")).to_have_text("Connected")
    expect(delegate.locator("[data-connection]")).to_have_text("Connected")

    chair.get_by_role("button", name="Open the session").click()
    expect(delegate.locator("[data-status]")).to_have_text("In session")
    delegate.get_by_role("button", name="Request the floor").click()
    expect(delegate.locator("[data-my-position]")).to_have_text("You are number 1 on the list.")
    chair.get_by_role("button", name=f"Give the floor: {name}").click()

    expect(delegate.locator("[data-you-floor]")).to_be_visible()
    expect(delegate.locator("[data-announce]")).to_have_text("You have the floor.")
    expect(chair.locator("[data-speaker]")).to_contain_text(name)
    expect(chair.locator("[data-announce]")).to_have_text(f"{name} has the floor.")
    expect(chair.locator("[data-queue] li")).to_have_count(0)
