from __future__ import annotations

from unittest import mock

import pytest

from plenary.floor.layers import SweepingInMemoryChannelLayer

# pytest-django runs tests without a database after all the others, that is
# after the browser tests, whose Playwright event loop would still be running
# in this thread; the mark keeps this async test with the other database tests.
pytestmark = pytest.mark.django_db


async def test_the_layer_delivers_group_messages_and_sweeps_at_most_once_a_second() -> None:
    layer = SweepingInMemoryChannelLayer()
    channels = [await layer.new_channel() for _ in range(3)]
    for channel in channels:
        await layer.group_add("session-1", channel)
    with mock.patch.object(
        SweepingInMemoryChannelLayer.__mro__[1], "_clean_expired", autospec=True
    ) as sweep:
        await layer.group_send("session-1", {"type": "live.event", "event": {"v": 1}})
        received = [await layer.receive(channel) for channel in channels]
    assert received == [{"type": "live.event", "event": {"v": 1}}] * 3
    assert sweep.call_count == 1
