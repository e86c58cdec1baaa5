"""The session socket's command registry, shared by every app.

A command is a JSON object ``{"v": 1, "type": "...", "id": optional, ...}``.
Apps register a pydantic model and a handler for each type, at import time
(from their ``AppConfig.ready()``)::

    @command("media.offer", OfferCommand)
    def handle_offer(ctx: Context, cmd: OfferCommand) -> None: ...

Handlers are synchronous and run in a worker thread (the consumer calls
``dispatch`` through ``database_sync_to_async``), so they may use the ORM.
They raise ``Refusal`` to refuse, publish through services, and may answer
the calling socket directly with ``ctx.reply(event)``. What they need of the
socket they ask of the kernel through the context: ``ctx.session`` and
``ctx.standing`` (looked up once per command), ``ctx.join(slot, group)`` to
put the socket in a group (one group per slot: joining another leaves the
previous one; the kernel leaves them all when the socket closes) and
``ctx.record_channel(channel, language)`` for an attendance fact.

Apps that keep state per socket register a cleanup for when it closes::

    @on_disconnect
    def release(ctx: Context) -> None: ...

Parsing is strict (docs/realtime.md, "Messages"): a frame is at most
``MAX_MESSAGE_BYTES``, nested at most ``MAX_DEPTH`` deep (checked before the
JSON parser, which recurses), an object without repeated keys, ``"v"`` the
integer 1; fields are validated in pydantic's strict JSON mode (``"7"`` is no
integer, ``true`` no 1). Whatever a handler raises becomes one ``error``
event: nothing a client sends raises out of the socket.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from itertools import accumulate
from typing import Any, Literal, Protocol, TypeVar

from django.utils import translation
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from plenary.core.errors import Refusal
from plenary.live import groups
from plenary.live.attendance import record_attendance
from plenary.live.events import PROTOCOL_VERSION, error_event
from plenary.live.models import AttendanceRecord
from plenary.live.services import get_session
from plenary.live.standing import Standing, standing_for
from plenary.meetings.models import Session

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 64 * 1024
# Commands nest two levels at most; the JSON parser recurses once per level.
MAX_DEPTH = 16
MAX_ID_CHARS = 64


class Command(BaseModel):
    """Base of every command schema: unknown fields are refused, types are strict."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    v: Literal[1]
    type: str
    id: str | None = Field(default=None, max_length=MAX_ID_CHARS)

    @field_validator("v", mode="before")
    @classmethod
    def _the_integer_one(cls, value: Any) -> Any:
        # Literal[1] alone accepts true and 1.0 (equal to 1), even in strict mode.
        if type(value) is not int:
            raise ValueError("v must be the integer 1")
        return value


@dataclass
class Context:
    """Who sent a command, from which socket; ``replies`` go back to that socket only."""

    user: Any
    session_id: int
    channel_name: str
    connection_id: str
    replies: list[dict[str, Any]] = field(default_factory=list)
    # The socket's language (core.websocket.scope_language); "" keeps the active one.
    language: str = ""
    # An anonymous socket's viewer key (the public webcast counts viewers by it).
    viewer: str = ""

    def reply(self, payload: dict[str, Any]) -> None:
        self.replies.append(payload)

    @cached_property
    def session(self) -> Session:
        """The socket's session (``NotFoundRefusal`` if it was deleted meanwhile)."""
        return get_session(self.session_id)

    @cached_property
    def standing(self) -> Standing:
        """The sender's standing in the session, as of this command."""
        return standing_for(self.user, self.session)

    def join(self, slot: str, group: str) -> None:
        """Put the socket in ``group``, leaving the group it held in ``slot`` if another."""
        groups.join(self.channel_name, slot, group)

    def leave(self, slot: str) -> None:
        """Take the socket out of the group it holds in ``slot``, if any."""
        groups.leave(self.channel_name, slot)

    def record_channel(self, channel: str, language: str = "") -> None:
        """An attendance fact: this socket now follows ``channel`` ("" when it stopped).

        Only participants' sockets make facts; an anonymous viewer makes none.
        """
        if self.standing.user_id is None or not self.standing.is_participant:
            return
        record_attendance(
            user=self.user,
            session=self.session,
            kind=AttendanceRecord.Kind.CHANNEL,
            attendance=self.standing.attendance,
            channel=channel,
            language=language,
            connection=self.connection_id,
        )


class Sender(Protocol):
    """What a registry needs of any socket's context (``Context``, or another app's)."""

    connection_id: str
    language: str
    replies: list[dict[str, Any]]


C = TypeVar("C", bound=Command)
Handler = Callable[[Any, Any], None]


@dataclass(frozen=True)
class Registration:
    schema: type[Command]
    handler: Handler


registries: list[Registry] = []


