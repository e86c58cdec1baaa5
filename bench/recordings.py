"""./scripts/bench recordings: packaging a recording, and the live HLS webcast.

``--parts packaging,video,live,origin`` (default: all four).

``packaging``: one hour (``--minutes``) of seven channels (the floor and six
booths) as Janus writes them (48 kHz mono WAV, named after their start; pink
noise at speech level, made by ffmpeg), packaged as the server does after a
session (``plenary.recordings.packaging.package``: one aligned AAC track per
channel, HLS renditions, the master playlist). Goal: ≤ 60 s for an hour.
Baseline, in the same run: ffmpeg copying one channel's WAV (reading and
writing the same bytes, no encoding).

``video``: ``--video-minutes`` (10) of a session whose speakers' cameras are on
throughout, five one after the other, and a screen shared for its middle fifth
(moving pictures, VP8 in Janus's MJR files), packaged with its floor:
``video_<m>_min_composed`` is what the video adds to the packaging (janus-pp-rec,
the composition, H.264, HLS). Baseline: one camera's WebM of the same length
encoded to the same H.264, nothing composed.

``live``: a channel's WAV grows in real time as Janus writes it, the live
origin (``plenary.recordings.live.Origin``, its real ffmpeg) follows it, and
headless Chromium plays the live playlist with the recordings player's hls.js
settings (three one-second segments behind the edge), over plain HTTP.
``live_latency_p50/p95``: how far behind the wall clock the sound being played
is (``Date.now()`` minus hls.js's ``playingDate``, corrected by how far the
first segment's program date is from the file's real start), sampled every
half second for ``--live-seconds`` after a warm-up. Goal: ≤ 6 s. Baseline:
the origin's part, from a segment's first sample written to the segment
listed in the playlist (p95).

``origin``: the requests per second one server process pinned to one core
(uvicorn, the project's application, SQLite) answers for a public live
webcast: half playlists, half segments, anonymous, through the recordings'
view (its access check included), from ``--connections`` keep-alive
connections on the other core. A listener asks about two a second (its
playlist, then a segment), so the listeners one core serves without a CDN is
half of it. Baseline: the same server sending a static file of the same size
range (no access check).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import http.server
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import floor as harness
from django.conf import settings
from django.core.management import call_command

from plenary.core.languages import UN_LANGUAGES
from plenary.recordings import ffmpeg, packaging

BENCH = "recordings"
CHROMIUM = os.environ.get("PLENARY_CHROMIUM", "/usr/bin/chromium")
START = 1_800_000_000.0


def make_channels(folder: Path, minutes: float) -> Path:
    """Seven channels of ``minutes`` each, in Janus's names, under ``folder/wav``."""
    wav = folder / "wav"
    for index, channel in enumerate(("floor", *UN_LANGUAGES)):
        target = wav / channel
        target.mkdir(parents=True)
        name = f"janus-audioroom-{10 + index}-{round((START + index * 0.02) * 1_000_000)}.wav"
        noise = f"anoisesrc=d={minutes * 60}:c=pink:a=0.08:r=48000:s={index + 1}"
        command = [ffmpeg.binary(), "-loglevel", "error", "-f", "lavfi", "-i", noise]
        command += ["-ac", "1", "-c:a", "pcm_s16le", str(target / name)]
        subprocess.run(command, check=True)  # noqa: S603
    return wav


def timed(work: object) -> float:
    began = time.perf_counter()
    work()  # type: ignore[operator]
    return time.perf_counter() - began


def bench_packaging(minutes: float) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        made = timed(lambda: make_channels(folder, minutes))
        print(f"# made 7 channels of {minutes:g} min in {made:.0f} s", flush=True)
        floor_wav = next((folder / "wav" / "floor").glob("*.wav"))
        command = [ffmpeg.binary(), "-loglevel", "error", "-i", str(floor_wav)]
        command += ["-c", "copy", str(folder / "copy.wav")]
        copy = timed(lambda: subprocess.run(command, check=True))  # noqa: S603
        seconds = timed(lambda: packaging.package(folder / "wav", folder / "hls"))
    harness.figure(BENCH, f"packaging_{minutes:g}_min_7_channels", seconds, "s", copy)


# --- video: the stage and the screen composed --------------------------------------


def camera(minutes: float) -> Any:
    """``minutes`` of a moving picture (ffmpeg's testsrc2, 640 by 360 at 15 a second),
    as RGB arrays: detail and motion, unlike a still colour."""
    import av

    source = f"testsrc2=size=640x360:rate=15:duration={minutes * 60}"
    with av.open(source, format="lavfi") as container:
        for frame in container.decode(video=0):
            yield frame.to_ndarray(format="rgb24")


