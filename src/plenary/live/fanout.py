"""Per-process fan-out of a session's events to its local sockets.

Every event of a session goes to every socket of that session: with one
channel-layer member per socket, an event to N tabs costs N layer messages,
N consumer dispatches and N JSON encodings, all in Python (about 3 s for
2,000 tabs on a 2-core machine, ``./scripts/bench floor``). Instead, each
server process joins a session's group once, with one *relay* channel, while
it holds at least one socket of that session; the relay encodes each event
once and queues the same text frame in every local socket's outbox. With
Redis, a group message is then one message per process, not per socket.

Each frame is written at once through the socket's synchronous ``send_now``
(``plenary.core.websocket``) when the socket can take it; only otherwise (a
paused transport, or a server without ``send_now``) is it queued and sent by
a task through the ASGI ``send``. Order is kept per socket (nothing is
written directly while frames wait, and one task at a time drains them).

A socket that cannot keep up (a delegate on a weak connection, whose
transport is paused) only delays itself: its outbox holds at most
``OUTBOX_CAPACITY`` frames and drops the rest, as a full channel-layer queue
did; the client notices the version gap and asks for a fresh snapshot.

Only the session group and a workspace's group (``plenary.workspaces``) go
through here; per-user and staff groups stay on the ordinary per-socket path
(few members each).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from channels.layers import BaseChannelLayer

from plenary.core.websocket import SendNow

logger = logging.getLogger(__name__)

OUTBOX_CAPACITY = 100  # frames, as Channels' default channel capacity
RETRY_S = 1.0  # after the layer failed to deliver (Redis restarting)

Frame = dict[str, Any]
Send = Callable[[Frame], Awaitable[None]]


class Outbox:
    """One socket's frames: written at once while the socket takes them, else
    queued and sent in order by at most one task.

    An outbox is *held* until ``open``: frames queued while the consumer
    still sends its snapshot go out after it, never before.
    """

    def __init__(self, send: Send, send_now: SendNow | None = None) -> None:
        self._send = send
        self._send_now = send_now
        self._pending: deque[Frame] = deque()
        self._open = False
        self._sender: asyncio.Task[None] | None = None

    def put(self, frame: Frame, data: bytes) -> None:
        """Send ``frame`` (whose text is the UTF-8 ``data``) after those before it."""
        if (
            self._open
            and self._sender is None
            and not self._pending
            and self._send_now is not None
            and self._send_now(data)
        ):
            return
        if len(self._pending) >= OUTBOX_CAPACITY:
            return  # dropped: the client resyncs on the version gap
        self._pending.append(frame)
        self._start()

    def open(self) -> None:
        self._open = True
        self._start()

    def close(self) -> None:
        self._open = False
        self._pending.clear()
        if self._sender is not None:
            self._sender.cancel()

    def _start(self) -> None:
        if self._open and self._sender is None and self._pending:
            self._sender = asyncio.get_running_loop().create_task(self._drain())

    async def _drain(self) -> None:
        try:
            while self._pending:
                await self._send(self._pending.popleft())
        except OSError:  # the socket went away; its consumer's disconnect closes the outbox
            self._pending.clear()
        finally:
            self._sender = None


class Relay:
    """One process's membership of one group, feeding every local outbox."""

    def __init__(self, layer: BaseChannelLayer, group: str) -> None:
        self.layer = layer
        self.group = group
        self.outboxes: dict[str, Outbox] = {}
        self._channel: str | None = None
        self._task: asyncio.Task[None] | None = None
        self._closed = False
        self._lock = asyncio.Lock()

    async def subscribe(self) -> None:
        """Join the group (again: that renews the membership's expiry)."""
        async with self._lock:
            if self._closed:
                return
            if self._channel is None:
                self._channel = await self.layer.new_channel()
                self._task = asyncio.get_running_loop().create_task(self._relay(self._channel))
            await self.layer.group_add(self.group, self._channel)

    async def close(self) -> None:
        async with self._lock:
            self._closed = True
            if self._task is not None:
                self._task.cancel()
            if self._channel is not None:
                await self.layer.group_discard(self.group, self._channel)

    async def _relay(self, channel: str) -> None:
        while True:
            try:
                message = await self.layer.receive(channel)
            except Exception:
                # Keep serving the session: events lost meanwhile show up as a
                # version gap and the clients resync. Redis may have lost the
                # membership too, so join again.
                logger.exception("fan-out of %s could not receive; retrying", self.group)
                await asyncio.sleep(RETRY_S)
                with contextlib.suppress(Exception):
                    await self.layer.group_add(self.group, channel)
                continue
            if message.get("type") != "live.event" or "event" not in message:
                logger.warning(
                    "fan-out of %s ignores a %r message", self.group, message.get("type")
                )
                continue
            text = json.dumps(message["event"], separators=(",", ":"))
            frame = {"type": "websocket.send", "text": text}  # shared, read-only
            data = text.encode()
            for outbox in list(self.outboxes.values()):
                outbox.put(frame, data)


# One registry per event loop: a relay's task and layer connections belong to it.
_relays: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, Relay]] = (
    weakref.WeakKeyDictionary()
)


def _relays_here() -> dict[str, Relay]:
    return _relays.setdefault(asyncio.get_running_loop(), {})


async def join(
    layer: BaseChannelLayer, group: str, key: str, send: Send, send_now: SendNow | None = None
) -> Outbox:
    """Deliver ``group``'s ``live.event`` messages to one socket from now on.

    ``send`` is the socket's raw ASGI send and ``send_now`` its synchronous
    one, if the server offers it; ``key`` names the socket for ``leave``. The
    returned outbox is held until its ``open``.
    """
    relays = _relays_here()
    relay = relays.get(group)
    if relay is None:
        relay = relays[group] = Relay(layer, group)
    outbox = relay.outboxes[key] = Outbox(send, send_now)
    try:
        await relay.subscribe()
    except BaseException:  # the layer is unreachable, or the connect was cancelled
        await leave(group, key)
        raise
    return outbox


async def leave(group: str, key: str) -> None:
    """Stop delivering to one socket; the last socket of a group ends the relay."""
    relays = _relays_here()
    relay = relays.get(group)
    if relay is None:
        return
    outbox = relay.outboxes.pop(key, None)
    if outbox is not None:
        outbox.close()
    if not relay.outboxes:
        del relays[group]
        await relay.close()
