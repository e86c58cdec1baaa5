"""Audio in -> speech worker -> captions in a delegate's browser, end to end.

A real uvicorn server, a real worker client on the worker socket, Opus RTP
sent to the worker's port (standing in for Janus's ``rtp_forward``, which the
media tests cover), tiny.en recognising Piper speech, and Chromium showing the
caption panel on the session socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from typing import Any

import pytest
from django.db import connections

from plenary.accounts.tests.helpers import verified_session_cookie
from plenary.meetings.models import Participation, Sector, Session
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory
from plenary.speech import services
from plenary.speech.engines.base import Speech
from plenary.speech.models import CaptionSegment, CaptionStream
from plenary.speech.rtp import OpusSender
from plenary.speech.tests.speechdata import ENGLISH, speak
from plenary.speech.worker.client import WorkerClient

pytestmark = pytest.mark.e2e


@pytest.fixture
def session() -> Session:
    # Transactional tests flush the sectors that a data migration created.
    sector, _ = Sector.objects.get_or_create(code=Sector.Code.STANDARDIZATION)
    return SessionFactory.create(meeting__sector=sector, meeting__languages=["en", "es"])


def _wait_for_port(stream: CaptionStream, timeout: float = 30) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stream.refresh_from_db()
        if stream.rtp_port:
            return stream.rtp_port
        time.sleep(0.1)
    raise AssertionError(f"the worker never listened: {stream.status} {stream.detail}")


def test_speech_reaches_a_delegates_caption_panel(
    live_url: str, session: Session, new_page: Any
) -> None:
    chair = ParticipationFactory.create(meeting=session.meeting, role=Participation.Role.CHAIR).user
    delegate = ParticipationFactory.create(
        meeting=session.meeting, role=Participation.Role.DELEGATE
    ).user
    # Started before any worker connects, so the server does all the publishing
    # that matters; in a thread because Playwright runs an event loop in this one.
    stream = _in_thread(services.do_start_stream, chair, session.pk, "floor", "en")

    page = new_page()
    page.context.add_cookies([verified_session_cookie(delegate, live_url)])
    page.goto(f"{live_url}/captions/sessions/{session.pk}/")
    page.get_by_text("Machine-generated").first.wait_for()
    page.locator("#caption-status").filter(has_text="waiting for a speech worker").wait_for()

    spoken = speak(ENGLISH[:1], "en")
    worker_thread = _start_worker(live_url)
    try:
        port = _wait_for_port(stream)
        samples = (spoken.audio * 32767).astype("int16")
        sender = OpusSender("127.0.0.1", port)
        sender.send(Speech(samples, 16_000), realtime=False)
        sender.close()

        page.locator("#caption-lines").filter(has_text="called to order").wait_for(timeout=60_000)
        # Spanish has neither a booth nor an installed English -> Spanish model: the panel says so.
        page.locator("#caption-language").select_option("es")
        page.locator("#caption-status").filter(
            has_text="no translation model for English → Spanish is installed"
        ).wait_for()
    finally:
        worker_thread()

    segment = CaptionSegment.objects.get(session=session, kind=CaptionSegment.Kind.RECOGNISED)
    assert "order" in segment.text.lower()
    vtt = page.request.get(f"{live_url}/captions/sessions/{session.pk}/transcript.vtt?language=en")
    assert vtt.ok and "called to order" in vtt.text().lower()


def _in_thread(function: Any, *args: Any) -> Any:
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(function(*args))
        finally:
            connections.close_all()  # this thread's connection, or PostgreSQL keeps the test DB

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return result[0]


def _start_worker(live_url: str) -> Any:
    """Run a worker client in its own thread and event loop; returns a function that stops it."""
    url = live_url.replace("http://", "ws://") + "/ws/speech/worker/"
    client = WorkerClient(url, services.worker_token(), name="e2e")
    loop = asyncio.new_event_loop()
    task = loop.create_task(client.run_once())

    def run() -> None:
        with contextlib.suppress(asyncio.CancelledError):
            loop.run_until_complete(task)
        loop.close()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()

    def stop() -> None:
        loop.call_soon_threadsafe(task.cancel)
        thread.join(timeout=10)
        client.stop_all()

    return stop