def bench_video(minutes: float) -> None:
    """``minutes`` of a session with a speaker's camera on throughout (five speakers,
    one after the other) and a screen shared for its middle fifth, packaged with its
    floor; the figure is the packaging's extra time for the video. Baseline: the
    same length of one camera's WebM encoded to the same H.264, nothing composed."""
    from plenary.recordings import mjr, stage
    from plenary.recordings.tests.helpers import write_mjr

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        make_channels(folder, minutes)
        for channel in UN_LANGUAGES:  # the floor only: the audio's own cost is above
            shutil.rmtree(folder / "wav" / channel)
        turn = minutes * 60 / 5
        for speaker in range(5):
            frames = camera(turn / 60)
            write_mjr(folder / "video", stage.STAGE, START + speaker * turn, frames)
        write_mjr(folder / "video", stage.SCREEN, START + 2 * turn, camera(turn / 60))
        print(f"# made {minutes:g} min of video (5 cameras, 1 screen)", flush=True)
        sound = timed(lambda: packaging.package(folder / "wav", folder / "sound"))
        both = timed(
            lambda: packaging.package(folder / "wav", folder / "hls", video_folder=folder / "video")
        )
        whole = write_mjr(folder / "one", stage.STAGE, START, camera(minutes))
        mjr.to_webm(whole, folder / "one.webm", 3600)
        command = [ffmpeg.binary(), "-loglevel", "error", "-i", str(folder / "one.webm")]
        command += ["-vf", f"scale={ffmpeg.VIDEO_WIDTH}:{ffmpeg.VIDEO_HEIGHT}"]
        command += [*ffmpeg.H264, "-an", str(folder / "one.mp4")]
        baseline = timed(lambda: subprocess.run(command, check=True))  # noqa: S603
    harness.figure(BENCH, f"video_{minutes:g}_min_composed", both - sound, "s", baseline)


# --- live: the floor to the player ------------------------------------------------

PLAYER_PAGE = """<!doctype html><meta charset="utf-8"><audio id="a" muted></audio>
<script src="hls.min.js"></script><script>
const hls = new Hls({enableWorker: false, liveSyncDurationCount: 3});
hls.loadSource("live/floor/index.m3u8"); hls.attachMedia(document.getElementById("a"));
hls.on(Hls.Events.MANIFEST_PARSED, () => document.getElementById("a").play());
window.lag = () => (hls.playingDate ? Date.now() - hls.playingDate.getTime() : null);
</script>"""


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def listed_latencies(playlist: Path, began: float, stop: threading.Event) -> list[float]:
    """Seconds from each segment's first sample written to the segment listed."""
    seen: set[str] = set()
    latencies = []
    position = 0.0  # where the next new segment starts in the file (seconds)
    while not stop.is_set():
        text = playlist.read_text() if playlist.exists() else ""
        for line in text.splitlines():
            if line.startswith("#EXTINF:"):
                duration = float(line[8:].rstrip(","))
            elif line.endswith(".ts") and line not in seen:
                if seen:  # the first listing may predate the poller
                    latencies.append(time.time() - (began + position))
                seen.add(line)
                position += duration
        time.sleep(0.02)
    return latencies


def first_program_date(playlist: Path) -> float:
    for line in playlist.read_text().splitlines():
        if line.startswith("#EXT-X-PROGRAM-DATE-TIME:"):
            stamp = line.split(":", 1)[1].replace("+0000", "+00:00")
            return dt.datetime.fromisoformat(stamp).timestamp()
    raise RuntimeError("no program date in the live playlist")


def bench_live(seconds: float) -> None:
    from playwright.sync_api import sync_playwright

    from plenary.recordings.live import Origin
    from plenary.recordings.tests.helpers import GrowingWav

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        shutil.copy(settings.NODE_MODULES / "hls.js" / "dist" / "hls.min.js", folder)
        (folder / "index.html").write_text(PLAYER_PAGE)
        origin = Origin(running=lambda: {1: folder})
        stop = threading.Event()
        ticking = threading.Thread(target=origin.run, args=(stop.is_set,), daemon=True)
        ticking.start()  # before the file appears, as the origin runs before a session opens
        server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), partial(Quiet, directory=str(folder))
        )
        threading.Thread(target=server.serve_forever, daemon=True).start()
        playlist = folder / "live" / "floor" / "index.m3u8"
        lags: list[float] = []
        with GrowingWav(folder / "wav" / "floor", time.time()) as wav:
            began = packaging.started_at(wav.path) or 0.0
            with ThreadPoolExecutor(1) as pool:
                listed = pool.submit(listed_latencies, playlist, began, stop)
                while not playlist.exists():
                    time.sleep(0.05)
                skew = first_program_date(playlist) - began  # the program dates run late by this
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=CHROMIUM,
                        args=["--autoplay-policy=no-user-gesture-required"],
                    )
                    page = browser.new_page()
                    page.goto(f"http://127.0.0.1:{server.server_port}/index.html")
                    time.sleep(8)  # warm-up: the player finds its place behind the edge
                    for _ in range(int(seconds * 2)):
                        lag = page.evaluate("window.lag()")
                        if lag is not None:
                            lags.append(lag / 1000 + skew)
                        time.sleep(0.5)
                    browser.close()
                stop.set()
                origin_part = listed.result()
        server.shutdown()
        ticking.join()
    if not lags:
        raise RuntimeError("the player never played")
    base = statistics.quantiles(origin_part, n=20)[18]
    p95 = statistics.quantiles(lags, n=20)[18]
    harness.figure(BENCH, "live_latency_p50", statistics.median(lags), "s", base, digits=2)
    harness.figure(BENCH, "live_latency_p95", p95, "s", base, digits=2)
    print(f"# program dates {skew:+.3f} s from the file's start", flush=True)


