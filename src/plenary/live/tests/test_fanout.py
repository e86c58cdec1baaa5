"""The per-process fan-out of a session group, on its own channel layer."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from plenary.live import fanout
from plenary.live.layers import SweepingInMemoryChannelLayer

# No database is used; the mark makes pytest-django run these async tests with
# the database tests, before the browser tests (whose Playwright loop keeps
# running in this thread until the end of the session).
pytestmark = pytest.mark.django_db

GROUP = "session-1"


class Socket:
    """Records the text frames written to it; ``gate`` holds its sends while cleared."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.gate = asyncio.Event()
        self.gate.set()

    async def send(self, frame: fanout.Frame) -> None:
        await self.gate.wait()
        self.texts.append(frame["text"])


class DirectSocket(Socket):
    """A socket that also takes frames synchronously while its transport is not paused."""

    def send_now(self, data: bytes) -> bool:
        if not self.gate.is_set():
            return False
        self.texts.append(data.decode())
        return True


async def until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(5):
        while not condition():
            await asyncio.sleep(0.01)


async def publish(layer: SweepingInMemoryChannelLayer, n: int) -> None:
    for i in range(n):
        await layer.group_send(GROUP, {"type": "live.event", "event": {"n": i}})
        await asyncio.sleep(0)  # as events come, one at a time


async def test_one_membership_per_process_serves_every_socket_in_order() -> None:
    layer = SweepingInMemoryChannelLayer()
    sockets = [Socket() for _ in range(3)]
    for key, socket in enumerate(sockets):
        (await fanout.join(layer, GROUP, str(key), socket.send)).open()
    assert len(layer.groups[GROUP]) == 1
    await publish(layer, 5)
    await until(lambda: all(len(s.texts) == 5 for s in sockets))
    assert {tuple(s.texts) for s in sockets} == {tuple(f'{{"n":{i}}}' for i in range(5))}
    for key in range(3):
        await fanout.leave(GROUP, str(key))


async def test_a_held_outbox_sends_only_once_opened() -> None:
    layer = SweepingInMemoryChannelLayer()
    socket = Socket()
    outbox = await fanout.join(layer, GROUP, "a", socket.send)
    await publish(layer, 2)
    await asyncio.sleep(0.05)
    assert socket.texts == []  # the consumer is still sending the snapshot
    outbox.open()
    await until(lambda: len(socket.texts) == 2)
    await fanout.leave(GROUP, "a")


async def test_a_slow_socket_holds_up_only_itself_and_drops_its_overflow() -> None:
    layer = SweepingInMemoryChannelLayer()
    slow, fast = Socket(), Socket()
    slow.gate.clear()  # its transport is paused
    (await fanout.join(layer, GROUP, "slow", slow.send)).open()
    (await fanout.join(layer, GROUP, "fast", fast.send)).open()
    events = fanout.OUTBOX_CAPACITY + 10
    await publish(layer, events)
    await until(lambda: len(fast.texts) == events)
    assert slow.texts == []
    slow.gate.set()
    # One frame was being sent when the gate closed, then the outbox filled up.
    await until(lambda: len(slow.texts) == fanout.OUTBOX_CAPACITY + 1)
    assert slow.texts == fast.texts[: fanout.OUTBOX_CAPACITY + 1]
    for key in ("slow", "fast"):
        await fanout.leave(GROUP, key)


async def test_the_last_socket_to_leave_ends_the_membership() -> None:
    layer = SweepingInMemoryChannelLayer()
    first, second = Socket(), Socket()
    (await fanout.join(layer, GROUP, "1", first.send)).open()
    (await fanout.join(layer, GROUP, "2", second.send)).open()
    await fanout.leave(GROUP, "1")
    assert len(layer.groups[GROUP]) == 1
    await publish(layer, 1)
    await until(lambda: len(second.texts) == 1)
    assert first.texts == []
    await fanout.leave(GROUP, "2")
    assert not layer.groups.get(GROUP)
    again = Socket()
    (await fanout.join(layer, GROUP, "3", again.send)).open()
    await publish(layer, 1)
    await until(lambda: len(again.texts) == 1)
    await fanout.leave(GROUP, "3")


async def test_direct_writes_never_overtake_queued_frames() -> None:
    layer = SweepingInMemoryChannelLayer()
    socket = DirectSocket()
    (await fanout.join(layer, GROUP, "a", socket.send, socket.send_now)).open()
    await publish(layer, 2)  # written at once
    socket.gate.clear()  # paused: the next frames wait in the outbox
    for i in range(2, 4):
        await layer.group_send(GROUP, {"type": "live.event", "event": {"n": i}})
    await asyncio.sleep(0.05)
    assert socket.texts == ['{"n":0}', '{"n":1}']
    socket.gate.set()  # writable again while frames still wait
    await layer.group_send(GROUP, {"type": "live.event", "event": {"n": 4}})
    await until(lambda: len(socket.texts) == 5)
    assert socket.texts == [f'{{"n":{i}}}' for i in range(5)]
    await fanout.leave(GROUP, "a")


class UnreachableLayer(SweepingInMemoryChannelLayer):
    async def group_add(self, group: str, channel: str) -> None:
        raise ConnectionError("the channel layer is unreachable")


async def test_a_failed_join_leaves_nothing_behind() -> None:
    with pytest.raises(ConnectionError):
        await fanout.join(UnreachableLayer(), GROUP, "a", Socket().send)
    layer = SweepingInMemoryChannelLayer()
    socket = Socket()
    (await fanout.join(layer, GROUP, "b", socket.send)).open()
    await publish(layer, 1)
    await until(lambda: len(socket.texts) == 1)
    await fanout.leave(GROUP, "b")


class FlakyLayer(SweepingInMemoryChannelLayer):
    """Fails its first receive, as Redis does while it restarts."""

    failed = False

    async def receive(self, channel: str) -> dict[str, object]:
        if not self.failed:
            self.failed = True
            raise ConnectionError("the channel layer restarted")
        message: dict[str, object] = await super().receive(channel)
        return message


async def test_the_relay_keeps_serving_after_the_layer_failed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fanout, "RETRY_S", 0)
    layer = FlakyLayer()
    socket = Socket()
    (await fanout.join(layer, GROUP, "a", socket.send)).open()
    await until(lambda: layer.failed)
    await publish(layer, 2)
    await until(lambda: len(socket.texts) == 2)
    await fanout.leave(GROUP, "a")
