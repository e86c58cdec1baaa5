"""The WebSocket transport, served by a real uvicorn to a real ``websockets`` client."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
import uvicorn
from websockets.asyncio.client import connect
from websockets.extensions.permessage_deflate import PerMessageDeflate
from websockets.frames import Frame, Opcode

from plenary.core.websocket import PROTOCOL, SEND_NOW, SharedDeflate

# No database; the mark runs these async tests before the browser tests (see
# plenary/floor/tests/test_fanout.py).
pytestmark = pytest.mark.django_db


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
            assert send_now(f"now {text}".encode())
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


async def test_messages_are_compressed_without_context_takeover_and_arrive_intact(
    server_url: str,
) -> None:
    body = "x" * 2000  # compressible: a wrong deflate stream would not decode
    async with connect(server_url) as ws:
        assert ws.response is not None
        assert "server_no_context_takeover" in ws.response.headers["Sec-WebSocket-Extensions"]
        for _ in range(2):
            await ws.send(body)
            received = [await ws.recv() for _ in range(3)]
            assert received == [f"now {body}", f"now {body}", f"later {body}"]


def test_identical_messages_are_compressed_once() -> None:
    def deflate() -> SharedDeflate:
        return SharedDeflate(False, True, 12, 12, {"memLevel": 5})

    data = ('{"type":"floor.given","speaker":"Délégué"}' * 20).encode()
    first = deflate().encode(Frame(Opcode.TEXT, data))
    second = deflate().encode(Frame(Opcode.TEXT, data))
    assert first.rsv1 and len(first.data) < len(data)
    assert first.data is second.data  # reused, not recompressed
    client = PerMessageDeflate(True, False, 12, 12)
    assert client.decode(first).data == data
    assert client.decode(second).data == data
