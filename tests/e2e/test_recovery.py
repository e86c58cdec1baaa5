"""Crashes cost seconds: ``plenary serve`` for real, its children killed, itself restarted.

A remote delegate holds the floor and speaks (Chromium, a fake microphone
playing synthesised speech); an observer listens (Chromium). Both pages run
the product's own media client. Then Janus is SIGKILLed under the server's
supervisor, once and then twice in a row, and the server itself is stopped
and started again: each time the observer hears the floor holder again
(cross-correlation with the speech) with no action by anyone. Runs inside a
network namespace (``tests.e2e.netns``); outside, one test reports each
scenario.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.netns import IN_NAMESPACE, reporting

pytestmark = pytest.mark.e2e

SCENARIOS = [
    "test_janus_killed_under_serve_is_restarted_and_the_floor_holder_is_heard_again",
    "test_after_a_server_restart_the_floor_holder_is_heard_without_the_chair_acting",
]
VOICE = "Thank you, Chair. Ghana supports the proposal on the agenda."


if not IN_NAMESPACE:
    namespace_results, test_in_private_network = reporting(__file__, SCENARIOS)

    def test_a_killed_speech_worker_is_restarted_by_serve_and_sigterm_stops_all(
        tmp_path: Path,
    ) -> None:
        """The supervisor's part (the captions' part: ``plenary.speech.tests.test_recovery``)."""
        from tests.e2e.served import Served, until

        served = Served(tmp_path, speech_worker=True, ice_interface="")
        served.stage()
        served.start()
        try:
            first = served.child_pid("speech-worker")
            served.kill_child("speech-worker")
            until(
                lambda: served.component("process.speech-worker")["data"]["restarts"] == 1,
                60,
                "the worker to be restarted",
            )
            worker = served.child_pid("speech-worker")
            assert worker != first
            entries = served.health()["components"]["process.speech-worker"]
            assert entries["data"]["last_exit"] == -9
            janus = served.child_pid("janus")
        finally:
            served.stop(signal.SIGTERM)  # to the pid ./scripts/run prints
        assert "speech-worker exited with status -9; restarting" in served.log()
        # Stopping the server stopped its children too.
        assert not Path(f"/proc/{worker}").exists()
        assert not Path(f"/proc/{janus}").exists()

    # Run by ``plenary shell`` in the served data folder: a finished recording of a minute
    # (Janus's files put in place) whose packaging is queued, as the stop queues it.
    QUEUE_PACKAGING = """
from django.utils import timezone
from plenary.core.tasks import enqueue
from plenary.meetings.models import Session
from plenary.recordings import services
from plenary.recordings.models import Recording
from plenary.recordings.tests.helpers import janus_wav, tone_at
recording = Recording.objects.create(
    session=Session.objects.first(), started_at=timezone.now(), status="queued"
)
janus_wav(recording.wav_folder("floor"), 1_800_000_000.0, tone_at(60, 1.0, length=50))
enqueue(services.package_recording, recording.pk)
print(recording.pk)
"""

    def _queue_packaging(served: Any, folder: Path) -> Callable[[], tuple[str, int]]:
        """A recording's packaging queued in the served database; its (status, attempts)."""
        import sqlite3
        import subprocess
        import sys

        from tests.e2e.served import ROOT

        shell = [sys.executable, "-m", "plenary", "shell", "-c", QUEUE_PACKAGING]
        queued = subprocess.run(  # noqa: S603 - our own interpreter and command
            shell, cwd=ROOT, env=served.env, capture_output=True, text=True, check=True
        )
        recording_id = int(queued.stdout.strip().splitlines()[-1])

        def packaging() -> tuple[str, int]:
            with contextlib.closing(sqlite3.connect(folder / "plenary.sqlite3", timeout=10)) as db:
                row = db.execute(
                    "SELECT status, attempts FROM recordings_recording WHERE id = ?",
                    (recording_id,),
                ).fetchone()
            return str(row[0]), int(row[1])

        return packaging

    def test_the_task_worker_killed_mid_job_is_restarted_and_the_job_done_again(
        tmp_path: Path,
    ) -> None:
        """A recording's packaging is running when the task worker is SIGKILLed: the
        supervisor starts another, which queues the abandoned job again and does it."""
        from tests.e2e.served import Served, until

        served = Served(tmp_path, ice_interface="")
        served.stage()
        packaging = _queue_packaging(served, tmp_path)
        served.start()
        try:
            until(lambda: packaging()[0] == "packaging", 60, "the packaging to start")
            served.kill_child("tasks-worker")  # in the middle of the job
            until(
                lambda: served.component("process.tasks-worker")["data"]["restarts"] == 1,
                60,
                "the task worker to be restarted",
            )
            until(lambda: packaging()[0] == "ready", 120, "the packaging to be done")
            assert packaging() == ("ready", 2)  # done by the second worker, from the start
        finally:
            served.stop(signal.SIGTERM)
        assert "left running by a dead worker: queued again" in served.log()

    def test_a_job_left_by_a_dead_worker_host_is_taken_up_by_another_worker(
        tmp_path: Path,
    ) -> None:
        """Scale-out: two ``plenary tasks-worker`` on one database, no supervisor. The one
        packaging a recording is SIGKILLed (its host died); the other, started after,
        sees that its heartbeat stopped, queues the job again and does it."""
        import subprocess
        import sys

        from tests.e2e.served import ROOT, Served, until

        served = Served(tmp_path, ice_interface="")
        served.stage()
        packaging = _queue_packaging(served, tmp_path)
        env = {**served.env, "PLENARY_TASKS_WORKER_TIMEOUT": "3"}
        workers = []
        for name in ("first", "second"):
            log = (tmp_path / f"{name}.log").open("ab")
            workers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "plenary", "tasks-worker", "--interval", "0.2"],
                    cwd=ROOT,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            log.close()
            if name == "first":
                until(lambda: packaging()[0] == "packaging", 60, "the packaging to start")
                workers[0].kill()
                workers[0].wait(10)
        try:
            until(lambda: packaging()[0] == "ready", 120, "the packaging to be done")
            assert packaging() == ("ready", 2)
        finally:
            workers[1].terminate()
            workers[1].wait(30)
        assert "whose heartbeat stopped: queued again" in (tmp_path / "second.log").read_text()

    def test_the_live_origin_killed_under_serve_is_restarted_and_the_webcast_goes_on(
        tmp_path: Path,
    ) -> None:
        """The staged session opened, so it is recorded; Janus writes its files and the
        live origin follows them (the staging process's decision to record is not in this
        server's memory: the recording is taken up again at start). Killed, the origin is
        restarted and the live playlist goes on from the live edge, with no action by
        anyone."""
        from tests.e2e.served import Served, until

        served = Served(tmp_path, ice_interface="")
        served.stage()
        served.start()
        try:
            playlists = tmp_path / "recordings"

            def floor_playlist() -> Path | None:
                return next(iter(playlists.glob("*/live/floor/index.m3u8")), None)

            def segments() -> list[str]:
                found = floor_playlist()
                text = found.read_text() if found else ""
                return [line for line in text.splitlines() if line.endswith(".ts")]

            until(lambda: len(segments()) >= 2, 60, "the live playlist of the floor")
            before = segments()
            served.kill_child("live-origin")
            until(
                lambda: served.component("process.live-origin")["data"]["restarts"] == 1,
                60,
                "the live origin to be restarted",
            )
            last = int(before[-1].removesuffix(".ts"))
            until(
                lambda: int(segments()[-1].removesuffix(".ts")) >= last + 3,
                60,
                "the playlist to go on",
            )
            found = floor_playlist()
            assert found is not None and "#EXT-X-ENDLIST" not in found.read_text()
            after = segments()
            assert after == sorted(set(after)) and after[-1] > before[-1]  # none written over
        finally:
            served.stop(signal.SIGTERM)

