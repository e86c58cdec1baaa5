"""The public webcast socket: thin, listening commands only (see ``webcast``)."""

from __future__ import annotations

import json
import uuid
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from plenary.core.errors import Refusal
from plenary.floor.events import error_event, session_group
from plenary.floor.protocol import parse
from plenary.media import commands, webcast
from plenary.meetings.models import Session

CLOSE_NOT_FOUND = 4404


class WebcastConsumer(AsyncWebsocketConsumer):
    session: Session
    connection_id: str
    viewer: str

    async def connect(self) -> None:
        kwargs = self.scope["url_route"]["kwargs"]
        self.connection_id = uuid.uuid4().hex
        self.viewer = webcast.viewer_key(self.scope.get("query_string", b""), self.connection_id)
        try:
            self.session = await database_sync_to_async(webcast.check_webcast)(
                kwargs["token"], int(kwargs["session_id"])
            )
        except Refusal:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        # Session events carry media.reset (Janus restarted: reconnect).
        await self.channel_layer.group_add(session_group(self.session.pk), self.channel_name)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "session"):
            await self.channel_layer.group_discard(
                session_group(self.session.pk), self.channel_name
            )
            await database_sync_to_async(commands.release)(self.connection_id)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            message = parse(text_data, bytes_data)
        except Refusal as refusal:
            await self._send(error_event(refusal.code, str(refusal.message)))
            return
        handle = database_sync_to_async(webcast.handle)
        for reply in await handle(self.session, self.connection_id, self.viewer, message):
            await self._send(reply)

    async def live_event(self, message: dict[str, Any]) -> None:
        if str(message["event"].get("type", "")).startswith("media."):
            await self._send(message["event"])

    async def _send(self, payload: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(payload, separators=(",", ":")))
