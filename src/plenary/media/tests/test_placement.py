"""Sessions are placed on the least-loaded media server, drained servers get none, and
the sessions of a Janus that dies move to another (two real Janus processes)."""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from plenary.media import health, placement
from plenary.media.janus.client import JanusClient, JanusUnavailableError
from plenary.media.janus.config import JanusConfig
from plenary.media.janus.process import JanusProcess
from plenary.media.models import MediaServer, Placement
from plenary.media.placement import PlacementError, RegisteredServers, ServerState, choose
from plenary.media.rooms import RoomManager, ServerLoad, SessionLayout
from plenary.media.tests.real_janus import free_port
from plenary.meetings.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

A, B, C = "ws://127.0.0.1:9001", "ws://127.0.0.1:9002", "ws://127.0.0.1:9003"


def state(url: str, listeners: int = 0, capacity: int = 100, **flags: Any) -> ServerState:
    return ServerState(
        url=url,
        capacity=capacity,
        draining=flags.get("draining", False),
        down=flags.get("down", False),
        rooms=0,
        listeners=listeners,
        sessions=flags.get("sessions", 0),
    )


def test_the_least_loaded_share_of_capacity_wins() -> None:
    # 40 of 100 is a larger share than 60 of 200.
    assert choose([state(A, 40), state(B, 60, capacity=200)]).url == B  # type: ignore[union-attr]
    # Equal shares: the one with fewer sessions.
    assert choose([state(A, sessions=2), state(B, sessions=1)]).url == B  # type: ignore[union-attr]


def test_drained_down_and_full_servers_come_last() -> None:
    assert choose([state(A, draining=True), state(B, 90)]).url == B  # type: ignore[union-attr]
    assert choose([state(A, down=True), state(B, 90)]).url == B  # type: ignore[union-attr]
    # Everyone full: the least over capacity, rather than no media at all.
    assert choose([state(A, 150), state(B, 120)]).url == B  # type: ignore[union-attr]
    # Only a draining one up: it still serves.
    assert choose([state(A, draining=True), state(B, down=True)]).url == A  # type: ignore[union-attr]
    assert choose([state(A, down=True)]) is None


def _servers(*urls: str, capacity: int = 1000) -> None:
    for url in urls:
        placement.register(url, capacity, check=False)


def test_a_burst_of_sessions_is_spread_and_each_stays_where_it_was_placed() -> None:
    _servers(A, B)
    sessions = SessionFactory.create_batch(6)
    first = {s.pk: placement.server_for(s.pk) for s in sessions}
    # Not sampled yet, each new session weighs as an audience: three and three.
    assert sorted(first.values()) == [A, A, A, B, B, B]
    # Asked again (by any web server), the answer does not change with the load.
    MediaServer.objects.filter(url=B).update(listeners=0, sampled_at=timezone.now())
    assert {s.pk: placement.server_for(s.pk) for s in sessions} == first


def test_a_drained_server_gets_no_new_session_and_keeps_its_own() -> None:
    _servers(A, B)
    kept = SessionFactory.create()
    MediaServer.objects.filter(url=B).update(listeners=600, sampled_at=timezone.now())
    assert placement.server_for(kept.pk) == A
    call_command("media-servers", "drain", A, stdout=io.StringIO())
    assert [placement.server_for(SessionFactory.create().pk) for _ in range(3)] == [B, B, B]
    assert placement.server_for(kept.pk) == A
    with pytest.raises(CommandError, match="drain it and wait"):
        call_command("media-servers", "remove", A)
    # Once its sessions are over, it can go.
    kept.starts_at = timezone.now() - dt.timedelta(hours=5)
    kept.ends_at = timezone.now() - dt.timedelta(hours=4)
    kept.save()
    call_command("media-servers", "remove", A, stdout=io.StringIO())
    assert list(MediaServer.objects.values_list("url", flat=True)) == [B]


def test_the_sessions_of_a_server_that_is_down_are_placed_again() -> None:
    _servers(A, B, C)
    session = SessionFactory.create()
    first = placement.server_for(session.pk)
    placement.mark_down(first)
    second = placement.server_for(session.pk)
    assert second != first
    assert Placement.objects.get(session=session).server.url == second
    # Back up, it takes new sessions again, but the moved one stays.
    placement.mark_up(first)
    assert placement.server_for(session.pk) == second
    # With no server up, a placed session waits where it is; a new one has none.
    MediaServer.objects.update(down_since=timezone.now())
    assert placement.server_for(session.pk) == second
    with pytest.raises(placement.NoMediaServerError):
        placement.server_for(SessionFactory.create().pk)


def test_the_sampled_load_is_stored() -> None:
    _servers(A)
    placement.record_load(A, ServerLoad(rooms=7, listeners=321))
    [server] = placement.servers()
    assert (server.rooms, server.listeners) == (7, 321)


