"""The live origin with the real ffmpeg, following files that grow as Janus writes them:
each channel live, its own audio, started again after a crash (at the live edge) and after
a Janus restart (the new file from its start), ended when the recording stops."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.utils import timezone

from plenary.core.tests.processes import alive
from plenary.core.tests.processes import until as until_done
from plenary.meetings.tests.factories import SessionFactory
from plenary.recordings import live
from plenary.recordings.live import ENDLIST, Origin
from plenary.recordings.models import Recording
from plenary.recordings.tests.helpers import RATE, GrowingWav, decoded

pytestmark = pytest.mark.django_db
WAIT_SECONDS = 30.0  # how long a state may take to come, on a slow machine (not a goal)


@pytest.fixture
def recording(settings: Any, tmp_path: Path) -> Recording:
    settings.DATA_DIR = tmp_path
    session = SessionFactory.create(meeting__languages=["en", "fr"])
    return Recording.objects.create(session=session, started_at=timezone.now())


@pytest.fixture
def origin() -> Iterator[Origin]:
    running = Origin()
    yield running
    running.stop()


def until(origin: Origin, done: Callable[[], bool]) -> None:
    """Run the origin until ``done()``; fail if it never is."""
    deadline = time.monotonic() + WAIT_SECONDS
    while not done():
        assert time.monotonic() < deadline, "the live webcast never got there"
        origin.tick()
        time.sleep(0.1)


def playlist(recording: Recording, channel: str) -> Path:
    return recording.live_folder / channel / "index.m3u8"


def segments(recording: Recording, channel: str) -> list[str]:
    path = playlist(recording, channel)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return [line for line in text.splitlines() if line.endswith(".ts")]


def starts(recording: Recording, channel: str) -> int:
    """How many times the channel's playlist was (re)started: its discontinuities."""
    return playlist(recording, channel).read_text(encoding="utf-8").count("#EXT-X-DISCONTINUITY")


def pitch(recording: Recording, channel: str) -> float:
    """The loudest frequency of the channel's latest segment."""
    samples = decoded(recording.live_folder / channel / segments(recording, channel)[-1])
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.fft.rfftfreq(len(samples), 1 / RATE)[int(np.argmax(spectrum))])


def test_each_channel_live_with_its_own_audio_and_ended_when_the_recording_stops(
    recording: Recording, origin: Origin
) -> None:
    start = time.time()
    with (
        GrowingWav(recording.wav_folder("floor"), start, hz=440),
        GrowingWav(recording.wav_folder("fr"), start, hz=880),
    ):
        until(origin, lambda: all(len(segments(recording, c)) >= 3 for c in ("floor", "fr")))
        master = (recording.live_folder / "index.m3u8").read_text(encoding="utf-8")
        floor, french = (line for line in master.splitlines() if "TYPE=AUDIO" in line)
        assert 'LANGUAGE="mul"' in floor and "DEFAULT=YES" in floor
        assert 'URI="floor/index.m3u8"' in floor
        assert 'LANGUAGE="fr"' in french and 'URI="fr/index.m3u8"' in french
        assert abs(pitch(recording, "floor") - 440) < 20
        assert abs(pitch(recording, "fr") - 880) < 20
        assert not playlist(recording, "floor").read_text(encoding="utf-8").endswith(ENDLIST)

        Recording.objects.filter(pk=recording.pk).update(status=Recording.Status.QUEUED)
        origin.tick()
    assert origin.followers == {}
    for channel in ("floor", "fr"):
        assert playlist(recording, channel).read_text(encoding="utf-8").endswith(ENDLIST)


