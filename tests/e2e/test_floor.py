"""The live session in two real browsers: a chair in the room and a remote delegate."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import Client
from playwright.sync_api import expect
from websockets.sync.client import connect

from plenary.core.websocket import server_command
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

    opener = chair.get_by_role("button", name="Open the session")
    expect(opener).not_to_have_class(re.compile(r"\bsecondary\b"))
    opener.click()
    expect(delegate.locator("[data-status]")).to_have_text("In session")
    expect(opener).to_have_class(re.compile(r"\bsecondary\b"))  # no longer the primary action
    delegate.get_by_role("button", name="Request the floor").click()
    expect(delegate.locator("[data-my-position]")).to_have_text("You are number 1 on the list.")
    chair.get_by_role("button", name=f"Give the floor: {name}").click()

    expect(delegate.locator("[data-you-floor]")).to_be_visible()
    expect(delegate.locator("[data-announce]")).to_have_text("You have the floor.")
    expect(chair.locator("[data-speaker]")).to_contain_text(name)
    expect(chair.locator("[data-announce]")).to_have_text(f"{name} has the floor.")
    expect(chair.locator("[data-queue] li")).to_have_count(0)

    chair.get_by_role("button", name="Close the session").click()
    expect(delegate.locator("[data-status]")).to_have_text("Closed")
    expect(delegate.get_by_role("button", name="Request the floor")).to_be_disabled()
    expect(delegate.get_by_role("button", name="Point of order")).to_be_disabled()
    expect(delegate.locator("[data-closed-note]")).to_be_visible()


@pytest.fixture
def second_server(live_url: str) -> Iterator[str]:
    """Another server process on the same database and the same Redis channel layer."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("needs REDIS_URL: two processes share events only through Redis")
    database = connection.settings_dict
    if database["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs DATABASE_URL on PostgreSQL, shared by both server processes")
    url = (
        f"postgres://{database['USER']}:{database['PASSWORD']}@{database['HOST']}:"
        f"{database['PORT']}/{database['NAME']}"
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PLENARY_SECRET_KEY": django_settings.SECRET_KEY,
    }
    server = subprocess.Popen(server_command(port), env=env)  # noqa: S603 - our own interpreter
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            if time.monotonic() > deadline or server.poll() is not None:
                raise RuntimeError("the second server did not start")
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def socket_for(base_url: str, session_id: int, user: Any) -> Any:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return connect(
        f"{base_url.replace('http', 'ws', 1)}/ws/sessions/{session_id}/",
        additional_headers={
            "Cookie": f"{django_settings.SESSION_COOKIE_NAME}={cookie}",
            "Origin": base_url,
        },
    )


def test_an_event_from_one_server_reaches_a_client_of_another(
    live_url: str, second_server: str, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    c = cast()
    with (
        socket_for(live_url, c.session.pk, c.chair) as chair,
        socket_for(second_server, c.session.pk, c.delegate) as delegate,
    ):
        assert json.loads(chair.recv(timeout=10))["type"] == "snapshot"
        assert json.loads(delegate.recv(timeout=10))["type"] == "snapshot"
        chair.send(json.dumps({"v": 1, "type": "session.open", "version": 0}))
        opened = json.loads(delegate.recv(timeout=10))
        assert (opened["type"], opened["version"]) == ("session.opened", 1)