@pytest.mark.parametrize(
    ("url", "capacity", "message"),
    [
        ("http://127.0.0.1:8188", 10, "ws://"),
        ("ws://", 10, "ws://"),
        ("ws://127.0.0.1:8188", 0, "at least one"),
    ],
)
def test_a_bad_registration_is_refused(url: str, capacity: int, message: str) -> None:
    with pytest.raises(PlacementError, match=message):
        placement.register(url, capacity, check=False)
    assert not MediaServer.objects.exists()


def test_the_command_lists_the_servers(capsys: pytest.CaptureFixture[str]) -> None:
    _servers(A, B)
    MediaServer.objects.filter(url=B).update(draining=True, listeners=12)
    call_command("media-servers", "list")
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{A}  up  0 sessions, 0 of 1000 listeners")
    assert out[1].startswith(f"{B}  draining  0 sessions, 12 of 1000 listeners")


# --- Two real Janus processes ------------------------------------------------


class Pair:
    def __init__(self, folder: Path):
        self.configs = [
            JanusConfig(
                ws_port=free_port(),
                api_secret="api-secret",
                admin_key="admin-key",
                rtp_port_range=ports,
            )
            for ports in ("21000-22999", "23000-24999")
        ]
        self.processes = [
            JanusProcess(config, folder / str(n)) for n, config in enumerate(self.configs)
        ]
        for process in self.processes:
            process.start()

    @property
    def urls(self) -> list[str]:
        return [config.url for config in self.configs]

    def stop(self) -> None:
        for process in self.processes:
            process.stop()


@pytest.fixture
def pair(tmp_path: Path, settings: Any) -> Iterator[Pair]:
    if not JanusProcess.available():
        pytest.skip("needs the janus package")
    servers = Pair(tmp_path)
    settings.JANUS_URLS = servers.urls
    settings.JANUS_API_SECRET, settings.JANUS_ADMIN_KEY = "api-secret", "admin-key"
    yield servers
    servers.stop()


def test_a_server_with_other_keys_is_refused_and_nothing_is_stored(pair: Pair) -> None:
    wrong = JanusConfig(ws_port=free_port(), api_secret="other", admin_key="admin-key")
    process = JanusProcess(wrong, pair.processes[0].folder.parent / "wrong")
    process.start()
    try:
        with pytest.raises(PlacementError, match="refused the connection"):
            placement.register(wrong.url, 100)
    finally:
        process.stop()
    with pytest.raises(PlacementError, match="refused the admin key"):
        async_to_sync(placement.verify)(pair.urls[0], "api-secret", "not-the-key")
    assert not MediaServer.objects.filter(url=wrong.url).exists()
    placement.register(pair.urls[0], 100)  # the right keys: registered
    assert MediaServer.objects.get(url=pair.urls[0]).capacity == 100


def test_the_sessions_of_a_killed_janus_move_to_the_other(pair: Pair) -> None:
    session = SessionFactory.create(meeting__languages=["fr"])
    layout = SessionLayout(session.pk, ("fr",))

    async def scenario() -> tuple[str, list[int], ServerLoad]:
        rooms = RoomManager(
            RegisteredServers(),
            lambda url: JanusClient(url, "api-secret").connect(),
            "admin-key",
            failover_after=0.5,
            sample_every=0.1,
        )
        moved: asyncio.Queue[list[int]] = asyncio.Queue()
        rooms.on_restart = moved.put
        supervision = asyncio.create_task(rooms.supervise(0.05))
        try:
            await rooms.ensure_session(layout)
            first = await rooms.url_for(session.pk)
            await asyncio.sleep(0.3)  # a load sample or two
            pair.processes[pair.urls.index(first)].kill()
            ids = await asyncio.wait_for(moved.get(), 20)
            now = await rooms.url_for(session.pk)
            assert now != first
            return first, ids, await rooms.load(now)
        finally:
            supervision.cancel()
            await rooms.close()

    first, ids, load = async_to_sync(scenario)()
    assert ids == [session.pk]
    other = next(url for url in pair.urls if url != first)
    assert Placement.objects.get(session=session).server.url == other
    # Its rooms (floor and French) are made on the other Janus.
    assert load.rooms >= 2
    servers = {server.url: server for server in placement.servers()}
    assert servers[first].down and not servers[other].down
    assert servers[first].rooms >= 2  # sampled before the kill
    # /healthz: degraded (one down), not failed (the other takes sessions).
    result = health.check_janus()
    assert (result.ok, result.status, result.data["down"]) == (True, "degraded", 1)


def test_with_no_server_up_the_media_are_unavailable_to_the_callers(settings: Any) -> None:
    settings.JANUS_URLS = [A]
    MediaServer.objects.create(url=A, capacity=10, down_since=timezone.now())
    session = SessionFactory.create()
    with pytest.raises(JanusUnavailableError, match="No media server"):
        async_to_sync(RegisteredServers().place)(session.pk)
