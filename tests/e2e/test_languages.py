"""The language switcher in the header changes the whole interface."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

# (code, switcher label, heading of the sign-in page, text direction)
LANGUAGES = [
    ("ar", "العربية", "تسجيل الدخول", "rtl"),
    ("zh-hans", "中文", "登录", "ltr"),
    ("fr", "Français", "Se connecter", "ltr"),
    ("ru", "Русский", "Войти", "ltr"),
    ("es", "Español", "Iniciar sesión", "ltr"),
    ("en", "English", "Sign in", "ltr"),
]


def test_the_switcher_changes_language_and_direction(live_url: str, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_url + "/accounts/login/")
    html = page.locator("html")
    for code, label, heading, direction in LANGUAGES:
        page.locator("#language-select").select_option(label=label)
        page.locator(".language-switcher button").click()
        page.wait_for_function(f"document.documentElement.lang === {code!r}")
        assert (html.get_attribute("lang"), html.get_attribute("dir")) == (code, direction)
        assert page.locator("h1").inner_text() == heading
