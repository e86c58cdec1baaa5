"""Groups a session socket joins on request (a caption language, a channel's events).

Each membership has a *slot*, e.g. ``"captions"``: a socket holds at most one
group per slot, so joining another group in the same slot leaves the previous
one, and closing the socket leaves them all (``protocol.disconnected``), so no
membership is left to the channel layer's expiry. Memberships are those of
this process's sockets; they run in the worker threads of the commands.
"""

from __future__ import annotations

import threading

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

# Channel name -> slot -> group.
_joined: dict[str, dict[str, str]] = {}
_lock = threading.Lock()


def _swap(channel_name: str, slot: str, group: str | None) -> str | None:
    """Record ``channel_name`` in ``group`` for ``slot`` (``None``: none); return the previous."""
    with _lock:
        slots = _joined.setdefault(channel_name, {})
        previous = slots.pop(slot, None)
        if group is not None:
            slots[slot] = group
        if not slots:
            del _joined[channel_name]
    return previous


def join(channel_name: str, slot: str, group: str) -> None:
    layer = get_channel_layer()
    previous = _swap(channel_name, slot, group)
    if previous is not None and previous != group:
        async_to_sync(layer.group_discard)(previous, channel_name)
    async_to_sync(layer.group_add)(group, channel_name)


def leave(channel_name: str, slot: str) -> None:
    previous = _swap(channel_name, slot, None)
    if previous is not None:
        async_to_sync(get_channel_layer().group_discard)(previous, channel_name)


def leave_all(channel_name: str) -> None:
    with _lock:
        slots = _joined.pop(channel_name, {})
    layer = get_channel_layer()
    for group in slots.values():
        async_to_sync(layer.group_discard)(group, channel_name)


def joined(channel_name: str, slot: str) -> str | None:
    """The group a socket of this process holds in ``slot``, if any."""
    return _joined.get(channel_name, {}).get(slot)