class Registry:
    """Commands a kind of socket accepts: the session socket's (``session_commands``),
    those of sockets that accept a subset with handlers of their own (the webcast),
    and those of other sockets on the same protocol (the workspaces')."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._commands: dict[str, Registration] = {}
        registries.append(self)

    def command(self, type_: str, schema: type[C]) -> Callable[[Callable[[Any, C], None]], Any]:
        """Register ``handler`` for commands of ``type_`` validated by ``schema``."""

        def register(handler: Callable[[Any, C], None]) -> Callable[[Any, C], None]:
            existing = self._commands.get(type_)
            if existing is not None and existing.handler is not handler:
                raise ValueError(f"{self.name} command {type_!r} is already registered")
            self._commands[type_] = Registration(schema, handler)
            return handler

        return register

    def types(self) -> frozenset[str]:
        return frozenset(self._commands)

    def schemas(self) -> dict[str, type[Command]]:
        """Every command type of this registry and its schema."""
        return {type_: reg.schema for type_, reg in self._commands.items()}

    def schema_of(self, type_: str) -> type[Command] | None:
        """The schema registered for commands of ``type_``, if any."""
        registration = self._commands.get(type_)
        return registration.schema if registration is not None else None

    def dispatch(self, ctx: Sender, message: dict[str, Any]) -> list[dict[str, Any]]:
        """Validate and run one command; return the events to send back to its socket.

        Every failure becomes one ``error`` event (a message in the socket's
        language, a stable code), whatever the handler raises; the handler's
        writes are its own (services roll back on refusal).
        """
        if not ctx.language:
            return self._dispatch(ctx, message)
        with translation.override(ctx.language):
            return self._dispatch(ctx, message)

    def _dispatch(self, ctx: Sender, message: dict[str, Any]) -> list[dict[str, Any]]:
        ref = reference(message)
        type_ = message.get("type")
        registration = self._commands.get(type_) if isinstance(type_, str) else None
        if registration is None:
            return [error_event("unknown_type", _("Unknown message type."), ref)]
        try:
            cmd = validate(registration.schema, message)
            registration.handler(ctx, cmd)
        except Refusal as refusal:
            return [error_event(refusal.code, str(refusal.message), ref)]
        except Exception:
            logger.exception("command %s failed on %s", type_, ctx.connection_id)
            return [internal_error(ref)]
        return ctx.replies


session_commands = Registry("session")
command = session_commands.command


_disconnect_hooks: list[Callable[[Context], None]] = []


def on_disconnect(hook: Callable[[Context], None]) -> Callable[[Context], None]:
    """Register ``hook`` to run (in a worker thread) when a session socket closes."""
    if hook not in _disconnect_hooks:
        _disconnect_hooks.append(hook)
    return hook


def disconnected(ctx: Context) -> None:
    """Run every app's cleanup for a closed socket, then leave the groups it joined
    through ``ctx.join``; one failing does not stop the others."""
    for hook in [*_disconnect_hooks, _leave_slots]:
        try:
            hook(ctx)
        except Exception:
            logger.exception("cleanup %s failed for %s", hook.__qualname__, ctx.connection_id)


def _leave_slots(ctx: Context) -> None:
    groups.leave_all(ctx.channel_name)


class _RepeatedKey(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise _RepeatedKey(key)
            seen.add(key)
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(name)  # NaN, Infinity: not JSON


_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def too_deep(text: str, limit: int = MAX_DEPTH) -> bool:
    """Whether the JSON ``text`` nests arrays and objects more than ``limit`` deep.

    Linear and without recursion: brackets inside strings do not count. Only
    well-formed JSON is judged exactly; anything else is refused either way.
    """
    if text.count("[") + text.count("{") <= limit:
        return False
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    return max(accumulate(_STEP[c] for c in brackets), default=0) > limit


def _shorten(text: str) -> str:
    return text if len(text) <= MAX_ID_CHARS else text[: MAX_ID_CHARS - 1] + "…"


def parse(text: str | None, raw_bytes: bytes | None = None) -> dict[str, Any]:
    """Decode one frame into a JSON object; raise ``Refusal`` naming what is wrong."""
    if raw_bytes is not None:
        raise Refusal(_("Binary messages are not accepted."), "malformed")
    data = text or ""
    if len(data) > MAX_MESSAGE_BYTES or len(data.encode(errors="replace")) > MAX_MESSAGE_BYTES:
        raise Refusal(
            _("The message is larger than %(limit)d bytes.") % {"limit": MAX_MESSAGE_BYTES},
            "too_large",
        )
    if too_deep(data):
        raise Refusal(
            _("The message is nested more than %(limit)d levels deep.") % {"limit": MAX_DEPTH},
            "too_deep",
        )
    try:
        message = json.loads(data, object_pairs_hook=_object, parse_constant=_no_constant)
    except _RepeatedKey as repeated:
        raise Refusal(
            _("The message repeats the field “%(field)s”.") % {"field": _shorten(repeated.key)},
            "duplicate_key",
        ) from None
    except (ValueError, RecursionError):
        raise Refusal(_("The message is not valid JSON."), "malformed") from None
    if not isinstance(message, dict):
        raise Refusal(_("The message must be a JSON object."), "malformed")
    version = message.get("v")
    if type(version) is not int or version != PROTOCOL_VERSION:
        raise Refusal(_("Unsupported protocol version."), "unsupported_version")
    return message


def reference(message: dict[str, Any]) -> str | None:
    """The command's ``id``, to echo as ``ref``, if it is a valid one."""
    ref = message.get("id")
    return ref if isinstance(ref, str) and len(ref) <= MAX_ID_CHARS else None


def validate(schema: type[C], message: dict[str, Any]) -> C:
    """``message`` as a ``schema`` command, strictly; raise ``Refusal`` (``invalid``) if not."""
    try:
        return schema.model_validate_json(json.dumps(message), strict=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = _shorten(".".join(str(part) for part in first["loc"]))
        raise Refusal(
            _("The message is not valid (field “%(field)s”).") % {"field": where}, "invalid"
        ) from None


def internal_error(ref: str | None) -> dict[str, Any]:
    """The reply when handling a message failed unexpectedly (the failure is logged)."""
    return error_event(
        "internal", _("The server could not handle this message; please try again."), ref
    )


def dispatch(ctx: Context, message: dict[str, Any]) -> list[dict[str, Any]]:
    """One command of a session socket (``session_commands.dispatch``)."""
    return session_commands.dispatch(ctx, message)
