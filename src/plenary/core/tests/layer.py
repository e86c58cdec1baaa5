"""A test's own look at a channel-layer group: what was published to it, drained.

Use with an in-memory layer (``settings.CHANNEL_LAYERS``, see ``IN_MEMORY``): on
the Redis leg the project's layer is Redis, and a test that reads the layer's
queues directly needs the in-memory one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

IN_MEMORY = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


def group_inbox(group: str) -> Callable[[], list[dict[str, Any]]]:
    """A channel in ``group``; calling the result returns the messages received since."""
    layer = get_channel_layer()
    assert layer is not None
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)

    async def drain() -> list[dict[str, Any]]:
        received = []
        # The layer drops a channel's queue once it is empty.
        while (queue := layer.channels.get(channel)) is not None and not queue.empty():
            received.append(await layer.receive(channel))
        return received

    return async_to_sync(drain)
