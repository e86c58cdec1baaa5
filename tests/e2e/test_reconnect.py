"""A restarted server: the live page says so in its language and is back by itself."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from plenary.core.tests.live import ThreadedServer
from plenary.floor.tests.factories import cast

pytestmark = pytest.mark.e2e


@pytest.fixture
def server(transactional_db: None) -> Iterator[ThreadedServer]:
    served = ThreadedServer()
    served.start()
    yield served
    served.stop()


def test_the_page_says_the_server_restarts_and_that_it_is_connected_again_in_french(
    server: ThreadedServer, new_page: Any, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    c = cast()
    client = Client()
    client.force_login(c.delegate)
    page = new_page()
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": server.url,
            },
            {"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "fr", "url": server.url},
        ]
    )
    page.goto(f"{server.url}/live/sessions/{c.session.pk}/")
    status = page.locator("[data-connection]")
    expect(status).to_have_text("Connecté")

    server.stop()
    expect(status).to_have_text("Le serveur redémarre ; reconnexion…")
    server.start()
    # Retries are at most about 2 s apart: back well within the assertion's 10 s.
    expect(status).to_have_text("De nouveau connecté.")
    expect(status).to_have_attribute("role", "status")
