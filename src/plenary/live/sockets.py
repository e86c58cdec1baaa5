"""What every socket of the kernel's protocol shares: guards, parsing, replies.

The session socket, the public webcast's and the workspace socket differ in
what they join and which commands they accept; the rest is here, once: the
flood guards (``limits``) before any work, strict parsing (``protocol.parse``),
a command run in a worker thread (``handle``, where the ORM is allowed) whose
every failure becomes one ``error`` event, the refusal of a connection
(accepted, told why, closed with a code the page understands), and the
forwarding of ``live.event`` messages, encoded once for every socket that
receives the same message object.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from plenary.core import metrics
from plenary.core.errors import Refusal
from plenary.core.websocket import scope_language
from plenary.live import limits, protocol
from plenary.live.events import error_event

logger = logging.getLogger(__name__)

# Close codes (docs/realtime.md, "Connecting"); 1012 on shutdown is core.websocket's.
CLOSE_NOT_FOUND = 4404
CLOSE_FLOODING = limits.CLOSE_FLOODING
CLOSE_INTERNAL = 1011
_MAX_ID_DIGITS = 18  # below 2**63: every database's integer key

TOO_MANY_CONNECTIONS = gettext_lazy("Too many connections; try again later.")
TOO_MANY_MESSAGES = gettext_lazy("Too many messages; slow down.")


def id_from(raw: Any) -> int | None:
    """The integer id of a socket's path segment, or ``None`` if it cannot be one."""
    text = str(raw)
    if not (text.isascii() and text.isdigit()) or len(text) > _MAX_ID_DIGITS:
        return None
    return int(text)


class ProtocolSocket(AsyncWebsocketConsumer):
    """Base of the protocol's sockets; subclasses ``connect`` and implement ``handle``."""

    kind = "socket"  # for the logs
    connection_id: str
    language: str
    gate: limits.Gate
    # Defaults for ``disconnect`` however early ``connect`` stopped.
    slot: str | None = None
    closing = False

    async def open_guarded(self) -> bool:
        """Set the socket up and count it; ``False`` (refused, closed) for a flood."""
        self.connection_id = uuid.uuid4().hex
        self.language = scope_language(self.scope)
        self.closing = False
        self.gate = limits.Gate(self.scope)
        self.slot = limits.open_socket(self.scope, self)
        if self.slot is None:
            await self.refuse(
                CLOSE_FLOODING, error_event("rate_limited", self.say(TOO_MANY_CONNECTIONS))
            )
            return False
        metrics.SOCKETS.labels(self.kind).inc()
        return True

    def release_guard(self) -> None:
        if self.slot is not None:
            metrics.SOCKETS.labels(self.kind).dec()
        limits.close_socket(self.slot, self)
        self.slot = None

    def say(self, text: Promise | str) -> str:
        """``text`` in the socket's language."""
        with translation.override(self.language):
            return str(text)

    async def refuse(self, code: int, reason: dict[str, Any]) -> None:
        """Accept, say why in an ``error`` event, and close with ``code`` (not an HTTP 403)."""
        self.closing = True
        await self.accept()
        await self.send_json(reason)
        await self.close(code=code)

    async def refuse_internal(self) -> None:
        logger.exception("%s %s could not connect", self.kind, self.connection_id)
        with translation.override(self.language):
            await self.refuse(CLOSE_INTERNAL, protocol.internal_error(None))

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
            replies = await database_sync_to_async(self.handle)(message)
        except Exception:  # the registries answer every failure; this is the last guard
            logger.exception("%s %s failed on a message", self.kind, self.connection_id)
            with translation.override(self.language):
                replies = [protocol.internal_error(protocol.reference(message))]
        for reply in replies:
            await self.send_json(reply)

    def handle(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        """Run one parsed command (in a worker thread); the events to send back."""
        raise NotImplementedError

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
        # On the embedded layer every member of a group receives the same
        # message object (plenary.live.layers): encode the event once for all.
        if self.forwards(message["event"]):
            text = message.get("text")
            if text is None:
                text = message["text"] = json.dumps(message["event"], separators=(",", ":"))
            await self.send(text_data=text)

    def forwards(self, event: dict[str, Any]) -> bool:
        """Whether this socket passes ``event`` on to its client (all, by default)."""
        return True

    async def send_json(self, payload: dict[str, Any]) -> None:
        await self.send(text_data=json.dumps(payload, separators=(",", ":")))
