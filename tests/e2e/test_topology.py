"""Crashes cost seconds in a scale-out: the topology of ``tests.e2e.topology``, for real.

haproxy in front of two web servers, PostgreSQL, Redis, two Janus, two speech
workers (one stream each) and a task worker. A remote delegate holds the
floor and speaks (Chromium, a fake microphone playing synthesised speech),
an observer listens (Chromium), the floor is captioned in English. Then,
each on its own: every web server is SIGKILLed in turn (the pages reconnect
through haproxy to the other; the floor is as it was, and the observer hears
the floor holder again); the Janus the session is on is SIGKILLed (the
session moves to the other, the observer hears again); the speech worker
captioning the floor is SIGKILLed (the stream moves to the other worker, the
transcript marks the gap, captions go on). Nobody acts in between. Runs
inside a network namespace (``tests.e2e.netns``); outside, one test reports
each scenario.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.netns import IN_NAMESPACE, reporting

pytestmark = pytest.mark.e2e

SCENARIOS = [
    "test_each_web_server_killed_in_turn_costs_its_pages_a_reconnection",
    "test_the_janus_of_the_session_killed_moves_it_and_the_observer_hears_again",
    "test_the_speech_worker_killed_moves_its_stream_and_the_transcript_marks_the_gap",
]
VOICE = "Thank you, Chair. Ghana supports the proposal on the agenda."

if not IN_NAMESPACE:
    namespace_results, test_in_private_network = reporting(__file__, SCENARIOS, timeout=900)

else:
    from plenary.media import probes
    from tests.e2e.served import chromium, heard_again, listen, open_page, speak, until
    from tests.e2e.topology import Topology

    @pytest.fixture(scope="module")
    def voice(tmp_path_factory: pytest.TempPathFactory) -> tuple[probes.Signal, Path]:
        return probes.speech(VOICE, tmp_path_factory.mktemp("voice"))

    @pytest.fixture(scope="module")
    def topology(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Topology, Any]]:
        topology = Topology(tmp_path_factory.mktemp("topology"))
        try:
            staged = topology.start()
            yield topology, staged
        except BaseException:
            print(topology.logs())
            raise
        finally:
            topology.stop()

    @pytest.fixture(scope="module")
    def pages(
        topology: tuple[Topology, Any], voice: tuple[probes.Signal, Path]
    ) -> Iterator[tuple[Any, Any]]:
        cluster, staged = topology
        with chromium(voice[1]) as browser:
            cookie, sid = staged["cookie_name"], staged["session_id"]
            speaking = open_page(browser, cluster, cookie, staged["delegate"])
            speak(speaking, cluster, sid)
            listening = open_page(browser, cluster, cookie, staged["observer"])
            listen(listening, cluster, sid)
            heard_again(listening, voice[0], "the floor before any crash")
            yield speaking, listening

    def _floor(cluster: Topology, session_id: int) -> tuple[int, Any]:
        [(version, state)] = cluster.postgres.query(
            "SELECT version, state FROM floor_livesession WHERE session_id = %s", session_id
        )
        return int(version), state

    def test_each_web_server_killed_in_turn_costs_its_pages_a_reconnection(
        topology: tuple[Topology, Any], pages: tuple[Any, Any], voice: tuple[probes.Signal, Path]
    ) -> None:
        cluster, staged = topology
        _speaking, listening = pages
        floor_before = _floor(cluster, staged["session_id"])
        for n, web in enumerate(cluster.web, 1):
            assert web.process is not None
            os.kill(web.process.pid, signal.SIGKILL)
            web.process.wait(10)
            heard_again(listening, voice[0], f"the floor after web{n} was killed")
            # The floor is the one the chair left: nobody had to give it again.
            assert _floor(cluster, staged["session_id"]) == floor_before
            web.start()

    def test_the_janus_of_the_session_killed_moves_it_and_the_observer_hears_again(
        topology: tuple[Topology, Any], pages: tuple[Any, Any], voice: tuple[probes.Signal, Path]
    ) -> None:
        cluster, staged = topology
        _speaking, listening = pages
        sid = staged["session_id"]
        first = cluster.placed_on(sid)
        janus = cluster.janus_at(first)
        killed = time.monotonic()
        janus.kill()
        arrived = heard_again(listening, voice[0], "the floor after its Janus was killed")
        print(f"audio again {arrived - killed:.2f} s after Janus was killed")
        assert cluster.placed_on(sid) not in ("", first)
        janus.start()  # back, for what follows: it takes new sessions, this one stays
        assert _floor(cluster, sid)[1]["status"] == "open"

    def test_the_speech_worker_killed_moves_its_stream_and_the_transcript_marks_the_gap(
        topology: tuple[Topology, Any], pages: tuple[Any, Any]
    ) -> None:
        cluster, staged = topology
        sid = staged["session_id"]

        def stream() -> tuple[int, str, str]:
            [(pk, status, worker)] = cluster.postgres.query(
                "SELECT s.id, s.status, coalesce(w.name, '') FROM speech_captionstream s"
                " LEFT JOIN speech_speechworker w ON w.id = s.worker_id"
                " WHERE s.session_id = %s AND s.stopped_at IS NULL",
                sid,
            )
            return int(pk), str(status), str(worker)

        def recognised_since(moment: Any) -> int:
            [(count,)] = cluster.postgres.query(
                "SELECT count(*) FROM speech_captionsegment WHERE session_id = %s"
                " AND kind = 'asr' AND starts_at > %s",
                sid,
                moment,
            )
            return int(count)

        [(started,)] = cluster.postgres.query("SELECT now() - interval '1 hour'")
        until(lambda: recognised_since(started), 120, "a first caption of the floor")
        stream_id, status, captioning = stream()
        assert status == "live" and captioning in ("speech1", "speech2")
        [(killed_at,)] = cluster.postgres.query("SELECT now()")
        next(w for w in cluster.speech if w.name == captioning).kill()
        until(
            lambda: (s := stream())[1] == "live" and s[2] not in ("", captioning),
            90,
            "the stream to be live on the other worker",
        )
        gaps = cluster.postgres.query(
            "SELECT starts_at, ends_at FROM speech_captionsegment WHERE stream_id = %s"
            " AND kind = 'gap' AND ends_at >= %s",
            stream_id,
            killed_at,
        )
        assert len(gaps) == 1, gaps
        gap_end = gaps[0][1]
        until(lambda: recognised_since(gap_end), 120, "captions after the gap")
