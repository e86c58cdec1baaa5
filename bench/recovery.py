"""./scripts/bench recovery: what a crash costs the participants, with ``plenary serve`` for real.

Runs itself inside a private network namespace (``unshare -n`` and a veth
pair; root needed), as the media tests do. A staged session: a remote
delegate holds the floor and speaks into a Chromium tab (a fake microphone
playing a tone), an observer listens in another Chromium tab; both run the
product's own media client. Then, ``--runs`` times each:

- ``janus_kill_to_audio``: SIGKILL of the Janus child until the listener
  hears the floor again (Janus restarted by the supervisor, rooms rebuilt,
  moderation re-applied, both pages' legs re-made by themselves). Goal ≤ 5 s.
- ``server_ready_to_audio`` and ``server_ready_to_floor_event``: the server
  stopped (SIGTERM) and started again; from the moment it serves (``/healthz``
  answers) until the listener hears the floor again, and until the
  listener's page got its first floor message (the snapshot) on its
  reconnected socket. Goal ≤ 5 s.
- ``worker_kill_to_waiting``, ``_listening`` and ``_captions``: SIGKILL of a
  real ``plenary speech-worker`` captioning a stream until the server shows
  the stream waiting, a worker listens again, and the first caption after the
  kill is stored (``bench/recovery_speech.py``, run from here; another worker
  process stands in for the supervisor's restart). ``--no-speech`` leaves it out.

Each figure is printed as min, median and max over the runs. Baseline (the
same run): ``first_audio``, a fresh listener tab from "Start listening" to
audio, i.e. what joining costs without any crash. Each line carries the
one-minute load average at the end of its part.

Options: --runs 5, --no-speech.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from tests.e2e.netns import run_in_namespace  # noqa: E402

run_in_namespace()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plenary.config.settings")

import numpy as np  # noqa: E402
from _figures import spread  # noqa: E402
from tests.e2e.served import Served, chromium, hears_floor, listen, open_page, speak  # noqa: E402

from plenary.core.children import STABLE_AFTER_SECONDS  # noqa: E402
from plenary.media import probes  # noqa: E402

# When each floor message (snapshot) reached the page, in the machine's wall-clock seconds.
SOCKET_TIMES = """
    window.plenarySnapshots = [];
    window.WebSocket = class extends window.WebSocket {
        constructor(...args) {
            super(...args);
            this.addEventListener("message", (e) => {
                const now = (performance.timeOrigin + performance.now()) / 1000;
                if (/"type": ?"snapshot"/.test(e.data)) window.plenarySnapshots.push(now);
            });
        }
    };
"""
STEP_S = 0.1
PAGE_STATE = """async () => ({
    state: window.plenaryMediaState,
    stats: await window.plenaryFloorStats(),
    peers: window.plenaryPeers.map((p) => [p.connectionState, p.iceConnectionState]),
    status: [...document.querySelectorAll("[role=status]")].map((e) => e.textContent.trim()),
})"""


def emit_spread(metric: str, values: list[float], baseline: float | None) -> None:
    spread("recovery", metric, values, "s", baseline)


def tone_wav(folder: Path) -> Path:
    path = folder / "tone.wav"
    samples = probes.tone(440, 10)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(probes.RATE)
        out.writeframes((samples * 32767).astype(np.int16).tobytes())
    return path


def until_heard(page: Any, limit: float = 60.0) -> float:
    """Poll the listener in short windows; the monotonic time of the first window with audio."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if hears_floor(page, STEP_S):
            return time.monotonic()
    raise RuntimeError("the listener did not hear the floor again")


def until_silent(page: Any, limit: float = 10.0) -> None:
    """Until no packet arrives: the crash has reached the listener."""
    deadline = time.monotonic() + limit
    while hears_floor(page, STEP_S):
        if time.monotonic() > deadline:
            raise RuntimeError("the listener kept hearing the floor: nothing broke")


def what_pages_show(served: Served, pages: dict[str, Any]) -> str:
    """For a run that failed: each tab's media state and status line, and the server's log."""
    shown = {}
    for name, page in pages.items():
        try:
            shown[name] = page.evaluate(PAGE_STATE)
        except Exception as error:  # a report, whatever the page's state
            shown[name] = repr(error)
    kept = Path(tempfile.gettempdir()) / "recovery-serve.log"
    shutil.copy(served.folder / "serve.log", kept)
    return json.dumps(shown, indent=1, default=str) + f"\nthe server's log: {kept}"


def measure(
    runs: int, action: Callable[[], float], page: Any, report: Callable[[], str]
) -> list[float]:
    """``action()`` breaks something and returns the moment to measure from.

    Each crash is a separate incident: the next comes once the restarted child has
    stayed up long enough to count as recovered (``STABLE_AFTER_SECONDS``); five
    deaths in a row without that are a crash loop, which the supervisor reports as
    down and retries every minute (``plenary.core.children``; tested there)."""
    values = []
    for run in range(runs):
        since = action()
        until_silent(page)
        try:
            values.append(until_heard(page) - since)
        except RuntimeError:
            print(f"run {run + 1} of {runs} failed:\n{report()}", file=sys.stderr, flush=True)
            raise
        time.sleep(max(0.0, STABLE_AFTER_SECONDS + 1 - (time.monotonic() - since)))
    return values


def media_part(runs: int, folder: Path) -> None:
    served = Served(folder / "served")
    served.folder.mkdir()
    staged = served.stage()
    served.start()
    cookie, sid = staged["cookie_name"], staged["session_id"]
    try:
        with chromium(tone_wav(folder)) as browser:
            speaking = open_page(browser, served, cookie, staged["delegate"])
            speak(speaking, served, sid)
            first = []
            for _ in range(runs):
                page = open_page(browser, served, cookie, staged["observer"])
                page.goto(f"{served.url}/media/sessions/{sid}/listen/")
                start = time.monotonic()
                page.get_by_role("button", name="Start listening", exact=True).click()
                first.append(until_heard(page) - start)
                page.context.close()
            baseline = statistics.median(first)
            emit_spread("first_audio", first, None)

            listening = open_page(browser, served, cookie, staged["observer"])
            listening.add_init_script(SOCKET_TIMES)
            listen(listening, served, sid)
            until_heard(listening)

            def kill_janus() -> float:
                served.kill_child("janus")
                return time.monotonic()

            def report() -> str:
                return what_pages_show(served, {"listener": listening, "speaker": speaking})

            emit_spread(
                "janus_kill_to_audio", measure(runs, kill_janus, listening, report), baseline
            )

            audio, events = [], []
            for _ in range(runs):
                served.stop(signal.SIGTERM)
                ready = served.start()
                ready_wall = time.time() - (time.monotonic() - ready)
                audio.append(until_heard(listening) - ready)
                snapshots = listening.evaluate("window.plenarySnapshots")
                after = [t for t in snapshots if t >= ready_wall]
                events.append(after[0] - ready_wall if after else float("nan"))
                time.sleep(1.0)
            emit_spread("server_ready_to_audio", audio, baseline)
            emit_spread("server_ready_to_floor_event", events, baseline)
    finally:
        served.stop()


def speech_part(runs: int) -> None:
    """The speech worker's part, ``bench/recovery_speech.py``: its lines as they come."""
    subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(ROOT / "bench" / "recovery_speech.py"), "--runs", str(runs)],
        check=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-speech", action="store_true")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        media_part(options.runs, Path(folder))
    if not options.no_speech:
        speech_part(options.runs)


if __name__ == "__main__":
    main()
