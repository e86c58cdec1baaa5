"""The session socket: ``/ws/sessions/<id>/``, one per browser tab.

Thin by design: it authenticates through the services, joins the groups they
name, sends the snapshot, hands every frame to ``protocol`` (in a worker
thread, where the ORM is allowed) and forwards ``live.event`` messages. The
session group, which every socket joins, is delivered by the process's
``fanout`` relay rather than per socket.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils.translation import gettext as _

from plenary.core.errors import NotFoundRefusal, Refusal
from plenary.core.websocket import SEND_NOW
from plenary.floor import fanout, protocol, services
from plenary.floor.events import error_event, session_group

# Per-socket flood guard: at most BURST frames at once, refilled at RATE per second.
BURST = 20
RATE = 5.0
CLOSE_NOT_FOUND = 4404


class SessionConsumer(AsyncWebsocketConsumer):
    connection_id: str
    session_id: int
    groups_joined: list[str]
    participant: bool
    outbox: fanout.Outbox | None

    async def connect(self) -> None:
        self.connection_id = uuid.uuid4().hex
        self.session_id = int(self.scope["url_route"]["kwargs"]["session_id"])
        self.groups_joined = []
        self.participant = False
        self.outbox = None
        self._tokens = float(BURST)
        self._last = time.monotonic()
        query = parse_qs(self.scope.get("query_string", b"").decode())
        headers = dict(self.scope.get("headers", []))
        try:
            connection = await database_sync_to_async(services.do_connect)(
                self.scope["user"],
                self.session_id,
                self.connection_id,
                (query.get("device") or [None])[0],
                headers.get(b"user-agent", b"").decode(errors="replace"),
            )
        except NotFoundRefusal:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        self.participant = connection.participant
        for group in connection.groups:
            if group == session_group(self.session_id):
                self.outbox = await fanout.join(
                    self.channel_layer,
                    group,
                    self.channel_name,
                    self.base_send,
                    self.scope.get("extensions", {}).get(SEND_NOW),
                )
            else:
                await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined = connection.groups
        await self.accept()
        await self.send_json(connection.snapshot)
        if self.outbox is not None:
            self.outbox.open()  # events since joining follow the snapshot

    async def disconnect(self, code: int) -> None:
        for group in self.groups_joined:
            if group == session_group(self.session_id):
                await fanout.leave(group, self.channel_name)
            else:
                await self.channel_layer.group_discard(group, self.channel_name)
        await database_sync_to_async(protocol.disconnected)(self._context())
        if self.participant:
            await database_sync_to_async(services.do_disconnect)(self.connection_id)

    def _allow_frame(self) -> bool:
        now = time.monotonic()
        self._tokens = min(BURST, self._tokens + (now - self._last) * RATE)
        self._last = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if not self._allow_frame():
            await self.send_json(error_event("rate_limited", _("Too many messages; slow down.")))
            return
        try:
            message = protocol.parse(text_data, bytes_data)
        except Refusal as refusal:
            await self.send_json(error_event(refusal.code, str(refusal.message)))
            return
        for reply in await database_sync_to_async(protocol.dispatch)(self._context(), message):
            await self.send_json(reply)

    def _context(self) -> protocol.Context:
        return protocol.Context(
            user=self.scope["user"],
            session_id=self.session_id,
            channel_name=self.channel_name,
            connection_id=self.connection_id,
        )

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels closes stale database connections before every message,
        # through the one thread that runs all sync code: for an event fanned
        # out to N sockets that is N hops in a row (most of the time to reach
        # 500 tabs). Forwarding an event touches no database, so skip it.
        if message["type"] == "live.event":
            await self.live_event(message)
        else:
            await super().dispatch(message)

    async def live_event(self, message: dict[str, Any]) -> None:
        # Per-user and staff events. On the embedded layer every member of the
        # group receives the same message object (plenary.floor.layers):
        # encode the event once for all.
        text = message.get("text")
        if text is None:
            text = message["text"] = json.dumps(message["event"], separators=(",", ":"))
        await self.send(text_data=text)

    async def send_json(self, payload: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(payload, separators=(",", ":")))
