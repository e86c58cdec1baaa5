"""Publish live events to WebSocket groups, only after the transaction commits.

This is the one place that sends to the channel layer (STYLE.md §3). Payloads
are JSON round-tripped here even on the in-memory layer, so an event that Redis
could not carry fails in development too.
"""

from __future__ import annotations

import json
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def _send(group: str, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group, message)


def publish(group: str, event: dict[str, Any], *, handler: str = "live.event") -> None:
    """Queue ``event`` for ``group`` once the current transaction commits.

    ``handler`` is the consumer method that receives it (``live.event`` ->
    ``live_event``). Raises ``TypeError`` now if ``event`` is not JSON.
    """
    payload = json.loads(json.dumps(event))
    transaction.on_commit(lambda: _send(group, {"type": handler, "event": payload}))
