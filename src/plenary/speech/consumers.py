"""The speech workers' socket, ``/ws/speech/worker/``: thin, every decision in services.

A worker killed outright closes its TCP connection without a close frame; the
server notices at once and ``disconnect`` reports it lost. A worker that goes
silent with its connection still open (a frozen process, a host gone with no
reset) is noticed by the socket's watchdog after ``services.WORKER_TIMEOUT``
without a message (heartbeats come every 5 s): reported lost, socket closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from pydantic import ValidationError

from plenary.core.errors import Refusal
from plenary.speech import events, protocol, services

CLOSE_UNAUTHORISED = 4403


def _time(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


class WorkerConsumer(AsyncJsonWebsocketConsumer):
    worker_id: int | None = None
    _watchdog: asyncio.Task[None] | None = None
    _last_heard = 0.0

    async def connect(self) -> None:
        await self.accept()

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        self._last_heard = time.monotonic()
        try:
            message = protocol.worker_message.validate_python(content)
        except ValidationError as exc:
            await self.send_json({"type": "error", "message": str(exc)[:500]})
            return
        if self.worker_id is None:
            await self._hello(message)
            return
        try:
            await database_sync_to_async(self._handle)(message)
        except Refusal as refusal:
            await self.send_json({"type": "error", "message": str(refusal.message)})

    async def _hello(self, message: protocol.WorkerMessage) -> None:
        if not isinstance(message, protocol.Hello):
            await self.close(code=CLOSE_UNAUTHORISED)
            return
        try:
            services.check_worker_token(message.token)
        except Refusal:
            await self.close(code=CLOSE_UNAUTHORISED)
            return
        worker = await database_sync_to_async(services.do_register_worker)(
            message.name, message.device, message.capacity, self.channel_name
        )
        self.worker_id = worker.pk
        # Join before sending welcome; assignments published at registration
        # are sent after commit, and the in-memory layer keeps none for us.
        await self.channel_layer.group_add(events.worker_group(worker.pk), self.channel_name)
        await self.send_json({"type": "welcome", "worker": worker.pk})
        await database_sync_to_async(services.do_heartbeat)(worker.pk, {})
        self._watchdog = asyncio.create_task(self._watch(worker.pk))

    async def _watch(self, worker_id: int) -> None:
        timeout = services.WORKER_TIMEOUT.total_seconds()
        while True:
            await asyncio.sleep(timeout / 5)
            if time.monotonic() - self._last_heard > timeout:
                await database_sync_to_async(services.do_worker_lost)(worker_id)
                await self.close()
                return

    def _handle(self, message: protocol.WorkerMessage) -> None:
        assert self.worker_id is not None  # noqa: S101 - set by _hello
        match message:
            case protocol.Heartbeat():
                services.do_heartbeat(self.worker_id, message.lags)
            case protocol.Ready():
                services.do_stream_ready(
                    self.worker_id, message.stream, message.rtp_port, str(message.rtp_host)
                )
            case protocol.Failed():
                services.do_stream_failed(self.worker_id, message.stream, message.reason)
            case protocol.Partial():
                services.do_partial(self.worker_id, message.stream, message.text)
            case protocol.Final():
                services.do_final(
                    self.worker_id,
                    message.stream,
                    message.text,
                    _time(message.start),
                    _time(message.end),
                    translations=message.translations,
                )
            case protocol.Gap():
                services.do_lost_audio(
                    self.worker_id, message.stream, _time(message.start), _time(message.end)
                )

    async def disconnect(self, code: int) -> None:
        if self._watchdog is not None and self._watchdog is not asyncio.current_task():
            self._watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watchdog
        if self.worker_id is not None:
            await self.channel_layer.group_discard(
                events.worker_group(self.worker_id), self.channel_name
            )
            await database_sync_to_async(services.do_worker_lost)(self.worker_id)

    async def speech_command(self, message: dict[str, Any]) -> None:
        await self.send_json(message["event"])
