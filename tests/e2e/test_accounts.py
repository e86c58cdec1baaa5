"""A staff member signs in with a password and a TOTP code in Chromium."""

from __future__ import annotations

import pytest

from plenary.accounts.tests.factories import DEFAULT_PASSWORD
from plenary.accounts.tests.helpers import staff_with_device, totp_code_for

pytestmark = pytest.mark.e2e


def test_staff_signs_in_with_password_and_authenticator_code(live_url: str, page) -> None:  # type: ignore[no-untyped-def]
    user = staff_with_device(first_name="Grace", last_name="Hopper", preferred_language="en")
    page.goto(live_url + "/accounts/login/?next=/accounts/profile/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url("**/accounts/login/verify/**")
    page.get_by_label("6-digit code").fill(totp_code_for(user))
    page.get_by_role("button", name="Verify").click()

    page.wait_for_url("**/accounts/profile/")
    assert page.locator("h1").inner_text() == "Your profile"
    assert "Grace Hopper" in page.locator(".site-header").inner_text()
    page.get_by_text("Staff tools").click()  # the staff pages' menu in the header
    assert page.get_by_role("link", name="Administration").is_visible()
