# ruff: noqa: E402 - Django is set up before the project's modules are imported.
"""Speech-worker recovery: from a worker's SIGKILL to captions again, over N runs.

A server (uvicorn child, the project's ASGI application, no Janus) on a
fresh database, a floor caption stream, and a real ``plenary speech-worker``
process (tiny.en); ``speech.recovery.Forwarder`` plays Piper speech (three
meeting sentences, over and over) at real-time pace as Opus RTP to whatever
port the stream's worker listens on, as Janus's ``rtp_forward`` would. Each
run waits for a caption, SIGKILLs the worker and starts another at once —
standing in for ``plenary serve``'s supervisor, whose first restart has no
backoff — and measures from the kill:

- ``worker_kill_to_waiting``: the server shows the stream waiting (the dead
  socket noticed; sessions told, ``/healthz`` degraded);
- ``worker_kill_to_listening``: the new worker listens to the stream (process
  start, Django, model load, socket, assignment);
- ``worker_kill_to_captions``: the first caption after the kill is stored (the
  next sentence end the new worker hears, recognised).

Each figure: min, median and max over the runs (``--runs``, default 5), and
every run's value.

``--supervised``: the server is ``plenary serve`` instead, and its supervisor
restarts its embedded worker (the pid to kill is read from ``/healthz``,
``process.speech-worker``): the same figures, the supervisor's poll and
backoff included. Janus is left out there (``PLENARY_JANUS_URLS`` names a
port where none listens): the forwarder plays the speech, and the media
plane's warnings that it cannot reach Janus are expected, as in the default
mode. ``./scripts/bench recovery`` can run this file, or call
:func:`measure` with a stream of its own server (:func:`floor_stream` makes
one in the database the server uses).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plenary.config.settings")

import django

django.setup()

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from plenary.core.websocket import server_command
from plenary.meetings.models import Participation, Sector
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory
from plenary.speech import recovery, services
from plenary.speech.tests.speechdata import ENGLISH, speak

BENCH = "recovery"
ROOT = Path(__file__).resolve().parents[1]
FIGURES = {
    "worker_kill_to_waiting": "lost_s",
    "worker_kill_to_listening": "listening_s",
    "worker_kill_to_captions": "captions_s",
}


def emit(metric: str, values: list[float]) -> None:
    line = {
        "bench": BENCH,
        "metric": metric,
        "min": round(min(values), 3),
        "median": round(statistics.median(values), 3),
        "max": round(max(values), 3),
        "unit": "s",
        "runs": [round(value, 3) for value in values],
    }
    print(json.dumps(line), flush=True)


def floor_stream() -> int:
    """A session whose floor is captioned in English; the stream's id."""
    call_command("migrate", verbosity=0)
    session = SessionFactory.create(
        meeting__sector=Sector.objects.get(code=Sector.Code.STANDARDIZATION),
        meeting__languages=["en"],
    )
    chair = ParticipationFactory.create(meeting=session.meeting, role=Participation.Role.CHAIR)
    return services.do_start_stream(chair.user, session.pk, "floor", "en").pk


def measure(
    stream_id: int,
    worker: Callable[[], subprocess.Popen[bytes] | int],
    *,
    runs: int = 5,
    restart: Callable[[], object] | None = None,
) -> list[recovery.Recovery]:
    """``runs`` kills of the worker captioning ``stream_id`` (``worker()``: its process
    or pid now), each after a caption, each measured until captions come again; speech is
    played to the stream throughout. ``restart``: start the replacement (``None``:
    a supervisor does). Prints the figures and returns the runs."""
    forwarder = recovery.Forwarder(stream_id, speak(ENGLISH, "en").audio)
    forwarder.start()
    started = timezone.now()
    results: list[recovery.Recovery] = []
    try:
        recovery.wait_for(
            lambda: recovery.captions_after(stream_id, started),
            "a first caption",
            timeout=300,
        )
        for _ in range(runs):
            results.append(recovery.kill_and_recover(stream_id, worker(), restart=restart))
    finally:
        forwarder.stop()
    for metric, field in FIGURES.items():
        emit(metric, [getattr(result, field) for result in results])
    return results


def wait_for_port(server: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        if time.monotonic() > deadline or server.poll() is not None:
            sys.exit("the server did not start")
        time.sleep(0.1)


def supervised_worker(url: str, timeout: float = 120) -> int:
    """The pid of ``plenary serve``'s running speech worker, from ``/healthz``."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=30) as response:  # noqa: S310 - our server
                report = json.load(response)
        except urllib.error.HTTPError as error:  # 503: a component is down (here: Janus)
            report = json.load(error)
        child = report["components"].get("process.speech-worker", {})
        if pid := child.get("data", {}).get("pid"):
            return int(pid)
        if time.monotonic() > deadline:
            sys.exit(f"plenary serve runs no speech worker: {child}")
        time.sleep(0.2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--supervised", action="store_true", help="plenary serve restarts its own worker"
    )
    args = parser.parse_args()
    stream_id = floor_stream()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "PLENARY_SECRET_KEY": settings.SECRET_KEY}
    if args.supervised:
        env |= {
            "PLENARY_JANUS_URLS": "ws://127.0.0.1:9/",
            "PLENARY_JANUS_API_SECRET": "bench",
            "PLENARY_JANUS_ADMIN_KEY": "bench",
            "PLENARY_HEALTH_SAMPLE_SECONDS": "0",
        }
        command = [sys.executable, "-m", "plenary", "serve", "--port", str(port)]
    else:
        command = server_command(port, "--log-level", "warning")
    server = subprocess.Popen(command, cwd=ROOT, env=env)  # noqa: S603 - our own interpreter
    url = f"http://127.0.0.1:{port}"
    workers: list[subprocess.Popen[bytes]] = []
    try:
        wait_for_port(server, port)
        if args.supervised:
            measure(stream_id, lambda: supervised_worker(url), runs=args.runs)
        else:
            workers.append(recovery.start_worker(url, "bench"))
            measure(
                stream_id,
                lambda: workers[-1],
                runs=args.runs,
                restart=lambda: workers.append(recovery.start_worker(url, "bench")),
            )
    finally:
        for process in [*workers, server]:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