else:
    from plenary.media import probes
    from tests.e2e.served import (
        Served,
        chromium,
        heard_again,
        listen,
        open_page,
        speak,
        until,
    )

    @pytest.fixture
    def voice(tmp_path: Path) -> tuple[probes.Signal, Path]:
        return probes.speech(VOICE, tmp_path)

    @pytest.fixture
    def browser(voice: tuple[probes.Signal, Path]) -> Iterator[Any]:
        with chromium(voice[1]) as browser:
            yield browser

    @pytest.fixture
    def served(tmp_path: Path) -> Iterator[Served]:
        folder = tmp_path / "served"
        folder.mkdir()
        served = Served(folder)
        yield served
        if served.process is not None and served.process.poll() is None:
            served.stop()

    def _session(served: Served, browser: Any) -> tuple[Any, Any]:
        staged = served.stage()
        served.start()
        cookie, sid = staged["cookie_name"], staged["session_id"]
        speaking = open_page(browser, served, cookie, staged["delegate"])
        speak(speaking, served, sid)
        listening = open_page(browser, served, cookie, staged["observer"])
        listen(listening, served, sid)
        return speaking, listening

    def test_janus_killed_under_serve_is_restarted_and_the_floor_holder_is_heard_again(
        served: Served, browser: Any, voice: tuple[probes.Signal, Path]
    ) -> None:
        samples, _ = voice
        _speaking, listening = _session(served, browser)
        heard_again(listening, samples, "the floor before any crash")

        before = served.kill_child("janus")
        until(
            lambda: served.component("process.janus")["data"]["restarts"] == before + 1,
            30,
            "Janus to be restarted",
        )
        heard_again(listening, samples, "the floor after Janus was killed")

        # Twice in a row: killed again as soon as it is back.
        served.kill_child("janus")
        until(
            lambda: served.component("process.janus")["data"]["restarts"] == before + 2,
            30,
            "the second restart",
        )
        served.kill_child("janus")
        until(
            lambda: served.component("process.janus")["data"]["restarts"] == before + 3,
            30,
            "the third restart",
        )
        heard_again(listening, samples, "the floor after Janus was killed twice in a row")
        assert served.component("process.janus")["status"] == "running"

    def test_after_a_server_restart_the_floor_holder_is_heard_without_the_chair_acting(
        served: Served, browser: Any, voice: tuple[probes.Signal, Path]
    ) -> None:
        samples, _ = voice
        _speaking, listening = _session(served, browser)
        heard_again(listening, samples, "the floor before the restart")
        janus = served.child_pid("janus")

        served.stop(signal.SIGTERM)  # as ./scripts/run's pid is stopped
        assert not Path(f"/proc/{janus}").exists(), "Janus outlived the server"
        served.start()
        heard_again(listening, samples, "the floor after the server restart")
