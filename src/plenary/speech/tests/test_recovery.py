"""A speech worker killed mid-session: real processes end to end.

A real uvicorn server (``live_server_url``), real ``plenary speech-worker``
processes (tiny.en, Silero VAD), Piper speech played as Opus RTP to whatever
port the stream's worker listens on (``recovery.Forwarder``, standing in for
Janus's ``rtp_forward``, which the media tests cover), a delegate's real
session socket, and ``/healthz`` over HTTP.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import threading
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from plenary.accounts.tests.helpers import verified_session_cookie
from plenary.meetings.models import Participation, Sector, Session
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory
from plenary.speech import recovery, services
from plenary.speech.models import CaptionSegment, CaptionStream
from plenary.speech.tests.speechdata import ENGLISH, speak

pytestmark = pytest.mark.django_db(transaction=True)


class SessionSocket:
    """A delegate's session socket, subscribed to English captions; keeps every event."""

    def __init__(self, server_url: str, session_id: int, user: Any) -> None:
        cookie = verified_session_cookie(user, server_url)
        self._opened = contextlib.ExitStack()
        self._socket: ClientConnection = self._opened.enter_context(
            connect(
                server_url.replace("http://", "ws://") + f"/ws/sessions/{session_id}/",
                origin=Origin(server_url),
                additional_headers={"Cookie": f"{cookie['name']}={cookie['value']}"},
            )
        )
        self.events: list[dict[str, Any]] = []
        self._changed = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self._socket.send(json.dumps({"v": 1, "type": "captions.subscribe", "language": "en"}))
        self.wait_for(lambda e: e["type"] == "captions.snapshot")

    def _read(self) -> None:
        try:
            for raw in self._socket:
                with self._changed:
                    self.events.append(json.loads(raw))
                    self._changed.notify_all()
        except ConnectionClosed:
            pass

    def wait_for(
        self, match: Callable[[dict[str, Any]], bool], *, after: int = 0, timeout: float = 60
    ) -> tuple[int, Any]:
        """The first event from index ``after`` on that ``match``es, and its index."""

        def found() -> tuple[int, Any] | None:
            return next(
                ((i, e) for i, e in enumerate(self.events) if i >= after and match(e)), None
            )

        with self._changed:
            if not self._changed.wait_for(lambda: found() is not None, timeout=timeout):
                raise AssertionError(f"no such event among {[e['type'] for e in self.events]}")
            return found()  # type: ignore[return-value]

    def of_type(self, type_: str) -> list[dict[str, Any]]:
        with self._changed:
            return [e for e in self.events if e["type"] == type_]

    def close(self) -> None:
        self._opened.close()
        self._reader.join(timeout=10)


def _speech_health(server_url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{server_url}/healthz", timeout=30) as response:  # noqa: S310 - our test server
        return dict(json.load(response)["components"]["speech"])


@pytest.fixture
def session() -> Session:
    # Transactional tests flush the sectors that a data migration created.
    sector, _ = Sector.objects.get_or_create(code=Sector.Code.STANDARDIZATION)
    return SessionFactory.create(meeting__sector=sector, meeting__languages=["en"])


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for worker in started:
        if worker.poll() is None:
            worker.terminate()
            worker.wait(timeout=30)


def test_a_killed_worker_is_replaced_and_the_gap_spans_the_outage(
    live_server_url: str, session: Session, workers: list[subprocess.Popen[bytes]]
) -> None:
    """SIGKILL the worker while it captions the floor: the session's sockets see the
    stream waiting because its worker stopped, ``/healthz`` says speech is degraded;
    a new worker takes the stream, captions resume, and one gap spans the outage,
    from the dead worker's last caption to the moment the new worker listens.

    The second worker process is started by the test: it stands in for the
    restart by ``plenary serve``'s supervisor (tested with ``core.children``);
    to the server a restarted worker is a new worker connecting.
    """
    meeting = session.meeting
    chair = ParticipationFactory.create(meeting=meeting, role=Participation.Role.CHAIR).user
    delegate = ParticipationFactory.create(meeting=meeting, role=Participation.Role.DELEGATE).user
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    watcher = SessionSocket(live_server_url, session.pk, delegate)
    workers.append(recovery.start_worker(live_server_url, "first"))
    forwarder = recovery.Forwarder(stream.pk, speak(ENGLISH, "en").audio)
    forwarder.start()
    try:
        recovery.wait_for(
            lambda: recovery.captions_after(stream.pk, stream.started_at), "a first caption"
        )
        assert _speech_health(live_server_url)["status"] == "ok"

        marks: list[int] = []

        def while_waiting() -> None:
            mark, waiting = watcher.wait_for(
                lambda e: e["type"] == "captions.stream" and e["stream"]["status"] == "waiting"
            )
            marks.append(mark)
            assert waiting["stream"]["interruption"] == "worker_lost"
            assert waiting["stream"]["interrupted_at"] is not None
            health = _speech_health(live_server_url)
            assert health["status"] == "degraded", health
            assert "1 caption stream(s) without a worker" in health["detail"]
            assert [w["interruption"] for w in health["data"]["waiting"]] == ["worker_lost"]
            workers.append(recovery.start_worker(live_server_url, "second"))

        result = recovery.kill_and_recover(stream.pk, workers[0], restart=while_waiting)
        # The sockets are told the stream is live again, the interruption over.
        _, live_again = watcher.wait_for(
            lambda e: e["type"] == "captions.stream" and e["stream"]["status"] == "live",
            after=marks[0],
        )
    finally:
        forwarder.stop()
        watcher.close()

    assert live_again["stream"]["interruption"] == ""
    before_kill = CaptionSegment.objects.filter(
        stream=stream, kind=CaptionSegment.Kind.RECOGNISED, created_at__lt=result.killed_at
    )
    last_heard = max(segment.ends_at for segment in before_kill)
    [gap] = CaptionSegment.objects.filter(
        stream=stream, kind=CaptionSegment.Kind.GAP, ends_at__gte=result.killed_at
    )
    # From the dead worker's last caption, through the kill and the restart, to the
    # moment the new worker listened: not only up to the kill.
    assert gap.starts_at == last_heard <= result.killed_at
    assert result.restarted_at <= gap.ends_at <= result.listening_at
    assert result.caption.starts_at >= gap.ends_at
    # The sockets were shown the gap as it opened, then again with its whole span.
    shown = [
        e["segment"] for e in watcher.of_type("captions.final") if e["segment"]["id"] == gap.pk
    ]
    assert len(shown) == 2 and shown[-1]["ends_at"] == gap.ends_at.isoformat()
    stream.refresh_from_db()
    assert (stream.status, stream.interruption, stream.outage_id) == (
        CaptionStream.Status.LIVE,
        "",
        None,
    )
    assert _speech_health(live_server_url)["status"] == "ok"