def test_a_dead_ffmpeg_is_started_again_and_the_segments_go_on(
    recording: Recording, origin: Origin
) -> None:
    with GrowingWav(recording.wav_folder("floor"), time.time()):
        until(origin, lambda: len(segments(recording, "floor")) >= 2)
        before = segments(recording, "floor")
        process = origin.followers[(recording.pk, "floor")].process
        assert process.pid is not None
        os.kill(process.pid, signal.SIGKILL)
        until(origin, lambda: starts(recording, "floor") == 2)
        until(origin, lambda: len(segments(recording, "floor")) >= len(before) + 2)
    after = segments(recording, "floor")
    assert after[: len(before)] == before  # nothing written before the crash was lost
    assert len(set(after)) == len(after) and after == sorted(after)  # none written over
    # Where the new start begins is noted, for the playlist's discontinuity sequence.
    text = playlist(recording, "floor").read_text(encoding="utf-8")
    first = int(text.split("#EXT-X-MEDIA-SEQUENCE:")[1].split()[0])
    lines = text.split("#EXT-X-DISCONTINUITY\n")[-1].splitlines()
    again = first + after.index(next(line for line in lines if line.endswith(".ts")))
    marks = (playlist(recording, "floor").parent / live.DISCONTINUITIES).read_text()
    assert marks.split() == ["0", str(again)], text  # ffmpeg marks the first start too


def test_a_playlist_says_how_many_new_starts_left_its_window(tmp_path: Path) -> None:
    path = tmp_path / "floor" / "index.m3u8"
    path.parent.mkdir()
    text = b"#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-MEDIA-SEQUENCE:30\n#EXTINF:1.0,\n00030.ts\n"
    path.write_bytes(text)
    assert live.served(path, text) == text  # never started again
    (path.parent / live.DISCONTINUITIES).write_text("12\n25\n30\n41\n")
    served = live.served(path, text).decode()
    # Those at 12 and 25 are gone; the one at 30 is still marked in the window.
    assert "#EXT-X-MEDIA-SEQUENCE:30\n#EXT-X-DISCONTINUITY-SEQUENCE:2\n#EXTINF" in served
    (path.parent / live.DISCONTINUITIES).write_text("garbage\n\x00\n")
    assert live.served(path, text) == text
    assert live.served(path, b"#EXTM3U\n") == b"#EXTM3U\n"  # no sequence: left as it is


def test_a_new_file_after_a_janus_restart_is_followed_from_its_start(
    recording: Recording, origin: Origin
) -> None:
    folder = recording.wav_folder("floor")
    with GrowingWav(folder, time.time(), hz=440):
        until(origin, lambda: len(segments(recording, "floor")) >= 2)
    count = len(segments(recording, "floor"))
    with GrowingWav(folder, time.time(), hz=660) as restarted:
        until(origin, lambda: origin.followers[(recording.pk, "floor")].wav == restarted.path)
        until(origin, lambda: len(segments(recording, "floor")) >= count + 2)
        assert starts(recording, "floor") == 2
        assert abs(pitch(recording, "floor") - 660) < 20


def test_a_follower_dies_with_its_server_even_once_its_file_stopped_growing(
    tmp_path: Path,
) -> None:
    """The server SIGKILLed after its Janus: the file no longer grows and the ffmpeg
    that follows it, waiting in its read, would ignore a SIGTERM (seen: orphans that
    followed a dead recording for the rest of the day). It gets SIGKILL."""
    import subprocess
    import sys

    with GrowingWav(tmp_path / "wav", time.time()) as wav:
        time.sleep(4.0)
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from plenary.recordings import ffmpeg\n"
        "f = ffmpeg.follow(Path(sys.argv[1]), 44, int(sys.argv[2]), Path(sys.argv[3]))\n"
        "print(f.pid, flush=True)\n"
        "time.sleep(600)\n"
    )
    server = subprocess.Popen(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script, str(wav.path), str(RATE), str(tmp_path / "live")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    with server.stdout:
        follower = int(server.stdout.readline())
    playlist = tmp_path / "live" / "index.m3u8"
    try:
        until_done(playlist.exists, 15)  # it transcodes, has read all there is, waits for more
        assert alive(follower)
        server.kill()
        server.wait()
        until_done(lambda: not alive(follower), 10)
    finally:
        if alive(follower):
            os.kill(follower, signal.SIGKILL)
