"""The workspace socket end to end in-process (Channels' WebsocketCommunicator)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from plenary.workspaces.models import Message, ReadMarker
from plenary.workspaces.routing import websocket_urlpatterns
from plenary.workspaces.services import messages as posting
from plenary.workspaces.tests.helpers import Cast, make_cast

pytestmark = pytest.mark.django_db(transaction=True)

Connect = Callable[..., Awaitable[tuple[WebsocketCommunicator, dict[str, Any]]]]


@pytest.fixture
async def c() -> Cast:
    return await database_sync_to_async(make_cast)()


@pytest.fixture
async def topic(c: Cast) -> Message:
    def start() -> Message:
        return posting.do_start_topic(
            c.french, c.place(c.french), c.general.pk, "Work plan", "First"
        )

    return await database_sync_to_async(start)()


@pytest.fixture
async def connect(c: Cast) -> AsyncIterator[Connect]:
    opened: list[WebsocketCommunicator] = []

    async def open_socket(user: Any, path: str) -> tuple[WebsocketCommunicator, dict[str, Any]]:
        communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), path)
        communicator.scope["user"] = user
        connected, _code = await communicator.connect()
        opened.append(communicator)
        first = await communicator.receive_json_from(timeout=5) if connected else {}
        return communicator, first

    yield open_socket
    for communicator in opened:
        await communicator.disconnect()


def post(c: Cast, who: Any, topic_id: int, text: str) -> Message:
    return posting.do_post(who, c.place(who), topic_id, text)


async def test_a_member_gets_the_topic_then_every_new_message(
    c: Cast, topic: Message, connect: Connect
) -> None:
    path = f"/ws/workspaces/{c.workspace.pk}/?topic={topic.topic_id}"
    ws, snapshot = await connect(c.brazilian, path)
    assert snapshot["type"] == "workspace.snapshot"
    assert [m["html"] for m in snapshot["topic"]["messages"]] == ["<p>First</p>\n"]
    assert snapshot["member"] and not snapshot["moderator"]
    assert snapshot["channels"] == [{"id": c.general.pk, "unread_topics": 1}]
    await database_sync_to_async(post)(c, c.french, topic.topic_id, "Second, @ana")
    # The message (to the workspace's readers) and the mention (to Ana's own tabs) come
    # through two groups: in either order.
    got = {}
    for _ in range(2):
        message = await ws.receive_json_from(timeout=5)
        got[message["type"]] = message
    assert got["workspace.message"]["message"]["author"] == "Jean Dupont"
    assert got["workspace.notice"]["unread"] == 1


async def test_a_read_marker_reaches_the_readers_other_tabs(
    c: Cast, topic: Message, connect: Connect
) -> None:
    path = f"/ws/workspaces/{c.workspace.pk}/"
    one, _ = await connect(c.brazilian, path)
    other, _ = await connect(c.brazilian, path)
    await one.send_json_to(
        {
            "v": 1,
            "type": "workspace.read",
            "id": "r1",
            "topic_id": topic.topic_id,
            "up_to": topic.pk,
        }
    )
    for ws in (one, other):
        message = await ws.receive_json_from(timeout=5)
        while message["type"] != "workspace.read":
            message = await ws.receive_json_from(timeout=5)
        assert message["last_read_id"] == topic.pk
    marker = await database_sync_to_async(ReadMarker.objects.get)(user=c.brazilian)
    assert marker.last_read_id == topic.pk


@pytest.mark.parametrize("who", ["outsider", "anonymous"])
async def test_no_such_workspace_for_those_who_may_not_read_it(
    c: Cast, connect: Connect, who: str
) -> None:
    user = AnonymousUser() if who == "anonymous" else c.outsider
    ws, first = await connect(user, f"/ws/workspaces/{c.workspace.pk}/")
    assert first["type"] == "error" and first["code"] == "not_found"
    assert (await ws.receive_output(timeout=5))["code"] == 4404


@pytest.mark.parametrize(
    "path", ["/ws/workspaces/abc/", "/ws/workspaces/1/?topic=x", "/ws/workspaces/99999/"]
)
async def test_a_bad_address_is_refused_with_4404(c: Cast, connect: Connect, path: str) -> None:
    _ws, first = await connect(c.french, path)
    assert first["code"] == "not_found"


async def test_bad_frames_get_an_error_and_the_socket_goes_on(
    c: Cast, topic: Message, connect: Connect
) -> None:
    ws, _ = await connect(c.brazilian, f"/ws/workspaces/{c.workspace.pk}/")
    read = '{"v": 1, "type": "workspace.read", '
    frames = [
        "not json",
        "[]",
        '{"v": 2}',
        '{"v": 1, "type": "floor.next"}',
        read + '"topic_id": "1", "up_to": 1}',
        read + '"topic_id": 999999, "up_to": 1}',
    ]
    for frame in frames:
        await ws.send_to(text_data=frame)
        reply = await ws.receive_json_from(timeout=5)
        assert reply["type"] == "error", frame
    await ws.send_json_to({"v": 1, "type": "ping", "id": "p"})
    assert (await ws.receive_json_from(timeout=5))["type"] == "pong"
