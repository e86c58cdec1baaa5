"""The session socket: ``/ws/sessions/<id>/``, one per browser tab.

Thin by design: it authenticates through the services, joins the groups they
name, sends the snapshot, hands every frame to ``protocol`` (in a worker
thread, where the ORM is allowed) and forwards ``live.event`` messages. The
session group, which every socket joins, is delivered by the process's
``fanout`` relay rather than per socket.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from plenary.core.errors import NotFoundRefusal, Refusal
from plenary.core.websocket import SEND_NOW, scope_language
from plenary.live import fanout, limits, protocol, services
from plenary.live.events import error_event, session_group

logger = logging.getLogger(__name__)

# Close codes (docs/realtime.md, "Connecting"); 1012 on shutdown is core.websocket's.
CLOSE_NOT_FOUND = 4404
CLOSE_FLOODING = limits.CLOSE_FLOODING
CLOSE_INTERNAL = 1011
_MAX_ID_DIGITS = 18  # below 2**63: every database's integer key

TOO_MANY_CONNECTIONS = gettext_lazy("Too many connections; try again later.")
TOO_MANY_MESSAGES = gettext_lazy("Too many messages; slow down.")
NO_SUCH_SESSION = gettext_lazy("This session does not exist.")


def session_id_from(raw: Any) -> int | None:
    """The session id of the socket's path, or ``None`` if it cannot be one."""
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or len(text) > _MAX_ID_DIGITS:
        return None
    return int(text)


class SessionConsumer(AsyncWebsocketConsumer):
    connection_id: str
    session_id: int
    language: str
    groups_joined: list[str]
    participant: bool
    outbox: fanout.Outbox | None
    gate: limits.Gate
    # Defaults for ``disconnect`` however early ``connect`` stopped.
    slot: str | None = None
    closing = False

    async def connect(self) -> None:
        self.connection_id = uuid.uuid4().hex
        self.session_id = 0
        self.language = scope_language(self.scope)
        self.groups_joined = []
        self.participant = False
        self.outbox = None
        self.closing = False
        self.gate = limits.Gate(self.scope)
        self.slot = limits.open_socket(self.scope, self)
        if self.slot is None:
            await self.refuse(
                CLOSE_FLOODING,
                error_event("rate_limited", self.say(TOO_MANY_CONNECTIONS)),
            )
            return
        session_id = session_id_from(self.scope["url_route"]["kwargs"].get("session_id"))
        if session_id is None:
            await self.refuse(CLOSE_NOT_FOUND, self._not_found())
            return
        self.session_id = session_id
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        headers = dict(self.scope.get("headers", []))
        try:
            connection = await database_sync_to_async(self._connect)(
                (query.get("device") or [None])[0],
                headers.get(b"user-agent", b"").decode(errors="replace"),
            )
        except NotFoundRefusal:
            await self.refuse(CLOSE_NOT_FOUND, self._not_found())
            return
        except Exception:
            logger.exception("session socket %s could not connect", self.connection_id)
            await self.refuse(CLOSE_INTERNAL, protocol.internal_error(None))
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

    def _connect(self, device: str | None, user_agent: str) -> services.Connection:
        with translation.override(self.language):
            return services.do_connect(
                self.scope["user"], self.session_id, self.connection_id, device, user_agent
            )

    def say(self, text: Promise) -> str:
        """``text`` in the socket's language."""
        with translation.override(self.language):
            return str(text)

    def _not_found(self) -> dict[str, Any]:
        return error_event("not_found", self.say(NO_SUCH_SESSION))

    async def refuse(self, code: int, reason: dict[str, Any]) -> None:
        """Accept, say why in an ``error`` event, and close with ``code`` (not an HTTP 403)."""
        self.closing = True
        await self.accept()
        await self.send_json(reason)
        await self.close(code=code)

    async def disconnect(self, code: int) -> None:
        limits.close_socket(self.slot, self)
        self.slot = None
        for group in getattr(self, "groups_joined", []):
            if group == session_group(self.session_id):
                await fanout.leave(group, self.channel_name)
            else:
                await self.channel_layer.group_discard(group, self.channel_name)
        if getattr(self, "groups_joined", None):
            await database_sync_to_async(protocol.disconnected)(self._context())
        if getattr(self, "participant", False):
            await database_sync_to_async(services.do_disconnect)(self.connection_id)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.closing:
            return
        verdict = self.gate.admit()  # before anything else: a flood costs nothing more
        if verdict is limits.Verdict.CLOSE:
            self.closing = True
            await self.close(code=CLOSE_FLOODING)
            return
        if verdict is limits.Verdict.REFUSE:
            await self.send_json(error_event("rate_limited", self.say(TOO_MANY_MESSAGES)))
            return
        try:
            with translation.override(self.language):
                message = protocol.parse(text_data, bytes_data)
        except Refusal as refusal:
            await self.send_json(error_event(refusal.code, str(refusal.message)))
            return
        try:
            replies = await database_sync_to_async(protocol.dispatch)(self._context(), message)
        except Exception:  # protocol.dispatch answers every failure; this is the last guard
            logger.exception("session socket %s failed on a message", self.connection_id)
            with translation.override(self.language):
                replies = [protocol.internal_error(protocol.reference(message))]
        for reply in replies:
            await self.send_json(reply)

    def _context(self) -> protocol.Context:
        return protocol.Context(
            user=self.scope["user"],
            session_id=self.session_id,
            channel_name=self.channel_name,
            connection_id=self.connection_id,
            language=self.language,
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
        # group receives the same message object (plenary.live.layers):
        # encode the event once for all.
        text = message.get("text")
        if text is None:
            text = message["text"] = json.dumps(message["event"], separators=(",", ":"))
        await self.send(text_data=text)

    async def send_json(self, payload: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(payload, separators=(",", ":")))
