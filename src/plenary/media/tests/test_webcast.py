"""The public webcast socket: token checked on connect, a snapshot, watching commands only."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from plenary.config.asgi import application
from plenary.media import engine, services
from plenary.media.tests import fixtures
from plenary.meetings.models import Session
from plenary.stats.models import WebcastView

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = [(b"origin", b"http://localhost")]
T = TypeVar("T")


@pytest.fixture
def session() -> Session:
    return fixtures.public_webcast_session()


def _in_own_loop(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` on a fresh loop in a fresh thread (whatever loop this thread has)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def _connect(socket: WebsocketCommunicator) -> dict[str, Any]:
    """Connect, and take the snapshot the socket sends first."""
    connected, _ = await socket.connect()
    assert connected
    snapshot = await socket.receive_json_from()
    assert snapshot["type"] == "snapshot"
    return dict(snapshot)


def test_a_viewer_gets_the_floor_and_captions_but_no_chat_or_presence(session: Session) -> None:
    from plenary.live.events import event, publish_to_session

    async def watch() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        socket = _webcast_socket(session)
        snapshot = await _connect(socket)
        await socket.send_json_to(
            {"v": 1, "id": "c1", "type": "captions.subscribe", "language": "fr"}
        )
        captions = await socket.receive_json_from()
        for kind in ("chat.policy", "presence.left", "floor.limit_set"):
            await sync_to_async(publish_to_session)(session.pk, _sample(kind))
        forwarded = await socket.receive_json_from()
        assert await socket.receive_nothing()
        await socket.disconnect()
        return snapshot, captions, forwarded

    def _sample(kind: str) -> dict[str, Any]:
        table: dict[str, dict[str, Any]] = {
            "chat.policy": {"public_open": False},
            "presence.left": {"connection": "x"},
            "floor.limit_set": {
                "version": 2,
                "at": "2026-12-02T10:00:00Z",
                "data": {"seconds": 60},
            },
        }
        return event(kind, **table[kind])

    snapshot, captions, forwarded = _in_own_loop(watch())
    assert snapshot["presence"] is None and snapshot["state"]["status"]
    assert snapshot["you"]["user_id"] is None
    assert (captions["type"], captions["language"]) == ("captions.snapshot", "fr")
    assert forwarded["type"] == "floor.limit_set"


def test_a_wrong_token_is_refused(session: Session) -> None:
    # Accepted, then closed with 4404 (a refused handshake is an HTTP 403 to the page).
    async def connect() -> tuple[str, dict[str, Any]]:
        socket = WebsocketCommunicator(application, f"/ws/media/webcast/nope/{session.pk}/", ORIGIN)
        await socket.connect()
        refusal = await socket.receive_json_from()
        return refusal["code"], await socket.receive_output()

    assert _in_own_loop(connect()) == ("not_found", {"type": "websocket.close", "code": 4404})


def test_the_public_may_only_listen(session: Session) -> None:
    async def converse() -> list[dict[str, Any]]:
        socket = WebsocketCommunicator(
            application, f"/ws/media/webcast/public-token/{session.pk}/", ORIGIN
        )
        await _connect(socket)
        await socket.send_json_to({"v": 1, "id": "1", "type": "media.nonce"})
        nonce = await socket.receive_json_from()
        await socket.send_json_to(
            {"v": 1, "id": "2", "type": "media.speak", "nonce": "x", "sdp": ""}
        )
        refusal = await socket.receive_json_from()
        await socket.disconnect()
        return [nonce, refusal]

    nonce, refusal = _in_own_loop(converse())
    assert nonce["type"] == "media.nonce"
    assert (refusal["type"], refusal["code"]) == ("error", "unknown_type")


def test_the_webcast_page_embeds_the_player_of_the_live_session(
    session: Session, client: Client
) -> None:
    page = client.get("/services/webcast/public-token/").content.decode()
    assert f'data-live-socket="/ws/media/webcast/public-token/{session.pk}/"' in page
    assert 'name="channel" value="fr"' in page
    # The room without its interactive parts: the stage with its video, captions,
    # no floor request, no chat, no microphone.
    for part in ('id="stage"', 'data-video="stage"', 'data-video="screen"', 'id="caption-panel"'):
        assert part in page
    for part in ("data-request=", 'id="chat', 'id="speak-start"', 'id="camera-start"'):
        assert part not in page


def test_webcast_viewers_are_counted_by_their_browser_key(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Janus is not under test here (see tests/e2e/test_media.py): switching is a no-op.
    async def switched(*args: Any) -> None:
        return None

    monkeypatch.setattr(services, "do_switch", switched)

    async def choose(query: str, channel: str) -> dict[str, Any]:
        path = f"/ws/media/webcast/public-token/{session.pk}/{query}"
        socket = WebsocketCommunicator(application, path, ORIGIN)
        await _connect(socket)
        await socket.send_json_to({"v": 1, "id": "1", "type": "media.channel", "channel": channel})
        reply = await socket.receive_json_from()
        await socket.disconnect()
        return dict(reply)

    assert _in_own_loop(choose("?viewer=browser-key-1", "fr"))["type"] == "media.channel"
    _in_own_loop(choose("?viewer=browser-key-1", "floor"))
    _in_own_loop(choose("?viewer=bad key!", "fr"))  # not a key: counted once, by its socket
    assert _in_own_loop(choose("", "de"))["code"] == "unknown_channel"  # no view
    views = {(v.viewer, v.language) for v in WebcastView.objects.filter(session=session)}
    by_socket = views - {("browser-key-1", "fr"), ("browser-key-1", "")}
    assert len(views) == 3
    assert [(len(viewer), language) for viewer, language in by_socket] == [(32, "fr")]


def _webcast_socket(session: Session) -> WebsocketCommunicator:
    # As live/socket.js opens it: the viewer key, then the device class.
    path = f"/ws/media/webcast/public-token/{session.pk}/?viewer=browser-key-2&device=phone"
    return WebsocketCommunicator(application, path, ORIGIN)


def test_the_webcast_socket_answers_the_page_socket_keepalive(session: Session) -> None:
    async def ping() -> dict[str, Any]:
        socket = _webcast_socket(session)
        await _connect(socket)
        await socket.send_json_to({"v": 1, "id": "c7", "type": "ping"})
        reply = await socket.receive_json_from()
        await socket.disconnect()
        return dict(reply)

    reply = _in_own_loop(ping())
    assert (reply["type"], reply["ref"]) == ("pong", "c7")


def test_a_rebuilt_mountpoint_tells_webcast_listeners_to_reconnect(session: Session) -> None:
    async def rebuild() -> dict[str, Any]:
        socket = _webcast_socket(session)
        await _connect(socket)
        async with engine.rooms_now() as rooms:  # as a room manager does once it rebuilt one
            assert rooms.on_rebuilt is not None
            await rooms.on_rebuilt(session.pk)
        reply = await socket.receive_json_from()
        await socket.disconnect()
        return dict(reply)

    assert _in_own_loop(rebuild()) == {"v": 1, "type": "media.reset", "scope": "listen"}
