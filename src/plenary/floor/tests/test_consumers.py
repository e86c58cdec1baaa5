"""The session socket end to end in-process, with Channels' WebsocketCommunicator."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from prometheus_client import REGISTRY

from plenary.floor import services
from plenary.floor.models import LiveSession
from plenary.floor.tests.factories import Cast, cast
from plenary.live import protocol
from plenary.live import services as live_services
from plenary.live.events import event, publish_to_session
from plenary.live.models import AttendanceRecord, Presence
from plenary.live.protocol import MAX_MESSAGE_BYTES
from plenary.live.routing import websocket_urlpatterns
from plenary.media import services as media

pytestmark = pytest.mark.django_db(transaction=True)

OTHER_APPS = ("media.", "captions.")

Connect = Callable[..., Awaitable[tuple[WebsocketCommunicator, dict[str, Any]]]]


@pytest.fixture
async def c() -> Cast:
    return await database_sync_to_async(cast)()


@pytest.fixture
async def connect(c: Cast) -> AsyncIterator[Connect]:
    """Open a socket as ``user``; yields the communicator and its first message (the snapshot)."""
    opened: list[WebsocketCommunicator] = []

    async def open_socket(
        user: Any, session_id: int | None = None, query: str = "", ua: bytes = b"Mozilla/5.0"
    ) -> tuple[WebsocketCommunicator, dict[str, Any]]:
        path = f"/ws/sessions/{session_id or c.session.pk}/{query}"
        communicator = WebsocketCommunicator(
            URLRouter(websocket_urlpatterns), path, headers=[(b"user-agent", ua)]
        )
        communicator.scope["user"] = user
        connected, _code = await communicator.connect()
        opened.append(communicator)
        first = await communicator.receive_json_from() if connected else {}
        return communicator, first

    yield open_socket
    for communicator in opened:
        await communicator.disconnect()


async def send(ws: WebsocketCommunicator, **message: Any) -> None:
    await ws.send_json_to({"v": 1, **message})


async def expect(ws: WebsocketCommunicator, type_: str) -> dict[str, Any]:
    """The next floor message, which must be of ``type_``.

    Other apps' session events (``media.heard``, ``captions.stream``), which
    they publish when the floor or the session changes, are skipped: they
    come through the session's fan-out, concurrently with the socket's own
    replies, so their place among those is not specified.
    """
    message = await ws.receive_json_from(timeout=5)
    while message["type"].startswith(OTHER_APPS):
        message = await ws.receive_json_from(timeout=5)
    assert message["type"] == type_, message
    return dict(message)


async def test_a_delegate_gets_a_snapshot_and_is_counted_present(c: Cast, connect: Connect) -> None:
    _ws, snapshot = await connect(c.delegate, query="?device=tablet")
    assert snapshot["type"] == "snapshot"
    assert snapshot["version"] == 0
    assert snapshot["state"]["status"] == "scheduled"
    assert snapshot["you"]["may_speak"] is True
    assert snapshot["presence"] is None  # delegates do not see the presence list
    join = await database_sync_to_async(AttendanceRecord.objects.get)(user=c.delegate)
    assert (join.kind, join.device_class, join.attendance) == ("join", "tablet", "remote")


async def test_an_event_published_while_the_snapshot_is_built_follows_it(
    c: Cast, connect: Connect, monkeypatch: pytest.MonkeyPatch
) -> None:
    def publishing(session: Any, standing: Any) -> dict[str, Any]:
        publish_to_session(session.pk, event("media.heard", channel="en", user_ids=[7]))
        return {}

    monkeypatch.setattr(
        live_services, "_snapshot_parts", [*live_services._snapshot_parts, publishing]
    )
    ws, snapshot = await connect(c.delegate)
    assert snapshot["type"] == "snapshot"
    meanwhile = await ws.receive_json_from(timeout=5)  # not lost
    assert (meanwhile["type"], meanwhile["user_ids"]) == ("media.heard", [7])


async def test_the_snapshot_says_which_booths_are_on_air(c: Cast, connect: Connect) -> None:
    await database_sync_to_async(media.set_heard)(c.session.pk, "fr", frozenset({c.delegate.pk}))
    _ws, snapshot = await connect(c.delegate)
    assert snapshot["on_air"] == ["fr"]  # the meeting offers en and fr; nobody on en


async def test_staff_see_who_joins_and_leaves(c: Cast, connect: Connect) -> None:
    chair, snapshot = await connect(c.chair)
    assert [p["user_id"] for p in snapshot["presence"]] == [c.chair.pk]
    delegate, _ = await connect(c.delegate, ua=b"Mozilla/5.0 (iPhone) Mobile/15E148")
    joined = await expect(chair, "presence.joined")
    assert (joined["user_id"], joined["device_class"]) == (c.delegate.pk, "phone")
    await delegate.disconnect()
    left = await expect(chair, "presence.left")
    assert left["connection"] == joined["connection"]
    assert not await database_sync_to_async(
        Presence.objects.filter(connection=joined["connection"]).exists
    )()


async def test_a_floor_request_reaches_every_socket(c: Cast, connect: Connect) -> None:
    chair, _ = await connect(c.chair)
    delegate, _ = await connect(c.delegate)
    await expect(chair, "presence.joined")
    await send(delegate, type="floor.request", kind="speak")
    for ws in (delegate, chair):
        requested = await expect(ws, "floor.requested")
        assert requested["version"] == 1
        assert requested["data"]["request"]["user_id"] == c.delegate.pk


async def test_closing_a_socket_releases_its_media_legs(c: Cast, connect: Connect) -> None:
    ws, _ = await connect(c.delegate)
    presence = await database_sync_to_async(Presence.objects.get)(user=c.delegate)
    # Legs as media.listen would hold them, without handles: Janus is not part of this test.
    media._connections[presence.connection] = media.Connection(c.session.pk, c.delegate.pk)
    await ws.disconnect()
    assert media.connection(presence.connection) is None


async def test_a_failing_cleanup_does_not_stop_the_others(
    c: Cast, connect: Connect, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    closed: list[str] = []

    def failing(ctx: protocol.Context) -> None:
        raise RuntimeError("this app's cleanup is broken")

    def recording(ctx: protocol.Context) -> None:
        closed.append(ctx.connection_id)

    monkeypatch.setattr(protocol, "_disconnect_hooks", [failing, recording])
    ws, _ = await connect(c.delegate)
    presence = await database_sync_to_async(Presence.objects.get)(user=c.delegate)
    await ws.disconnect()
    assert closed == [presence.connection]
    assert "this app's cleanup is broken" in caplog.text
    assert not await database_sync_to_async(Presence.objects.filter(user=c.delegate).exists)()


async def test_the_public_screen_watches_but_cannot_act(c: Cast, connect: Connect) -> None:
    screen, snapshot = await connect(AnonymousUser())
    assert snapshot["you"]["user_id"] is None
    await send(screen, type="floor.request", id="r1")
    error = await expect(screen, "error")
    assert (error["code"], error["ref"]) == ("forbidden", "r1")
    assert not await database_sync_to_async(Presence.objects.exists)()


async def test_an_unknown_session_closes_the_socket(c: Cast, connect: Connect) -> None:
    # Accepted, then closed with 4404 (a refused handshake is an HTTP 403 to the page).
    ws, first = await connect(c.delegate, session_id=999_999)
    assert (first["type"], first["code"]) == ("error", "not_found")
    assert await ws.receive_output(timeout=5) == {"type": "websocket.close", "code": 4404}


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "malformed"),
        ("[1, 2]", "malformed"),
        ('{"v": 2, "type": "ping"}', "unsupported_version"),
        ('{"v": 1, "type": "floor.dance"}', "unknown_type"),
        ('{"v": 1, "type": "floor.request", "kind": "filibuster"}', "invalid"),
        ('{"v": 1, "type": "floor.give", "request_id": 1}', "invalid"),
        ('{"v": 1, "type": "floor.request", "extra": true}', "invalid"),
        (json.dumps({"v": 1, "type": "ping", "pad": "x" * MAX_MESSAGE_BYTES}), "too_large"),
    ],
)
async def test_bad_frames_get_an_error_and_the_socket_stays_open(
    c: Cast, connect: Connect, frame: str, code: str
) -> None:
    ws, _ = await connect(c.delegate)
    await ws.send_to(text_data=frame)
    error = await expect(ws, "error")
    assert error["code"] == code
    assert error["message"]
    await send(ws, type="ping", id="p")
    assert (await expect(ws, "pong"))["ref"] == "p"
    assert (await database_sync_to_async(services.current_state)(c.session.pk))[0] == 0


async def test_a_stale_chair_command_gets_an_error_event(c: Cast, connect: Connect) -> None:
    chair, _ = await connect(c.chair)
    await send(chair, type="session.open", version=0)
    await expect(chair, "session.opened")
    await expect(chair, "recording.started")  # an open session is recorded
    await send(chair, type="session.suspend", version=0)
    assert (await expect(chair, "error"))["code"] == "stale"


async def test_resync_sends_a_fresh_snapshot(c: Cast, connect: Connect) -> None:
    delegate, _ = await connect(c.delegate)
    await send(delegate, type="floor.request")
    await expect(delegate, "floor.requested")
    await send(delegate, type="resync")
    snapshot = await expect(delegate, "snapshot")
    assert snapshot["version"] == 1
    assert snapshot["state"]["queue"][0]["user_id"] == c.delegate.pk


async def test_a_flood_of_frames_is_throttled(c: Cast, connect: Connect) -> None:
    ws, _ = await connect(c.observer)
    for _ in range(40):
        await ws.send_to(text_data="{}")
    codes = {(await ws.receive_json_from(timeout=5))["code"] for _ in range(40)}
    assert codes == {"unsupported_version", "rate_limited"}


async def test_after_a_server_restart_a_reconnecting_client_finds_the_session_as_it_was(
    c: Cast, connect: Connect
) -> None:
    def before_the_crash() -> tuple[int, dict[str, Any]]:
        sid = c.session.pk
        services.do_set_status(c.chair, sid, "open", 0)
        services.do_request_floor(c.delegate, sid, "speak")
        services.do_request_floor(c.onsite, sid, "speak")
        services.do_next_speaker(c.chair, sid, services.current_state(sid)[0])
        expected = services.current_state(sid)
        # The dead server left its socket marked present (no ping since), and
        # the materialised state is lost: only the event log remains.
        Presence.objects.create(
            session=c.session,
            user=c.delegate,
            connection="dead-server-socket",
            attendance="remote",
            device_class="desktop",
            seen_at=timezone.now() - live_services.PRESENCE_TIMEOUT * 2,
        )
        LiveSession.objects.filter(session=c.session).delete()
        return expected

    version, state = await database_sync_to_async(before_the_crash)()
    _ws, snapshot = await connect(c.delegate)
    assert (snapshot["version"], snapshot["state"]) == (version, state)
    assert snapshot["state"]["speaker"]["request"]["user_id"] == c.delegate.pk
    assert [item["user_id"] for item in snapshot["state"]["queue"]] == [c.onsite.pk]
    left = await database_sync_to_async(
        lambda: list(
            AttendanceRecord.objects.filter(connection="dead-server-socket").values_list(
                "kind", flat=True
            )
        )
    )()
    assert left == ["leave"]


async def test_open_sockets_and_published_events_are_counted(c: Cast, connect: Connect) -> None:
    def value(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    before = value("plenary_sockets_open", kind="session socket")
    ws, _ = await connect(c.delegate)
    assert value("plenary_sockets_open", kind="session socket") == before + 1
    events_before = value("plenary_events_published_total", type="session.opened")
    await database_sync_to_async(services.do_set_status)(c.chair, c.session.pk, "open", 0)
    assert value("plenary_events_published_total", type="session.opened") == events_before + 1
    await ws.disconnect()
    assert value("plenary_sockets_open", kind="session socket") == before
