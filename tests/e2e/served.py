"""``plenary serve`` in a child process, and Chromium pages on it: for the recovery
tests (``test_recovery``) and benchmark (``bench/recovery.py``), which kill its
children or restart it for real.

Run inside the network namespace of ``tests.e2e.netns`` (WebRTC needs an
interface other than loopback).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from plenary.core.tests.live import free_port
from tests.e2e.netns import INTERFACE, ROOT

CHROMIUM = os.environ.get("PLENARY_CHROMIUM", "/usr/bin/chromium")


def until(condition: Callable[[], Any], seconds: float, what: str) -> Any:
    """Wait (bounded) for ``condition`` to return something true; return it."""
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


class Serving(Protocol):
    """Where pages go: one ``Served``, or haproxy in front of several (``tests.e2e.topology``)."""

    url: str


class Served:
    """One ``plenary serve`` with a data folder (SQLite file, secret key) of its own."""

    def __init__(
        self, folder: Path, *, speech_worker: bool = False, ice_interface: str = INTERFACE
    ):
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
            "DJANGO_SETTINGS_MODULE": "plenary.config.settings",
            "PLENARY_DATA_DIR": str(folder),
            "PLENARY_JANUS_PORT": str(free_port()),
            "PLENARY_JANUS_ICE_INTERFACES": ice_interface,
            "PLENARY_SPEECH_EMBEDDED_WORKER": "true" if speech_worker else "false",
            "PLENARY_HEALTH_SAMPLE_SECONDS": "0",
        }
        self.process: subprocess.Popen[bytes] | None = None

    def stage(self) -> dict[str, Any]:
        """Migrate and stage an open session whose floor a remote delegate holds."""
        run = subprocess.run(
            [sys.executable, "-m", "tests.e2e.stage"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        if run.returncode != 0:
            raise RuntimeError(f"staging failed: {run.stderr[-3000:]}")
        return dict(json.loads(run.stdout.strip().splitlines()[-1]))

    def start(self) -> float:
        """Start the server; return once it serves (``time.monotonic()`` of that moment)."""
        log = (self.folder / "serve.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and command
            [sys.executable, "-m", "plenary", "serve", "--port", str(self.port)],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        until(lambda: self._answers() or self._exited(), 60, "the server to serve")
        if self.process.poll() is not None:
            raise RuntimeError(f"plenary serve exited; see {self.folder / 'serve.log'}")
        return time.monotonic()

    def _exited(self) -> bool:
        return self.process is not None and self.process.poll() is not None

    def _answers(self) -> bool:
        try:
            self.health()
        except OSError:
            return False
        return True

    def health(self) -> dict[str, Any]:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=5) as response:  # noqa: S310
                return dict(json.load(response))
        except urllib.error.HTTPError as error:  # 503: some component is not ok
            return dict(json.load(error))

    def component(self, name: str) -> dict[str, Any]:
        return dict(self.health()["components"][name])

    def child_pid(self, name: str) -> int:
        """The pid of a running supervised child (``janus``, ``speech-worker``)."""
        component = until(
            lambda: (c := self.component(f"process.{name}"))["status"] == "running" and c,
            30,
            f"{name} to run",
        )
        return int(component["data"]["pid"])

    def kill_child(self, name: str) -> int:
        """SIGKILL a supervised child, as a crash would; return its restart count before."""
        restarts = int(self.component(f"process.{name}")["data"]["restarts"])
        os.kill(self.child_pid(name), signal.SIGKILL)
        return restarts

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> int:
        """Stop the server with ``sig``; its exit status."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(30)

    def log(self) -> str:
        path = self.folder / "serve.log"
        return path.read_text(errors="replace")[-6000:] if path.exists() else "(not started)"


