"""The live sockets' hardening: language, strict parsing, floods, handshake, shutdown.

In-process with Channels' ``WebsocketCommunicator`` (the routes of the
project), except the shutdown, which needs a real uvicorn server.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.conf import settings as django_settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from hypothesis import given
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect as ws_connect
from websockets.typing import Origin

from plenary.config.routing import websocket_urlpatterns
from plenary.core.tests.live import ThreadedServer
from plenary.core.websocket import scope_language
from plenary.floor.models import SessionEvent
from plenary.floor.tests.factories import Cast, cast
from plenary.live import limits
from plenary.media.tests.fixtures import WEBCAST_TOKEN, public_webcast_session

pytestmark = pytest.mark.django_db(transaction=True)

Open = Callable[..., Awaitable[tuple[WebsocketCommunicator, dict[str, Any]]]]
OTHER_APPS = ("media.", "captions.")


@pytest.fixture(autouse=True)
def fresh_limits() -> Iterator[None]:
    limits.reset()
    yield
    limits.reset()


@pytest.fixture
async def c() -> Cast:
    return await database_sync_to_async(cast)()


@pytest.fixture
async def open_socket(c: Cast) -> AsyncIterator[Open]:
    """Open a socket as ``user``: the communicator and its first message."""
    opened: list[WebsocketCommunicator] = []

    async def open_(
        user: Any,
        path: str | None = None,
        headers: list[tuple[bytes, bytes]] | None = None,
        client: tuple[str, int] = ("203.0.113.7", 50000),
    ) -> tuple[WebsocketCommunicator, dict[str, Any]]:
        communicator = WebsocketCommunicator(
            URLRouter(websocket_urlpatterns),
            path or f"/ws/sessions/{c.session.pk}/",
            headers=headers or [],
        )
        communicator.scope["user"] = user
        communicator.scope["client"] = client
        connected, _ = await communicator.connect()
        assert connected  # every socket is accepted; refusals close it after saying why
        opened.append(communicator)
        return communicator, await communicator.receive_json_from(timeout=5)

    yield open_
    for communicator in opened:
        await communicator.disconnect()


async def reply(ws: WebsocketCommunicator) -> dict[str, Any]:
    """The next message to this socket itself (other apps' session events skipped)."""
    message = await ws.receive_json_from(timeout=5)
    while str(message.get("type")).startswith(OTHER_APPS):
        message = await ws.receive_json_from(timeout=5)
    return dict(message)


async def closed_with(ws: WebsocketCommunicator) -> int:
    """The close code of the socket's next output, skipping the messages before it."""
    while True:
        output = await ws.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            return int(output.get("code", 1000))


async def still_open(ws: WebsocketCommunicator) -> None:
    await ws.send_json_to({"v": 1, "type": "ping", "id": "alive"})
    message = await reply(ws)
    while message.get("ref") != "alive":
        message = await reply(ws)
    assert message["type"] == "pong"


def set_language(user: Any, language: str) -> None:
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])


# --- Item 3: every message in the socket's language ----------------------------


async def test_a_socket_error_arrives_in_french_for_a_french_user(
    c: Cast, open_socket: Open
) -> None:
    await database_sync_to_async(set_language)(c.delegate, "fr")
    ws, _snapshot = await open_socket(c.delegate)
    await ws.send_json_to({"v": 1, "type": "floor.dance"})
    assert (await reply(ws))["message"] == "Type de message inconnu."
    # A service's refusal, raised in the worker thread, is French too.
    english, _ = await open_socket(c.onsite)
    give = {"v": 1, "type": "floor.give", "request_id": 1, "version": 0}
    for socket_ in (ws, english):
        await socket_.send_json_to(give)
    french, other = await reply(ws), await reply(english)
    assert french["code"] == other["code"] == "forbidden"
    assert french["message"] != other["message"]
    await ws.send_to(text_data="not json")
    assert (await reply(ws))["message"] == "Le message n'est pas du JSON valide."


