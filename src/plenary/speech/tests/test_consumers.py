"""The worker socket in-process, with Channels' WebsocketCommunicator."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator

from plenary.meetings.models import Participation, Sector
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory
from plenary.speech import services
from plenary.speech.models import CaptionSegment, CaptionStream, SpeechWorker
from plenary.speech.routing import websocket_urlpatterns
from plenary.speech.services import streams, workers

pytestmark = pytest.mark.django_db(transaction=True)


def _stream() -> CaptionStream:
    # Transactional tests flush the sectors that a data migration created.
    sector, _ = Sector.objects.get_or_create(code=Sector.Code.STANDARDIZATION)
    session = SessionFactory.create(meeting__sector=sector, meeting__languages=["en", "fr"])
    chair = ParticipationFactory.create(meeting=session.meeting, role=Participation.Role.CHAIR).user
    return services.do_start_stream(chair, session.pk, "floor", "en")


async def _connect() -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(URLRouter(websocket_urlpatterns), "/ws/speech/worker/")
    connected, _code = await communicator.connect()
    assert connected
    return communicator


async def test_worker_with_the_token_is_welcomed_and_assigned() -> None:
    stream = await database_sync_to_async(_stream)()
    ws = await _connect()
    await ws.send_json_to({"type": "hello", "token": services.worker_token(), "name": "t"})
    welcome = await ws.receive_json_from(timeout=5)
    assert welcome["type"] == "welcome"
    assign = await ws.receive_json_from(timeout=5)
    assert (assign["type"], assign["stream"], assign["targets"]) == ("assign", stream.pk, ["fr"])
    await ws.send_json_to({"type": "ready", "stream": stream.pk, "rtp_port": 40000})
    await ws.send_json_to(
        {
            "type": "final",
            "stream": stream.pk,
            "text": "Hello.",
            "start": 1.7e9,
            "end": 1.7e9 + 1,
            "translations": {"fr": "Bonjour."},
        }
    )
    await ws.send_json_to({"type": "heartbeat", "lags": {}})
    await ws.disconnect()

    def check() -> tuple[Any, ...]:
        stream.refresh_from_db()
        return (
            stream.status,
            sorted(CaptionSegment.objects.values_list("language", "text")),
            SpeechWorker.objects.get().is_connected,
        )

    status, texts, connected = await database_sync_to_async(check)()
    # Disconnecting put the stream back to wait for another worker.
    assert status == CaptionStream.Status.WAITING
    assert ("en", "Hello.") in texts and ("fr", "Bonjour.") in texts
    assert not connected


async def test_a_wrong_token_closes_the_socket() -> None:
    ws = await _connect()
    await ws.send_json_to({"type": "hello", "token": "guess"})
    closed = await ws.receive_output(timeout=5)
    assert closed == {"type": "websocket.close", "code": 4403}
    assert not await database_sync_to_async(SpeechWorker.objects.exists)()


async def test_messages_before_hello_close_the_socket() -> None:
    ws = await _connect()
    await ws.send_json_to({"type": "heartbeat", "lags": {}})
    assert (await ws.receive_output(timeout=5))["code"] == 4403


async def test_malformed_message_gets_an_error_and_keeps_the_socket() -> None:
    ws = await _connect()
    await ws.send_json_to({"type": "final", "stream": "x"})
    assert (await ws.receive_json_from(timeout=5))["type"] == "error"
    await ws.send_json_to({"type": "hello", "token": services.worker_token()})
    assert (await ws.receive_json_from(timeout=5))["type"] == "welcome"
    await ws.disconnect()


async def test_a_silent_worker_is_reported_lost_and_its_socket_closed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Its connection still open (a frozen process, a host gone without a reset): the
    watchdog notices the missing heartbeats."""
    import datetime as dt

    # Read by the socket's watchdog (through the package), by the assignment of
    # waiting streams and by the expiry of stale workers.
    for module in (services, streams, workers):
        monkeypatch.setattr(module, "WORKER_TIMEOUT", dt.timedelta(seconds=0.5))
    stream = await database_sync_to_async(_stream)()
    ws = await _connect()
    await ws.send_json_to({"type": "hello", "token": services.worker_token(), "name": "t"})
    assert (await ws.receive_json_from(timeout=5))["type"] == "welcome"
    assert (await ws.receive_json_from(timeout=5))["type"] == "assign"
    await ws.send_json_to({"type": "ready", "stream": stream.pk, "rtp_port": 40000})
    # ...and then nothing.
    closed = await ws.receive_output(timeout=5)
    assert closed["type"] == "websocket.close"

    def check() -> tuple[Any, ...]:
        stream.refresh_from_db()
        return stream.status, stream.interruption, SpeechWorker.objects.get().is_connected

    assert await database_sync_to_async(check)() == (
        CaptionStream.Status.WAITING,
        CaptionStream.Interruption.WORKER_LOST,
        False,
    )
    await ws.disconnect()
