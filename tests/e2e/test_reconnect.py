"""A restarted server: the live page says so in its language and is back by itself."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from plenary.core.websocket import PROTOCOL
from plenary.floor.tests.factories import cast

pytestmark = pytest.mark.e2e


class Restartable:
    """The project's ASGI application served in a thread, stopped and started on one port."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = int(probe.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        from plenary.config.asgi import application

        config = uvicorn.Config(
            application,
            host="127.0.0.1",
            port=self.port,
            lifespan="off",
            log_level="warning",
            ws=PROTOCOL,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            assert time.monotonic() < deadline and self._thread.is_alive(), "no server"
            time.sleep(0.05)

    def stop(self) -> None:
        """A graceful shutdown, as on a deploy: open sockets are closed with 1012."""
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=15)


@pytest.fixture
def server(transactional_db: None) -> Iterator[Restartable]:
    served = Restartable()
    served.start()
    yield served
    served.stop()


def test_the_page_says_the_server_restarts_and_that_it_is_connected_again_in_french(
    server: Restartable, new_page: Any, settings: Any
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
