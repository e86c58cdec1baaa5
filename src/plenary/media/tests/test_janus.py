"""The adapter against a real Janus on loopback (its API needs no ICE, so no namespace)."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from plenary.media import engine
from plenary.media.janus.client import JanusClient, JanusError, JanusUnavailableError
from plenary.media.janus.config import JanusConfig, render
from plenary.media.janus.process import JanusProcess
from plenary.media.rooms import (
    FLOOR,
    SCREEN,
    STAGE,
    OneServer,
    RoomManager,
    SessionLayout,
    room_id,
)
from plenary.media.tests import real_janus

pytestmark = [
    pytest.mark.skipif(not JanusProcess.available(), reason="needs the janus package"),
    # No database is used; the mark makes pytest-django run these with the
    # database tests, before the browser tests whose Playwright event loop
    # (session-wide, in this thread) would stop asyncio tests from running.
    pytest.mark.django_db,
]


janus = real_janus.janus


async def _connect(config: JanusConfig) -> JanusClient:
    return await JanusClient(config.url, config.api_secret).connect()


@pytest.fixture
async def rooms(janus: JanusConfig) -> AsyncIterator[RoomManager]:
    manager = RoomManager(OneServer(janus.url), lambda url: _connect(janus), janus.admin_key)
    yield manager
    await manager.close()


def test_the_generated_configuration_is_private(tmp_path: Path) -> None:
    files = render(JanusConfig(ws_port=8188, api_secret="s", admin_key="k"), tmp_path)
    assert 'ws_ip = "127.0.0.1"' in files["janus.transport.websockets.jcfg"]
    assert "admin_ws = false" in files["janus.transport.websockets.jcfg"]
    assert 'api_secret = "s"' in files["janus.jcfg"]
    assert "lock_rtp_forward = true" in files["janus.plugin.audiobridge.jcfg"]
    with pytest.raises(ValueError, match="quotes"):
        render(JanusConfig(ws_port=8188, api_secret='x"; api_secret = "', admin_key="k"), tmp_path)


def test_the_embedded_janus_gets_the_configured_event_loops(tmp_path: Path, settings: Any) -> None:
    settings.JANUS_EVENT_LOOPS = 3
    files = render(engine.embedded_config(), tmp_path)
    assert "event_loops = 3" in files["janus.jcfg"]


DEBIAN_SRTP = "/usr/lib/x86_64-linux-gnu/libsrtp2.so.1"


def _mapped_libsrtp(config: JanusConfig, folder: Path) -> list[str]:
    """The libsrtp2 files a Janus started with ``config`` has loaded."""
    process = JanusProcess(replace(config, ws_port=real_janus.free_port()), folder)
    process.start()
    try:
        maps = Path(f"/proc/{process.pid}/maps").read_text()
    finally:
        process.stop()
    return sorted({line.split()[-1] for line in maps.splitlines() if "libsrtp2" in line})


def test_the_embedded_janus_loads_the_libsrtp_built_on_openssl(tmp_path: Path) -> None:
    config = engine.embedded_config()
    built = config.built_srtp
    assert built is not None, f"no libsrtp2 in {config.library_dir}: ./scripts/test builds it"
    assert _mapped_libsrtp(config, tmp_path) == [str(built.resolve())]


def test_without_a_built_libsrtp_janus_loads_debians(tmp_path: Path) -> None:
    config = replace(engine.embedded_config(), library_dir=str(tmp_path / "empty"))
    assert _mapped_libsrtp(config, tmp_path) == [str(Path(DEBIAN_SRTP).resolve())]


async def test_a_wrong_api_secret_is_refused(janus: JanusConfig) -> None:
    with pytest.raises(JanusError) as refused:
        await JanusClient(janus.url, "wrong").connect()
    assert refused.value.code == 403


async def test_no_janus_listening_is_a_typed_error() -> None:
    with pytest.raises(JanusUnavailableError):
        await JanusClient(f"ws://127.0.0.1:{real_janus.free_port()}/", "x").connect(1.0)


async def test_sessions_get_rooms_and_a_mountpoint_once(
    janus: JanusConfig, rooms: RoomManager
) -> None:
    layout = SessionLayout(901, ("fr", "es"))
    await rooms.ensure_session(layout)
    await rooms.ensure_session(layout)
    # A second control-plane process finds the same objects instead of failing.
    other = RoomManager(OneServer(janus.url), lambda url: _connect(janus), janus.admin_key)
    try:
        await other.ensure_session(layout)
    finally:
        await other.close()
    client = await rooms.client_for(901)
    streaming = await client.attach("janus.plugin.streaming")
    info = await streaming.send({"request": "info", "id": 901, "admin_key": janus.admin_key})
    media = {m["mid"]: m for m in info.data["info"]["media"]}
    assert media.keys() == {FLOOR, "fr", "es", STAGE, SCREEN}
    # The stage takes three simulcast layers, each on its own port, and sends
    # keyframe requests back; the screen is one layer.
    assert media[STAGE]["videosimulcast"] is True
    assert len({media[STAGE][key] for key in ("port", "port2", "port3", "rtcpport")}) == 4
    assert "port2" not in media[SCREEN]
    assert await rooms.participants(901, "fr") == []
    assert await rooms.publishers(901) == []  # the VideoRoom exists, nobody publishes


async def test_a_mountpoint_missing_a_language_is_rebuilt_and_reforwarded(
    janus: JanusConfig, rooms: RoomManager
) -> None:
    await rooms.ensure_session(SessionLayout(902, ("fr",)))
    client = await rooms.client_for(902)
    audiobridge = await client.attach("janus.plugin.audiobridge")
    streaming = await client.attach("janus.plugin.streaming")

    async def ports() -> dict[str, int]:
        info = await streaming.send({"request": "info", "id": 902, "admin_key": janus.admin_key})
        return {m["mid"]: m["port"] for m in info.data["info"]["media"]}

    async def forwards(channel: str) -> set[int]:
        reply = await audiobridge.send(
            {
                "request": "listforwarders",
                "room": room_id(902, channel),
                "admin_key": janus.admin_key,
            }
        )
        return {f["port"] for f in reply.data["rtp_forwarders"]}

    old = await ports()
    worker = real_janus.free_port()  # a forward that is not the mountpoint's (a speech worker's)
    await rooms.forward(SessionLayout(902, ("fr",)), "fr", "127.0.0.1", worker)

    # A booth language was added; another process (a fresh manager) finds the old mountpoint.
    rebuilt: list[int] = []

    async def note(session_id: int) -> None:
        rebuilt.append(session_id)

    other = RoomManager(OneServer(janus.url), lambda url: _connect(janus), janus.admin_key)
    other.on_rebuilt = note
    try:
        layout = await other.ensure_session(SessionLayout(902, ("fr", "es")))
    finally:
        await other.close()
    assert set(layout.channels) == {FLOOR, "fr", "es"}
    new = await ports()
    assert new.keys() == {FLOOR, "fr", "es", STAGE, SCREEN}
    assert new != old
    assert await forwards(FLOOR) == {new[FLOOR]}
    assert await forwards("fr") == {new["fr"], worker}
    assert await forwards("es") == {new["es"]}
    assert rebuilt == [902]  # its listeners are told to reconnect

    # The first manager learns of the language too, and finds the work done.
    rooms.on_rebuilt = note
    await rooms.ensure_session(SessionLayout(902, ("fr", "es")))
    assert await ports() == new
    assert rebuilt == [902]


async def test_plugin_errors_are_typed(rooms: RoomManager) -> None:
    with pytest.raises(JanusError) as refused:
        await rooms.participants(999, FLOOR)
    assert refused.value.code == 485  # no such room


def test_a_media_host_gets_the_same_configuration_on_its_private_address(
    tmp_path: Path, settings: Any
) -> None:
    settings.JANUS_API_SECRET, settings.JANUS_ADMIN_KEY = "host-secret", "host-key"
    call_command(
        "janus-config", str(tmp_path / "janus"), "--listen", "10.0.0.11", stdout=io.StringIO()
    )
    files = {path.name: path.read_text() for path in (tmp_path / "janus").iterdir()}
    assert 'ws_ip = "10.0.0.11"' in files["janus.transport.websockets.jcfg"]
    assert 'api_secret = "host-secret"' in files["janus.jcfg"]
    assert 'admin_key = "host-key"' in files["janus.plugin.streaming.jcfg"]
    assert (tmp_path / "janus").stat().st_mode & 0o077 == 0
    with pytest.raises(CommandError, match="quotes"):
        call_command("janus-config", str(tmp_path / "bad"), "--listen", '1"', stdout=io.StringIO())