async def test_the_page_language_cookie_wins_over_the_preferred_language(
    c: Cast, open_socket: Open
) -> None:
    await database_sync_to_async(set_language)(c.delegate, "fr")
    ws, _ = await open_socket(c.delegate, headers=[(b"cookie", b"django_language=es")])
    await ws.send_json_to({"v": 1, "type": "floor.dance"})
    assert (await reply(ws))["message"] == "Tipo de mensaje desconocido."


async def test_an_anonymous_socket_speaks_the_accept_language_of_its_handshake(
    c: Cast, open_socket: Open
) -> None:
    ws, _ = await open_socket(AnonymousUser(), headers=[(b"accept-language", b"ru,en;q=0.5")])
    await ws.send_json_to({"v": 1, "type": "floor.dance"})
    assert (await reply(ws))["message"] == "Неизвестный тип сообщения."


async def test_the_webcast_socket_answers_in_the_viewers_language(
    c: Cast, open_socket: Open
) -> None:
    webcast = await database_sync_to_async(public_webcast_session)()
    ws = WebsocketCommunicator(
        URLRouter(websocket_urlpatterns),
        f"/ws/media/webcast/{WEBCAST_TOKEN}/{webcast.pk}/",
        headers=[(b"accept-language", b"fr-CH, fr;q=0.9")],
    )
    ws.scope["user"] = AnonymousUser()
    ws.scope["client"] = ("203.0.113.9", 1)
    assert (await ws.connect())[0]
    try:
        assert (await ws.receive_json_from())["type"] == "snapshot"
        await ws.send_json_to({"v": 1, "type": "floor.request"})
        assert (await reply(ws))["message"] == "Type de message inconnu."
        await ws.send_to(text_data='{"v": 1, "type": "media.nonce", "type": "ping"}')
        assert (await reply(ws))["message"] == "Le message répète le champ « type »."
    finally:
        await ws.disconnect()


async def test_an_unknown_session_is_refused_in_the_users_language(
    c: Cast, open_socket: Open
) -> None:
    await database_sync_to_async(set_language)(c.delegate, "zh-hans")
    ws, refusal = await open_socket(c.delegate, path="/ws/sessions/999999/")
    assert (refusal["code"], refusal["message"]) == ("not_found", "该会议不存在。")
    assert await closed_with(ws) == 4404


@given(cookie=st.binary(max_size=300), accept=st.binary(max_size=600))
def test_any_handshake_headers_give_one_of_the_six_languages(cookie: bytes, accept: bytes) -> None:
    scope = {
        "headers": [(b"cookie", cookie), (b"accept-language", accept)],
        "user": AnonymousUser(),
    }
    assert scope_language(scope) in {code for code, _name in django_settings.LANGUAGES}


# --- Item 14: nothing raises out of a consumer ----------------------------------


async def test_a_message_nested_5000_deep_is_refused_and_the_socket_stays_open(
    c: Cast, open_socket: Open
) -> None:
    ws, _ = await open_socket(c.delegate)
    await ws.send_to(text_data='{"v": 1, "type": "ping", "x": ' + "[" * 5000 + "]" * 5000 + "}")
    assert (await reply(ws))["code"] == "too_deep"
    await still_open(ws)


async def test_brackets_inside_strings_are_no_nesting(c: Cast, open_socket: Open) -> None:
    ws, _ = await open_socket(c.delegate)
    await ws.send_json_to({"v": 1, "type": "ping", "id": "[[[[[[[[[[[[[[[[[[[[[[[["})
    assert (await reply(ws))["type"] == "pong"


async def test_an_anonymous_viewer_setting_the_floor_language_gets_an_error(
    c: Cast, open_socket: Open
) -> None:
    ws, _ = await open_socket(AnonymousUser())
    await ws.send_json_to({"v": 1, "type": "booth.floor_language", "language": "fr", "id": "b"})
    error = await reply(ws)
    assert (error["type"], error["ref"]) == ("error", "b")
    assert error["code"] != "internal", error  # refused, not failed
    assert error["message"]
    await still_open(ws)