# --- origin: requests per second on one core -------------------------------------


def live_recording(public: bool, folder_seconds: int = 20) -> tuple[list[str], str]:
    """A published meeting whose session is being recorded, with a live folder as the
    origin writes it, and a webcast that is public or not; the playlist's and a
    segment's paths, and the cookie of one of its delegates."""
    from django.utils import timezone

    from plenary.meetings.models import Meeting
    from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory
    from plenary.provisioning.models import Service, ServiceRequest
    from plenary.recordings import live
    from plenary.recordings.models import Recording

    call_command("migrate", verbosity=0)
    session = SessionFactory.create(meeting__status=Meeting.Status.PUBLISHED)
    ServiceRequest.objects.create(
        meeting=session.meeting,
        service=Service.WEBCAST,
        public=public,
        status=ServiceRequest.Status.PROVISIONED,
        requested_by=session.meeting.organiser,
    )
    delegate = ParticipationFactory.create(meeting=session.meeting).user
    recording = Recording.objects.create(session=session, started_at=timezone.now())
    channel = recording.live_folder / "floor"
    channel.mkdir(parents=True)
    lines = ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:1", "#EXT-X-MEDIA-SEQUENCE:0"]
    for index in range(folder_seconds):
        (channel / f"{index:05d}.ts").write_bytes(os.urandom(6200))  # 1 s at 48 kbit/s
        lines += ["#EXTINF:1.024000,", f"{index:05d}.ts"]
    (channel / "index.m3u8").write_text("\n".join(lines) + "\n")
    live.master(recording.live_folder, ["floor"])
    base = f"/recordings/{recording.pk}/live/floor/"
    return [base + "index.m3u8", base + "00010.ts"], harness.cookie_for(delegate)


async def keep_asking(
    port: int, paths: list[str], cookie: str, until: float, counts: list[int]
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    turn = 0
    while time.monotonic() < until:
        path = paths[turn % len(paths)]
        turn += 1
        headers = f"Host: 127.0.0.1\r\nCookie: {cookie}\r\n" if cookie else "Host: 127.0.0.1\r\n"
        writer.write(f"GET {path} HTTP/1.1\r\n{headers}\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(
            next(
                line.split(b":", 1)[1]
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
        )
        await reader.readexactly(length)
        if not head.startswith(b"HTTP/1.1 200"):
            raise RuntimeError(head.decode(errors="replace"))
        counts[0] += 1
    writer.close()


@dataclass(frozen=True)
class Load:
    port: int
    paths: list[str]
    connections: int
    seconds: float
    cookie: str = ""


def load_process(load: Load, out: Any) -> None:
    os.sched_setaffinity(0, {1})  # the other core than the server's
    counts = [0]

    async def run() -> None:
        until = time.monotonic() + load.seconds
        asking = (
            keep_asking(load.port, load.paths, load.cookie, until, counts)
            for _ in range(load.connections)
        )
        await asyncio.gather(*asking)

    asyncio.run(run())
    out.send(counts[0] / load.seconds)


def requests_per_second(load: Load) -> float:
    receiving, sending = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.Process(target=load_process, args=(load, sending))
    process.start()
    rate = float(receiving.recv())
    process.join()
    return rate


def bench_origin(connections: int, seconds: float) -> None:
    public, _ = live_recording(public=True)
    accredited, cookie = live_recording(public=False)
    port = harness.free_port()
    server = asyncio.run(harness.start_server(port, ["--log-level", "warning"]))
    try:
        os.sched_setaffinity(server.pid, {0})
        static = ["/static/recordings/player.css"]
        requests_per_second(Load(port, public, connections, 2))  # warm-up
        base = requests_per_second(Load(port, static, connections, seconds))
        rate = requests_per_second(Load(port, public, connections, seconds))
        signed_in = requests_per_second(Load(port, accredited, connections, seconds, cookie))
    finally:
        server.terminate()
        server.wait()
    harness.figure(BENCH, "origin_requests_per_second_one_core", rate, "req/s", base)
    harness.figure(BENCH, "origin_listeners_one_core_no_cdn", rate / 2, "listeners", base / 2)
    harness.figure(BENCH, "origin_requests_per_second_accredited", signed_in, "req/s", base)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", default="packaging,video,live,origin")
    parser.add_argument("--minutes", type=float, default=60.0)
    parser.add_argument("--video-minutes", type=float, default=10.0)
    parser.add_argument("--live-seconds", type=float, default=30.0)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--origin-seconds", type=float, default=10.0)
    args = parser.parse_args()
    parts = args.parts.split(",")
    if "packaging" in parts:
        bench_packaging(args.minutes)
    if "video" in parts:
        bench_video(args.video_minutes)
    if "live" in parts:
        bench_live(args.live_seconds)
    if "origin" in parts:
        bench_origin(args.connections, args.origin_seconds)
    print(f"# load average {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
