"""The public webcast socket: thin, watching commands only (see ``webcast``).

It shares the session socket's guards (``plenary.live.limits``: every viewer
is anonymous, so by address), its parsing (``plenary.live.protocol``) and
its close codes: 4404 for no such webcast (accepted, then closed, so that the
page stops retrying), 4429 for a flood.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from plenary.core.errors import Refusal
from plenary.core.websocket import scope_language
from plenary.live import groups, limits, protocol
from plenary.live.consumers import (
    CLOSE_FLOODING,
    CLOSE_INTERNAL,
    CLOSE_NOT_FOUND,
    TOO_MANY_CONNECTIONS,
    TOO_MANY_MESSAGES,
    session_id_from,
)
from plenary.live.events import error_event, session_group
from plenary.live.services import resync
from plenary.media import commands, webcast
from plenary.meetings.models import Session

logger = logging.getLogger(__name__)


class WebcastConsumer(AsyncWebsocketConsumer):
    session: Session
    connection_id: str
    viewer: str
    language: str
    gate: limits.Gate
    slot: str | None = None
    closing = False

    async def connect(self) -> None:
        kwargs = self.scope["url_route"]["kwargs"]
        self.connection_id = uuid.uuid4().hex
        self.language = scope_language(self.scope)
        self.gate = limits.Gate(self.scope)
        self.viewer = webcast.viewer_key(self.scope.get("query_string", b""), self.connection_id)
        self.slot = limits.open_socket(self.scope, self)
        if self.slot is None:
            await self._refuse(
                CLOSE_FLOODING, error_event("rate_limited", self._say(TOO_MANY_CONNECTIONS))
            )
            return
        check = database_sync_to_async(self._check)
        try:
            self.session = await check(
                str(kwargs.get("token")), session_id_from(kwargs.get("session_id"))
            )
        except Refusal as refusal:
            await self._refuse(CLOSE_NOT_FOUND, error_event("not_found", str(refusal.message)))
            return
        except Exception:
            logger.exception("webcast socket %s could not connect", self.connection_id)
            await self._refuse(CLOSE_INTERNAL, protocol.internal_error(None))
            return
        # Session events carry the floor and media.reset (Janus restarted: reconnect).
        await self.channel_layer.group_add(session_group(self.session.pk), self.channel_name)
        await self.accept()
        try:
            await self._send(await database_sync_to_async(self._snapshot)())
        except Exception:  # the page asks again (resync); the audio does not need it
            logger.exception("webcast socket %s: no snapshot", self.connection_id)

    def _check(self, token: str, session_id: int | None) -> Session:
        with translation.override(self.language):
            return webcast.check_webcast(token, session_id)

    def _snapshot(self) -> dict[str, Any]:
        """The session as anyone may see it (the floor's state; no presence)."""
        with translation.override(self.language):
            return resync(AnonymousUser(), self.session.pk)

    def _say(self, text: Any) -> str:
        with translation.override(self.language):
            return str(text)

    async def _refuse(self, code: int, reason: dict[str, Any]) -> None:
        self.closing = True
        await self.accept()
        await self._send(reason)
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        limits.close_socket(self.slot, self)
        self.slot = None
        if hasattr(self, "session"):
            await self.channel_layer.group_discard(
                session_group(self.session.pk), self.channel_name
            )
            await database_sync_to_async(commands.release)(self.connection_id)
            await database_sync_to_async(groups.leave_all)(self.channel_name)  # captions

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.closing:
            return
        verdict = self.gate.admit()
        if verdict is limits.Verdict.CLOSE:
            self.closing = True
            await self.close(code=CLOSE_FLOODING)
            return
        if verdict is limits.Verdict.REFUSE:
            await self._send(error_event("rate_limited", self._say(TOO_MANY_MESSAGES)))
            return
        try:
            with translation.override(self.language):
                message = protocol.parse(text_data, bytes_data)
        except Refusal as refusal:
            await self._send(error_event(refusal.code, str(refusal.message)))
            return
        ctx = protocol.Context(
            user=AnonymousUser(),
            session_id=self.session.pk,
            channel_name=self.channel_name,
            connection_id=self.connection_id,
            language=self.language,
            viewer=self.viewer,
        )
        try:
            replies = await database_sync_to_async(webcast.webcast_commands.dispatch)(ctx, message)
        except Exception:  # dispatch answers every failure; this is the last guard
            logger.exception("webcast socket %s failed on a message", self.connection_id)
            with translation.override(self.language):
                replies = [protocol.internal_error(protocol.reference(message))]
        for reply in replies:
            await self._send(reply)

    async def live_event(self, message: dict[str, Any]) -> None:
        if webcast.is_public(str(message["event"].get("type", ""))):
            await self._send(message["event"])

    async def _send(self, payload: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(payload, separators=(",", ":")))