# --- Item 15: strict parsing ------------------------------------------------------


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ('{"v": true, "type": "ping"}', "unsupported_version"),
        ('{"v": 1.0, "type": "ping"}', "unsupported_version"),
        ('{"v": "1", "type": "ping"}', "unsupported_version"),
        ('{"v": 1, "type": "floor.withdraw", "request_id": "7"}', "invalid"),
        ('{"v": 1, "type": "floor.withdraw", "request_id": 7.0}', "invalid"),
        ('{"v": 1, "type": "floor.withdraw", "request_id": true}', "invalid"),
        ('{"v": 1, "type": "ping", "type": "floor.request"}', "duplicate_key"),
        ('{"v": 1, "type": "ping", "x": {"a": 1, "a": 2}}', "duplicate_key"),
        ('{"v": 1, "type": "ping", "x": NaN}', "malformed"),
    ],
)
async def test_loose_messages_are_refused(
    c: Cast, open_socket: Open, frame: str, code: str
) -> None:
    ws, _ = await open_socket(c.delegate)
    await ws.send_to(text_data=frame)
    error = await reply(ws)
    assert (error["type"], error["code"]) == ("error", code)
    assert error["message"]
    await still_open(ws)
    assert not await database_sync_to_async(SessionEvent.objects.exists)()


async def test_a_repeated_key_is_named_in_french(c: Cast, open_socket: Open) -> None:
    await database_sync_to_async(set_language)(c.delegate, "fr")
    ws, _ = await open_socket(c.delegate)
    await ws.send_to(text_data='{"v": 1, "type": "ping", "type": "floor.request"}')
    assert (await reply(ws))["message"] == "Le message répète le champ « type »."


# --- Item 16: floods ----------------------------------------------------------------


async def test_a_flooding_socket_is_closed_with_4429(c: Cast, open_socket: Open) -> None:
    ws, _ = await open_socket(AnonymousUser())
    for _ in range(100):
        await ws.send_to(text_data="{}")
    codes: list[str] = []
    while True:
        output = await ws.receive_output(timeout=5)
        if output["type"] == "websocket.close":
            break
        codes.append(json.loads(output["text"])["code"])
    assert output["code"] == limits.CLOSE_FLOODING
    assert set(codes) == {"unsupported_version", "rate_limited"}


async def test_a_flooding_address_cannot_reconnect_at_once(c: Cast, open_socket: Open) -> None:
    ws, _ = await open_socket(AnonymousUser())
    for _ in range(100):
        await ws.send_to(text_data="{}")
    assert await closed_with(ws) == limits.CLOSE_FLOODING
    again, refusal = await open_socket(AnonymousUser())
    assert refusal["code"] == "rate_limited"
    assert await closed_with(again) == limits.CLOSE_FLOODING
    # Signed-in people behind the same address are not affected.
    _delegate, snapshot = await open_socket(c.delegate)
    assert snapshot["type"] == "snapshot"


async def test_the_cap_refuses_the_next_anonymous_socket_of_an_address(
    c: Cast, open_socket: Open, settings: Any
) -> None:
    settings.WS_ANONYMOUS_PER_ADDRESS = 3
    sockets = [(await open_socket(AnonymousUser()))[0] for _ in range(3)]
    refused, refusal = await open_socket(AnonymousUser())
    assert refusal["code"] == "rate_limited"
    assert await closed_with(refused) == limits.CLOSE_FLOODING
    # Another address, and signed-in people, are not affected.
    _other, snapshot = await open_socket(AnonymousUser(), client=("198.51.100.1", 1))
    assert snapshot["type"] == "snapshot"
    _delegate, snapshot = await open_socket(c.delegate)
    assert snapshot["type"] == "snapshot"
    # A closed socket frees its place.
    await sockets[0].disconnect()
    _again, snapshot = await open_socket(AnonymousUser())
    assert snapshot["type"] == "snapshot"


async def test_the_anonymous_sockets_of_an_address_share_one_budget(
    c: Cast, open_socket: Open, settings: Any
) -> None:
    settings.WS_ADDRESS_BURST = 6  # each socket's own burst (20) is larger
    settings.WS_ADDRESS_RATE = 0.001
    first, _ = await open_socket(AnonymousUser())  # opening takes a token too
    second, _ = await open_socket(AnonymousUser())
    for ws in (first, second):
        for _ in range(2):
            await ws.send_to(text_data="{}")
            assert (await reply(ws))["code"] == "unsupported_version"
    await second.send_to(text_data="{}")
    assert (await reply(second))["code"] == "rate_limited"