# Records what each page receives: every remote track, and a recorder of its
# samples through WebAudio (Chromium pulls remote audio into WebAudio while an
# element plays it, as the page's mixer does).
RECORDER = """
    window.plenaryTracks = [];
    window.plenaryPeers = [];
    const Original = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Original {
        constructor(...args) {
            super(...args);
            window.plenaryPeers.push(this);
            this.addEventListener("track", (e) => {
                window.plenaryTracks.push({mid: e.transceiver.mid, track: e.track});
            });
        }
    };
    // Packets and audio energy received on the floor by the newest open connection:
    // packets show that audio arrives (a dead leg's concealment has energy, no packets).
    window.plenaryFloorStats = async () => {
        const pc = window.plenaryPeers.filter((p) => p.connectionState !== "closed").pop();
        const out = {packets: 0, energy: 0};
        if (!pc) return out;
        (await pc.getStats()).forEach((s) => {
            if (s.type === "inbound-rtp" && s.kind === "audio" && s.mid === "floor") {
                out.packets += s.packetsReceived || 0;
                out.energy += s.totalAudioEnergy || 0;
            }
        });
        return out;
    };
    window.plenaryRecord = async (mid, seconds) => {
        const found = window.plenaryTracks
            .filter((t) => t.mid === mid && t.track.readyState === "live").pop();
        if (!found) return [];
        const ctx = new AudioContext({sampleRate: 48000});
        const source = ctx.createMediaStreamSource(new MediaStream([found.track]));
        const tap = ctx.createScriptProcessor(4096, 1, 1);
        const chunks = [];
        tap.onaudioprocess = (e) => chunks.push(Array.from(e.inputBuffer.getChannelData(0)));
        source.connect(tap); tap.connect(ctx.destination);
        await new Promise((done) => setTimeout(done, seconds * 1000));
        source.disconnect(); tap.disconnect(); await ctx.close();
        return chunks.flat();
    };
"""


@contextmanager
def chromium(fake_microphone: Path) -> Iterator[Any]:
    """Headless Chromium whose fake microphone plays ``fake_microphone`` (a WAV) in a loop."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-audio-capture={fake_microphone}",
                "--autoplay-policy=no-user-gesture-required",
                "--disable-features=WebRtcHideLocalIpsWithMdns",
                "--no-first-run",
                "--disable-background-networking",
            ],
        )
        yield browser
        browser.close()


def open_page(browser: Any, served: Serving, cookie_name: str, cookie: str) -> Any:
    """A tab signed in with ``cookie``, recording what it receives."""
    context = browser.new_context()
    context.set_default_timeout(30_000)
    context.add_cookies([{"name": cookie_name, "value": cookie, "url": served.url}])
    page = context.new_page()
    page.add_init_script(RECORDER)
    return page


def speak(page: Any, served: Serving, session_id: int) -> None:
    """The delegate's tab connects its microphone and, holding the floor, is on air."""
    page.goto(f"{served.url}/media/sessions/{session_id}/listen/")
    page.get_by_role("button", name="Connect my microphone", exact=True).click()
    page.get_by_text("On air: you are heard").wait_for()


def listen(page: Any, served: Serving, session_id: int) -> None:
    page.goto(f"{served.url}/media/sessions/{session_id}/listen/")
    page.get_by_role("button", name="Start listening", exact=True).click()
    page.wait_for_function("() => window.plenaryMediaState.listening")


def hears_floor(page: Any, seconds: float = 0.5) -> bool:
    """Whether floor audio arrives at the page during ``seconds``: packets coming in on
    its newest connection, carrying sound."""
    try:
        before = page.evaluate("window.plenaryFloorStats()")
        page.wait_for_timeout(seconds * 1000)
        after = page.evaluate("window.plenaryFloorStats()")
    except Exception:  # the page is between two legs
        return False
    arrived = after["packets"] > before["packets"] and after["energy"] > before["energy"] + 1e-5
    return bool(arrived)


def record_floor(page: Any, seconds: float) -> np.ndarray:
    return np.asarray(page.evaluate(f"window.plenaryRecord('floor', {seconds})"), np.float32)


def heard_again(listening: Any, voice: Any, what: str) -> float:
    """The observer hears the floor holder again, by itself: audio arriving (a bounded
    wait), then the speech itself (cross-correlation with ``voice``, a
    ``probes.Signal``). A leg may still be re-made once after the audio is back (a
    late reset), so a recording that a restart cut short is taken again, within the
    same bound. Returns ``time.monotonic()`` of the moment audio arrived again."""
    from plenary.media import probes

    deadline = time.monotonic() + 90
    best = 0.0
    while time.monotonic() < deadline:
        until(lambda: hears_floor(listening), max(1.0, deadline - time.monotonic()), what)
        arrived = time.monotonic()
        heard = record_floor(listening, 2 * len(voice) / probes.RATE + 0.5)
        best = max(best, probes.correlation(voice, heard))
        if best > 0.3:  # unrelated audio scores below 0.05
            return arrived
    raise AssertionError(f"{what}: the floor holder's speech correlates {best:.3f} at best")
