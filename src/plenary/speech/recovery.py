"""A speech worker's death and the captions' recovery, with real processes.

Shared by the test (``speech/tests/test_recovery.py``) and the benchmark
(``bench/recovery_speech.py``, for ``./scripts/bench recovery``):
a real ``plenary speech-worker`` process captions a stream while
:class:`Forwarder` plays speech to whatever port the stream's worker listens
on (standing in for Janus's ``rtp_forward``, which the media plane moves when
the stream changes worker); :func:`kill_and_recover` SIGKILLs the worker and
measures, from the kill, when the server saw the stream waiting, when a
worker listened again and when the first caption after the kill was stored.

Everything reads the database the server writes (the caller's), so the
caller runs the server (a test's live server, or ``plenary serve``) against
the same database. Nothing here asserts: the test does, the bench prints.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
from django.db import close_old_connections, connection
from django.utils import timezone

from plenary.speech import services
from plenary.speech.engines.base import ASR_SAMPLE_RATE, FloatAudio, Speech
from plenary.speech.models import CaptionSegment, CaptionStream
from plenary.speech.rtp import FRAME_SAMPLES, OPUS_RATE, OpusSender

T = TypeVar("T")

FRAME_S = FRAME_SAMPLES / OPUS_RATE


def worker_url(server_url: str) -> str:
    """The worker socket of the server at ``http://host:port``."""
    return server_url.replace("http://", "ws://").replace("https://", "wss://") + (
        "/ws/speech/worker/"
    )


def start_worker(server_url: str, name: str = "recovery") -> subprocess.Popen[bytes]:
    """A real ``plenary speech-worker`` process against ``server_url``, with this
    process's settings and the workers' token (what ``plenary serve`` starts)."""
    env = {**os.environ, "PLENARY_SPEECH_WORKER_TOKEN": services.worker_token()}
    command = [sys.executable, "-m", "plenary", "speech-worker"]
    command += ["--url", worker_url(server_url), "--name", name]
    return subprocess.Popen(command, env=env)  # noqa: S603 - our own interpreter and command


def wait_for(probe: Callable[[], T | None], what: str, timeout: float = 120.0) -> T:
    """Poll ``probe`` (fresh database reads each time) until it returns something."""
    deadline = time.monotonic() + timeout
    while True:
        close_old_connections()
        found = probe()
        if found is not None and found is not False:
            return found
        if time.monotonic() > deadline:
            raise TimeoutError(f"never happened: {what}")
        time.sleep(0.05)


def listening(stream_id: int, *, not_worker: int | None = None) -> CaptionStream | None:
    """The stream, if a worker (other than ``not_worker``) listens to it now."""
    stream = CaptionStream.objects.filter(
        pk=stream_id, status=CaptionStream.Status.LIVE, rtp_port__isnull=False
    ).first()
    if stream is None or (not_worker is not None and stream.worker_id == not_worker):
        return None
    return stream


def captions_after(stream_id: int, moment: dt.datetime) -> CaptionSegment | None:
    """The first recognised caption of the stream stored after ``moment``."""
    return (
        CaptionSegment.objects.filter(
            stream_id=stream_id, kind=CaptionSegment.Kind.RECOGNISED, created_at__gt=moment
        )
        .order_by("created_at", "id")
        .first()
    )


class Forwarder(threading.Thread):
    """Plays ``audio`` over and over at real-time pace, as Opus RTP, to the port the
    stream's worker listens on now (read every quarter second); nothing is sent
    while no worker listens, as when Janus's forward is stopped."""

    def __init__(self, stream_id: int, audio: FloatAudio) -> None:
        super().__init__(name=f"forward-stream-{stream_id}", daemon=True)
        self.stream_id = stream_id
        self._speech = Speech((np.clip(audio, -1, 1) * 32767).astype(np.int16), ASR_SAMPLE_RATE)
        self._stopping = threading.Event()
        self._destination: tuple[str, int] | None = None

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=10)

    def _follow(self) -> None:
        try:
            while not self._stopping.wait(0.25):
                close_old_connections()
                stream = listening(self.stream_id)
                self._destination = (stream.rtp_host, int(stream.rtp_port or 0)) if stream else None
        finally:
            connection.close()  # this thread's, or PostgreSQL keeps the test database open

    def run(self) -> None:
        follower = threading.Thread(target=self._follow, daemon=True)
        follower.start()
        # One sender: sequence numbers and timestamps go on from one pass to the next.
        sender = OpusSender("127.0.0.1", 9)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as out:
            started, sent = time.monotonic(), 0
            while not self._stopping.is_set():
                for datagram in sender.packets(self._speech):
                    delay = started + sent * FRAME_S - time.monotonic()
                    if delay > 0 and self._stopping.wait(delay):
                        break
                    sent += 1
                    if (destination := self._destination) is not None:
                        with contextlib.suppress(OSError):  # the worker just died
                            out.sendto(datagram, destination)
        sender.close()
        follower.join(timeout=5)


@dataclass(frozen=True)
class Recovery:
    """Seconds from the kill to each step, and the moments (server time) that bound
    the outage: the kill, the replacement's start, a worker seen listening again."""

    lost_s: float  # the server shows the stream waiting for a worker
    listening_s: float  # a worker listens to the stream again
    captions_s: float  # the first caption after the kill is stored
    killed_at: dt.datetime
    restarted_at: dt.datetime  # ``restart`` was called (or would have been)
    listening_at: dt.datetime
    caption: CaptionSegment


def kill_and_recover(
    stream_id: int,
    worker: subprocess.Popen[bytes] | int,
    *,
    restart: Callable[[], object] | None = None,
    timeout: float = 180.0,
) -> Recovery:
    """SIGKILL ``worker`` (a process or a pid) while it captions ``stream_id`` and wait
    until captions come again; a :class:`Forwarder` must be playing speech.

    ``restart`` runs once the server shows the stream waiting: it starts the
    replacement (the test, a bench without a supervisor) or observes (``None``:
    ``plenary serve``'s supervisor restarts its worker by itself).
    """
    before = wait_for(lambda: listening(stream_id), "a worker listens to the stream", timeout)
    pid = worker if isinstance(worker, int) else worker.pid
    killed_at, started = timezone.now(), time.monotonic()
    os.kill(pid, signal.SIGKILL)
    if not isinstance(worker, int):
        worker.wait()
    wait_for(
        lambda: CaptionStream.objects.filter(
            pk=stream_id, status=CaptionStream.Status.WAITING, interrupted_at__isnull=False
        ).exists(),
        "the server shows the stream waiting",
        timeout,
    )
    lost_s = time.monotonic() - started
    restarted_at = timezone.now()
    if restart is not None:
        restart()
    wait_for(
        lambda: listening(stream_id, not_worker=before.worker_id), "a worker listens again", timeout
    )
    listening_s, listening_at = time.monotonic() - started, timezone.now()
    caption = wait_for(lambda: captions_after(stream_id, killed_at), "captions again", timeout)
    return Recovery(
        lost_s=lost_s,
        listening_s=listening_s,
        captions_s=time.monotonic() - started,
        killed_at=killed_at,
        restarted_at=restarted_at,
        listening_at=listening_at,
        caption=caption,
    )