async def test_the_tabs_of_one_account_share_one_budget(
    c: Cast, open_socket: Open, settings: Any
) -> None:
    settings.WS_ACCOUNT_BURST = 4
    settings.WS_ACCOUNT_RATE = 0.001
    tabs = [(await open_socket(c.delegate))[0] for _ in range(2)]
    for ws in tabs:
        for _ in range(2):
            await ws.send_to(text_data="{}")
            assert (await reply(ws))["code"] == "unsupported_version"
    await tabs[0].send_to(text_data="{}")
    assert (await reply(tabs[0]))["code"] == "rate_limited"
    # Another person is not affected.
    chair, _ = await open_socket(c.chair)
    await chair.send_to(text_data="{}")
    assert (await reply(chair))["code"] == "unsupported_version"


# --- Item 19: the handshake -------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/ws/sessions/abc/",
        "/ws/sessions/1e3/",
        "/ws/sessions/%D9%A3/",  # an Arabic-Indic digit: a digit, not an ASCII one
        "/ws/sessions/99999999999999999999999/",
        "/ws/media/webcast/nope/abc/",
        "/ws/media/webcast/no%20pe/1/",
    ],
)
async def test_an_address_that_is_no_session_closes_with_4404(
    c: Cast, open_socket: Open, path: str
) -> None:
    ws, refusal = await open_socket(c.delegate, path=path)
    assert refusal["code"] == "not_found"
    assert await closed_with(ws) == 4404


# --- Issue 12 item 5: the server says it restarts -------------------------------------------


@pytest.fixture
def server() -> Iterator[ThreadedServer]:
    served = ThreadedServer()
    served.start()
    yield served
    served.stop()


def test_a_server_shutting_down_closes_its_sockets_with_1012_service_restart(
    server: ThreadedServer,
) -> None:
    c = cast()
    with ws_connect(
        f"ws://127.0.0.1:{server.port}/ws/sessions/{c.session.pk}/",
        origin=Origin("http://127.0.0.1"),
        open_timeout=10,
    ) as client:
        assert json.loads(client.recv(timeout=10))["type"] == "snapshot"
        assert server.server is not None
        server.server.should_exit = True
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                client.recv(timeout=10)
    assert closed.value.rcvd is not None
    assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1012, "service restart")


def test_after_a_flood_the_transport_refuses_anonymous_handshakes_of_the_address(
    server: ThreadedServer,
) -> None:
    c = cast()
    url = f"ws://127.0.0.1:{server.port}/ws/sessions/{c.session.pk}/"
    origin = Origin("http://127.0.0.1")
    with ws_connect(url, origin=origin, open_timeout=10) as flooder:
        assert json.loads(flooder.recv(timeout=10))["type"] == "snapshot"
        with pytest.raises(ConnectionClosed) as flooded:
            for _ in range(1000):
                flooder.send("{}")
            while True:
                flooder.recv(timeout=10)
    assert flooded.value.rcvd is not None and flooded.value.rcvd.code == 4429
    with (
        ws_connect(url, origin=origin, open_timeout=10) as again,
        pytest.raises(ConnectionClosed) as refused,
    ):
        again.recv(timeout=10)
    assert refused.value.rcvd is not None
    assert (refused.value.rcvd.code, refused.value.rcvd.reason) == (4429, "rate limited")
    # A signed-in delegate on the same address is not refused.
    client = Client()
    client.force_login(c.delegate)
    name = django_settings.SESSION_COOKIE_NAME
    cookie = f"{name}={client.cookies[name].value}"
    with ws_connect(
        url, origin=origin, open_timeout=10, additional_headers={"Cookie": cookie}
    ) as delegate:
        assert json.loads(delegate.recv(timeout=10))["type"] == "snapshot"
