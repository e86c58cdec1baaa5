from __future__ import annotations

import asyncio
import os
from typing import Any
from unittest import mock

import pytest
from channels.layers import InMemoryChannelLayer
from redis.asyncio import BlockingConnectionPool

from plenary.live.layers import PooledRedisChannelLayer, SweepingInMemoryChannelLayer

# pytest-django runs tests without a database after all the others, that is
# after the browser tests, whose Playwright event loop would still be running
# in this thread; the mark keeps these async tests with the database tests.
pytestmark = pytest.mark.django_db


async def joined(layer: SweepingInMemoryChannelLayer, count: int) -> list[str]:
    channels = [await layer.new_channel() for _ in range(count)]
    for channel in channels:
        await layer.group_add("session-1", channel)
    return channels


async def test_every_member_of_a_group_receives_the_message() -> None:
    layer = SweepingInMemoryChannelLayer()
    channels = await joined(layer, 3)
    message = {"type": "live.event", "event": {"v": 1}}
    await layer.group_send("session-1", message)
    received = [await layer.receive(channel) for channel in channels]
    assert received == [message] * 3
    assert received[0] is not message  # the sender's dict is not shared


async def test_a_discarded_member_receives_nothing() -> None:
    layer = SweepingInMemoryChannelLayer()
    kept, dropped = await joined(layer, 2)
    await layer.group_discard("session-1", dropped)
    await layer.group_send("session-1", {"type": "live.event", "event": {}})
    assert await layer.receive(kept) == {"type": "live.event", "event": {}}
    assert dropped not in layer.channels


async def test_expired_messages_are_swept_at_most_once_a_second() -> None:
    layer = SweepingInMemoryChannelLayer()
    channels = await joined(layer, 3)
    with mock.patch.object(InMemoryChannelLayer, "_clean_expired", autospec=True) as sweep:
        await layer.group_send("session-1", {"type": "live.event", "event": {}})
        for channel in channels:
            await layer.receive(channel)
    assert sweep.call_count == 1


async def test_a_consumer_of_the_configured_layer_waits_idle_longer_than_a_blocking_pop() -> None:
    """A session socket can stay quiet for minutes: its receive must neither fail nor
    end while no message comes. Redis's blocking pop waits 5 s at a time, and redis-py
    >= 8 stopped reading after 5 s by default, which killed idle sockets (CI, PostgreSQL
    and Redis leg); on the embedded default the in-memory layer is checked the same way."""
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    assert layer is not None
    channel = await layer.new_channel()
    with pytest.raises(TimeoutError):  # asyncio's: nothing came, and nothing failed
        await asyncio.wait_for(layer.receive(channel), timeout=7)
    await layer.send(channel, {"type": "live.event", "event": {"v": 1}})
    assert await layer.receive(channel) == {"type": "live.event", "event": {"v": 1}}


def test_the_redis_layer_pool_waits_for_a_connection(settings: Any) -> None:
    settings.REDIS_LAYER_POOL = 7
    pool = PooledRedisChannelLayer(hosts=[{"address": "redis://127.0.0.1:1/0"}]).create_pool(0)
    assert isinstance(pool, BlockingConnectionPool) and pool.max_connections == 7


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="the PostgreSQL and Redis leg runs it")
async def test_a_burst_of_sockets_joining_beyond_the_pool_all_get_in(settings: Any) -> None:
    """Two hundred sockets join and leave a group at once through a pool of five
    connections: every one succeeds (redis-py 8's own pool failed the 101st)."""
    settings.REDIS_LAYER_POOL = 5
    layer = PooledRedisChannelLayer(hosts=[{"address": os.environ["REDIS_URL"]}])
    channels = [await layer.new_channel() for _ in range(200)]
    try:
        await asyncio.gather(*(layer.group_add("burst", channel) for channel in channels))
        await layer.group_send("burst", {"type": "live.event", "event": {"v": 1}})
        assert await layer.receive(channels[-1]) == {"type": "live.event", "event": {"v": 1}}
        await asyncio.gather(*(layer.group_discard("burst", channel) for channel in channels))
    finally:
        await layer.flush()
        await layer.close_pools()
