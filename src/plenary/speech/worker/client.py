"""The worker's side of ``/ws/speech/worker/``: hello, heartbeats, assignments, captions."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any
from urllib.parse import urlsplit

import websockets
from pydantic import ValidationError

from plenary.speech.batching import Schedulers
from plenary.speech.protocol import Assign, Release, Welcome, control_message
from plenary.speech.worker.runner import StreamRunner

logger = logging.getLogger(__name__)

HEARTBEAT_S = 5.0


def _origin(url: str) -> str:
    parts = urlsplit(url)
    scheme = "https" if parts.scheme == "wss" else "http"
    return f"{scheme}://{parts.netloc}"


class WorkerClient:
    def __init__(
        self,
        url: str,
        token: str,
        *,
        name: str = "worker",
        device: str = "cpu",
        capacity: int = 1,
        max_batch: int = 1,
        bind_host: str = "127.0.0.1",
    ) -> None:
        self.url = url
        self._hello = {
            "type": "hello",
            "token": token,
            "name": name,
            "device": device,
            "capacity": capacity,
        }
        self._bind_host = bind_host
        # Every stream's passes share one scheduler per model (batched calls).
        self.recognizers = Schedulers(max_batch=max_batch)
        self.runners: dict[int, StreamRunner] = {}
        self.worker_id: int | None = None

    async def run_once(self) -> None:
        """One connection, until it closes; every stream stops with it."""
        loop = asyncio.get_running_loop()
        outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        def emit(message: dict[str, Any]) -> None:  # called from runner threads
            loop.call_soon_threadsafe(outbox.put_nowait, message)

        async with websockets.connect(self.url, origin=_origin(self.url)) as socket:  # type: ignore[arg-type]
            await socket.send(json.dumps(self._hello))
            tasks = [
                asyncio.create_task(self._send(socket, outbox)),
                asyncio.create_task(self._beat(outbox)),
            ]
            try:
                async for raw in socket:
                    self._handle(json.loads(raw), emit)
            finally:
                for task in tasks:
                    task.cancel()
                self.stop_all()

    async def run_forever(self, retry_s: float = 2.0) -> None:
        while True:
            try:
                await self.run_once()
            except (OSError, websockets.WebSocketException) as exc:
                logger.warning("control plane connection lost: %s", exc)
            await asyncio.sleep(retry_s)

    def _handle(self, raw: Any, emit: Any) -> None:
        try:
            message = control_message.validate_python(raw)
        except ValidationError:
            logger.warning("ignored control message: %s", str(raw)[:200])
            return
        match message:
            case Welcome():
                self.worker_id = message.worker
            case Assign() if message.stream in self.runners:
                self.runners[message.stream].update(message)
            case Assign():
                runner = StreamRunner(message, emit, self.recognizers, bind_host=self._bind_host)
                self.runners[message.stream] = runner
                runner.start()
            case Release():
                if message.stream in self.runners:
                    self.runners.pop(message.stream).stop()

    async def _send(self, socket: Any, outbox: asyncio.Queue[dict[str, Any]]) -> None:
        while True:
            await socket.send(json.dumps(await outbox.get()))

    async def _beat(self, outbox: asyncio.Queue[dict[str, Any]]) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            lags = {
                stream: runner.lag for stream, runner in self.runners.items() if runner.is_alive()
            }
            outbox.put_nowait({"type": "heartbeat", "lags": lags})

    def stop_all(self) -> None:
        for runner in self.runners.values():
            runner.stop()
        self.runners.clear()
