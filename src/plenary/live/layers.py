"""The channel layers: in memory for the embedded mode, without its quadratic fan-out;
on Redis for a scale-out, with a pool that waits in a burst (``PooledRedisChannelLayer``).

Channels' ``InMemoryChannelLayer`` sweeps every channel and group for expired
messages on *every* ``receive``, and ``group_send`` starts one task and makes
one deep copy per member. When one event goes to a session group of N
sockets, the N receives walk all N channels: O(N²) per event, about 4 s for
500 tabs on a 2-core machine (``./scripts/bench floor``). This layer sweeps
at most once a second (expiry, 60 s for messages and a day for group
membership, only needs to be approximately on time) and queues one shared
copy of a group message for every member: receivers treat messages as
read-only, and the session consumer relies on that to encode an event once.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from copy import deepcopy
from typing import Any

from channels.layers import InMemoryChannelLayer
from channels_redis.core import RedisChannelLayer
from django.conf import settings
from redis.asyncio import BlockingConnectionPool

SWEEP_INTERVAL_S = 1.0
# Seconds a Redis operation of the channel layer waits for a free connection.
POOL_TIMEOUT = 10.0


class SweepingInMemoryChannelLayer(InMemoryChannelLayer):
    _last_sweep = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_sweep < SWEEP_INTERVAL_S:
            return
        self._last_sweep = now
        super()._clean_expired()

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        assert isinstance(message, dict), "message is not a dict"  # noqa: S101 - as the base class
        self.require_valid_group_name(group)
        self._clean_expired()
        shared = deepcopy(message)
        expires = time.time() + self.expiry
        for channel in list(self.groups.get(group, {})):
            queue = self.channels.setdefault(
                channel, asyncio.Queue(maxsize=self.get_capacity(channel))
            )
            # A full queue drops the message for that member, as the base class does.
            with contextlib.suppress(asyncio.QueueFull):
                queue.put_nowait((expires, shared))


class PooledRedisChannelLayer(RedisChannelLayer):
    """Channels' Redis layer whose operations wait for a free connection in a burst.

    redis-py 8's connection pool raises ``MaxConnectionsError`` beyond 100
    connections in use, and channels_redis makes that pool: when a few hundred
    delegates join or leave at once (a session opening, a web server dying and
    its sockets reconnecting to this one), each socket's ``group_add`` took a
    connection and the hundred-and-first failed (``./scripts/bench scale``). A
    blocking pool of ``REDIS_LAYER_POOL`` connections makes them wait their
    turn, a few milliseconds each, for up to ``POOL_TIMEOUT`` seconds.
    """

    def create_pool(self, index: int) -> BlockingConnectionPool:
        host = dict(self.hosts[index])
        address = host.pop("address")
        return BlockingConnectionPool.from_url(
            address, max_connections=settings.REDIS_LAYER_POOL, timeout=POOL_TIMEOUT, **host
        )
