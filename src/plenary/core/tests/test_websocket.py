"""The WebSocket transport, served by a real uvicorn to real ``websockets`` clients."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from websockets.asyncio.client import connect

from plenary.core.websocket import PROTOCOL, SEND_NOW

# No database; the mark runs these async tests before the browser tests (see
# plenary/floor/tests/test_fanout.py).
pytestmark = pytest.mark.django_db

BODY = "Délégué " * 300  # compressible: a wrong deflate stream would not decode


async def echo(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Accepts, then answers each text twice through ``send_now`` and once through ``send``."""
    assert scope["type"] == "websocket"
    send_now = scope["extensions"][SEND_NOW]
    assert not send_now(b"too early")  # before the handshake nothing is written
    while True:
        message = await receive()
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.accept"})
        elif message["type"] == "websocket.receive":
            text = message["text"]
            assert send_now(f"now {text}".encode())
            assert send_now(f"now {text}".encode())  # the same frame, reused
            await send({"type": "websocket.send", "text": f"later {text}"})
        else:
            return


@pytest.fixture
async def server_url() -> AsyncIterator[str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(echo, port=port, lifespan="off", log_level="warning", ws=PROTOCOL)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    yield f"ws://127.0.0.1:{port}/"
    server.should_exit = True
    await task


async def test_messages_are_compressed_each_on_its_own_and_arrive_intact(
    server_url: str,
) -> None:
    async with connect(server_url) as ws:
        assert ws.response is not None
        assert "server_no_context_takeover" in ws.response.headers["Sec-WebSocket-Extensions"]
        for _ in range(2):
            await ws.send(BODY)
            received = [await ws.recv() for _ in range(3)]
            assert received == [f"now {BODY}", f"now {BODY}", f"later {BODY}"]


async def test_sockets_with_and_without_compression_share_nothing_wrong(
    server_url: str,
) -> None:
    async with connect(server_url) as deflating, connect(server_url, compression=None) as plain:
        assert plain.response is not None
        assert "Sec-WebSocket-Extensions" not in plain.response.headers
        for ws in (deflating, plain, deflating):
            await ws.send(BODY)
            assert [await ws.recv() for _ in range(2)] == [f"now {BODY}"] * 2
            assert await ws.recv() == f"later {BODY}"
