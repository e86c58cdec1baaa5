"""The media pages in Chromium without audio: they talk over the tab's one socket.

No Janus runs here (``janus_down``), so listening fails with the clear error
the server sends back; that reply travelling to the page proves the page's
request/reply path over the shared socket (``live/socket.js``). Real audio
is covered by ``test_media.py`` inside a network namespace.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

import pytest

from plenary.media.tests import fixtures

pytestmark = pytest.mark.e2e
janus_down = fixtures.janus_down


def test_the_public_webcast_player_uses_one_socket_and_shows_a_janus_outage(
    live_url: str, new_page: Callable[..., Any]
) -> None:
    session = fixtures.public_webcast_session()
    page = new_page()
    sockets: list[str] = []
    errors: list[str] = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_url}/services/webcast/{fixtures.WEBCAST_TOKEN}/")
    page.get_by_role("button", name="Start listening", exact=True).click()
    page.get_by_text("Audio is temporarily unavailable. Reconnecting…").wait_for()
    websocket = live_url.replace("http", "ws", 1)
    [url] = sockets
    path, query = url.split("?")
    assert path == f"{websocket}/ws/media/webcast/{fixtures.WEBCAST_TOKEN}/{session.pk}/"
    assert parse_qs(query).keys() == {"viewer", "device"}  # counted by its browser key
    assert errors == []
