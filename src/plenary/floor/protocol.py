"""The session socket's command registry, shared by every app.

A command is a JSON object ``{"v": 1, "type": "...", "id": optional, ...}``.
Apps register a pydantic model and a handler for each type, at import time
(from their ``AppConfig.ready()``)::

    @command("media.offer", OfferCommand)
    def handle_offer(ctx: Context, cmd: OfferCommand) -> None: ...

Handlers are synchronous and run in a worker thread (the consumer calls
``dispatch`` through ``database_sync_to_async``), so they may use the ORM.
They raise ``Refusal`` to refuse, publish through services, and may answer
the calling socket directly with ``ctx.reply(event)``.

Apps that keep state per socket register a cleanup for when it closes::

    @on_disconnect
    def release(ctx: Context) -> None: ...
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from plenary.core.errors import Refusal
from plenary.floor.events import PROTOCOL_VERSION, error_event

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 64 * 1024


class Command(BaseModel):
    """Base of every command schema: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    v: Literal[1]
    type: str
    id: str | None = Field(default=None, max_length=64)


@dataclass
class Context:
    """Who sent a command, from which socket; ``replies`` go back to that socket only."""

    user: Any
    session_id: int
    channel_name: str
    connection_id: str
    replies: list[dict[str, Any]] = field(default_factory=list)

    def reply(self, payload: dict[str, Any]) -> None:
        self.replies.append(payload)


C = TypeVar("C", bound=Command)
Handler = Callable[[Context, Any], None]


@dataclass(frozen=True)
class Registration:
    schema: type[Command]
    handler: Handler


_registry: dict[str, Registration] = {}


def command(type_: str, schema: type[C]) -> Callable[[Callable[[Context, C], None]], Any]:
    """Register ``handler`` for commands of ``type_`` validated by ``schema``."""

    def register(handler: Callable[[Context, C], None]) -> Callable[[Context, C], None]:
        existing = _registry.get(type_)
        if existing is not None and existing.handler is not handler:
            raise ValueError(f"command {type_!r} is already registered")
        _registry[type_] = Registration(schema, handler)
        return handler

    return register


_disconnect_hooks: list[Callable[[Context], None]] = []


def on_disconnect(hook: Callable[[Context], None]) -> Callable[[Context], None]:
    """Register ``hook`` to run (in a worker thread) when a session socket closes."""
    if hook not in _disconnect_hooks:
        _disconnect_hooks.append(hook)
    return hook


def disconnected(ctx: Context) -> None:
    """Run every app's cleanup for a closed socket; one failing does not stop the others."""
    for hook in _disconnect_hooks:
        try:
            hook(ctx)
        except Exception:
            logger.exception("cleanup %s failed for %s", hook.__qualname__, ctx.connection_id)


def registered_types() -> frozenset[str]:
    return frozenset(_registry)


def parse(text: str | None, raw_bytes: bytes | None = None) -> dict[str, Any]:
    """Decode one frame into a JSON object; raise ``Refusal`` naming what is wrong."""
    if raw_bytes is not None:
        raise Refusal(_("Binary messages are not accepted."), "malformed")
    data = text or ""
    if len(data.encode()) > MAX_MESSAGE_BYTES:
        raise Refusal(
            _("The message is larger than %(limit)d bytes.") % {"limit": MAX_MESSAGE_BYTES},
            "too_large",
        )
    try:
        message = json.loads(data)
    except ValueError:
        raise Refusal(_("The message is not valid JSON."), "malformed") from None
    if not isinstance(message, dict):
        raise Refusal(_("The message must be a JSON object."), "malformed")
    if message.get("v") != PROTOCOL_VERSION:
        raise Refusal(_("Unsupported protocol version."), "unsupported_version")
    return message


def dispatch(ctx: Context, message: dict[str, Any]) -> list[dict[str, Any]]:
    """Validate and run one command; return the events to send back to its socket.

    Every failure becomes one ``error`` event (translated message, stable
    code); the handler's writes are its own (services roll back on refusal).
    """
    ref = message.get("id") if isinstance(message.get("id"), str) else None
    registration = _registry.get(str(message.get("type")))
    if registration is None:
        return [error_event("unknown_type", _("Unknown message type."), ref)]
    try:
        cmd = registration.schema.model_validate(message)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return [
            error_event(
                "invalid",
                _("The message is not valid (field “%(field)s”).") % {"field": where},
                ref,
            )
        ]
    try:
        registration.handler(ctx, cmd)
    except Refusal as refusal:
        return [error_event(refusal.code, str(refusal.message), ref)]
    return ctx.replies
