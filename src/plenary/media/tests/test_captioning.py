"""Janus forwards captioned channels to the speech workers and takes AI voices in.

Against a real Janus started for this module. The speech worker is stood in
for by a UDP socket: the worker process is not under test here (its side is
covered in ``plenary.speech``).
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest
from aiortc.rtp import RtpPacket
from asgiref.sync import async_to_sync, sync_to_async
from django.utils import timezone

from plenary.media import captioning, engine
from plenary.media.janus.client import JanusClient
from plenary.media.janus.config import JanusConfig
from plenary.media.rooms import AUDIOBRIDGE, OPUS_PT, OneServer, RoomManager, room_id
from plenary.media.services import apply_heard, layout_for
from plenary.media.tests import real_janus
from plenary.meetings.tests.factories import SessionFactory
from plenary.speech.models import CaptionStream
from plenary.speech.signals import stream_audio_changed
from plenary.speech.tests.factories import CaptionStreamFactory

Status = CaptionStream.Status
# One layout for every session here: SQLite reuses session ids, and this
# module's Janus keeps the rooms and mountpoints of earlier tests.
LANGUAGES = ["en", "fr"]


janus = real_janus.janus


@pytest.fixture(autouse=True)
def use_janus(janus: JanusConfig, settings: Any) -> None:
    settings.JANUS_URLS = [janus.url]
    settings.JANUS_API_SECRET = janus.api_secret
    settings.JANUS_ADMIN_KEY = janus.admin_key


@pytest.fixture
def worker_socket() -> Iterator[socket.socket]:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(10)
        yield sock


def _manager(janus: JanusConfig) -> RoomManager:
    return RoomManager(
        OneServer(janus.url),
        lambda url: JanusClient(janus.url, janus.api_secret).connect(),
        janus.admin_key,
    )


def changed(stream: CaptionStream) -> None:
    """What the speech services send after committing a change of the stream."""
    stream_audio_changed.send(sender=CaptionStream, stream_id=stream.pk)


def _forwarded_ports(janus: JanusConfig, session_id: int, channel: str) -> set[int]:
    async def query() -> set[int]:
        rooms = _manager(janus)
        try:
            client = await rooms.client_for(session_id)
            handle = await client.attach(AUDIOBRIDGE)
            reply = await handle.send(
                {
                    "request": "listforwarders",
                    "room": room_id(session_id, channel),
                    "admin_key": janus.admin_key,
                }
            )
            return {int(f["port"]) for f in reply.data["rtp_forwarders"]}
        finally:
            await rooms.close()

    return set(async_to_sync(query)())


@pytest.mark.django_db
def test_a_live_stream_gets_its_channel_until_it_is_released(
    janus: JanusConfig, worker_socket: socket.socket
) -> None:
    port = worker_socket.getsockname()[1]
    session = SessionFactory.create(meeting__languages=LANGUAGES)
    stream = CaptionStreamFactory.create(
        session=session, channel="fr", language="fr", status=Status.LIVE, rtp_port=port
    )
    changed(stream)
    assert port in _forwarded_ports(janus, session.pk, "fr")
    # The room's mix arrives as Opus RTP (silence while nobody speaks: always on).
    assert RtpPacket.parse(worker_socket.recv(2048)).payload_type == OPUS_PT

    stream.status, stream.rtp_port = Status.WAITING, None
    stream.save(update_fields=["status", "rtp_port"])
    changed(stream)
    assert port not in _forwarded_ports(janus, session.pk, "fr")


@pytest.mark.django_db
def test_forwards_come_back_when_janus_lost_the_rooms(
    janus: JanusConfig, worker_socket: socket.socket
) -> None:
    port = worker_socket.getsockname()[1]
    session = SessionFactory.create(meeting__languages=LANGUAGES)
    changed(CaptionStreamFactory.create(session=session, status=Status.LIVE, rtp_port=port))

    async def lose_rooms() -> None:  # what a Janus restart does to them
        rooms = _manager(janus)
        try:
            await rooms.ensure_session(layout_for(session))
            await rooms.destroy_session(session.pk)
        finally:
            await rooms.close()

    async_to_sync(lose_rooms)()
    async_to_sync(captioning.resync_sessions)([session.pk])
    assert port in _forwarded_ports(janus, session.pk, "floor")


@pytest.fixture
async def server_rooms() -> AsyncIterator[None]:
    """The test's loop stands for the server's: its room manager holds the voice inputs."""
    yield
    await engine.shutdown()


@pytest.mark.django_db(transaction=True)
async def test_an_ai_voice_gets_an_rtp_input_in_its_language_room(server_rooms: None) -> None:
    session = await sync_to_async(SessionFactory.create)(meeting__languages=LANGUAGES)
    stream = await sync_to_async(CaptionStreamFactory.create)(session=session, voices={"fr": ""})
    await captioning.apply_stream(stream.pk)  # as after the services' commit, on this loop

    await stream.arefresh_from_db()
    host, _sep, port = stream.voices["fr"].rpartition(":")
    assert host and port.isdigit()
    voice = {p["display"]: p for p in await engine.manager().participants(session.pk, "fr")}
    assert "ai-voice-fr" in voice
    # Booth moderation (nobody heard on "fr") mutes people, never the AI voice.
    await apply_heard(session.pk, "fr")
    voice = {p["display"]: p for p in await engine.manager().participants(session.pk, "fr")}
    assert voice["ai-voice-fr"]["muted"] is False

    stream.stopped_at, stream.status = timezone.now(), Status.STOPPED
    await sync_to_async(stream.save)(update_fields=["stopped_at", "status"])
    await captioning.apply_stream(stream.pk)
    displays = {p["display"] for p in await engine.manager().participants(session.pk, "fr")}
    assert "ai-voice-fr" not in displays
