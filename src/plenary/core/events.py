"""Publish live events to WebSocket groups, only after the transaction commits.

This is the one place that sends to the channel layer (STYLE.md §3). Payloads
are JSON round-tripped here even on the in-memory layer, so an event that Redis
could not carry fails in development too.

Every event sent to clients (handler ``live.event``) has a declared payload:
apps declare each type's fields as a pydantic model (``Payload``, unknown
fields forbidden) with ``@event_type("media.heard")``, and ``publish`` refuses
an undeclared type or a payload that does not match, before anything is
queued. ``docs/realtime.md`` lists the declared payloads (a test keeps its
table equal to ``declared()``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from pydantic import BaseModel, ConfigDict, ValidationError

from plenary.core import metrics

CLIENT_HANDLER = "live.event"


class Payload(BaseModel):
    """The fields of one event type, besides ``v`` and ``type``; strict, nothing else."""

    model_config = ConfigDict(extra="forbid", strict=True)


P = TypeVar("P", bound=type[Payload])
_declared: dict[str, type[Payload]] = {}


def event_type(*types: str) -> Callable[[P], P]:
    """Declare ``model`` as the payload of events of each of ``types``."""

    def declare(model: P) -> P:
        for type_ in types:
            existing = _declared.get(type_)
            if existing is not None and existing is not model:
                raise ValueError(f"event {type_!r} is already declared")
            _declared[type_] = model
        return model

    return declare


def declared() -> dict[str, type[Payload]]:
    """Every declared event type and its payload model."""
    return dict(_declared)


class UndeclaredEvent(ValueError):
    """An event whose type is not declared or whose fields do not match its declaration."""


def check(event: dict[str, Any]) -> None:
    """Raise ``UndeclaredEvent`` unless ``event`` matches its type's declared payload."""
    type_ = event.get("type")
    model = _declared.get(type_) if isinstance(type_, str) else None
    if model is None:
        raise UndeclaredEvent(f"event type {type_!r} is not declared")
    fields = {key: value for key, value in event.items() if key not in ("v", "type")}
    try:
        model.model_validate(fields)
    except ValidationError as exc:
        raise UndeclaredEvent(f"event {type_!r} does not match its payload: {exc}") from None


def _send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, message)


def publish(group: str, event: dict[str, Any], *, handler: str = CLIENT_HANDLER) -> None:
    """Queue ``event`` for ``group`` once the current transaction commits.

    ``handler`` is the consumer method that receives it (``live.event`` ->
    ``live_event``). Raises ``TypeError`` now if ``event`` is not JSON, and
    ``UndeclaredEvent`` if a client event does not match its declaration.
    """
    payload = json.loads(json.dumps(event))
    if handler == CLIENT_HANDLER:
        check(payload)
        metrics.EVENTS.labels(str(payload.get("type"))).inc()
    transaction.on_commit(lambda: _send(group, {"type": handler, "event": payload}))
