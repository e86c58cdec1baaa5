"""./scripts/bench recordings: packaging a session's recording for playback.

``packaging``: one hour (``--minutes``) of seven channels (the floor and six
booths) as Janus writes them (48 kHz mono WAV, named after their start; pink
noise at speech level, made by ffmpeg), packaged as the server does after a
session (``plenary.recordings.packaging.package``: one aligned AAC track per
channel, HLS renditions, the master playlist). Goal: ≤ 60 s for an hour.
Baseline, in the same run: ffmpeg copying one channel's WAV (reading and
writing the same bytes, no encoding).

Live HLS latency and origin requests per second come with live HLS (issue
#17 goes on).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import floor as harness

from plenary.core.languages import UN_LANGUAGES
from plenary.recordings import ffmpeg, packaging

BENCH = "recordings"
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--minutes", type=float, default=60.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        made = timed(lambda: make_channels(folder, args.minutes))
        print(f"# made 7 channels of {args.minutes:g} min in {made:.0f} s", flush=True)
        floor_wav = next((folder / "wav" / "floor").glob("*.wav"))
        command = [ffmpeg.binary(), "-loglevel", "error", "-i", str(floor_wav)]
        command += ["-c", "copy", str(folder / "copy.wav")]
        copy = timed(lambda: subprocess.run(command, check=True))  # noqa: S603
        seconds = timed(lambda: packaging.package(folder / "wav", folder / "hls"))
    label = f"packaging_{args.minutes:g}_min_7_channels"
    harness.figure(BENCH, label, seconds, "s", copy)
    print(f"# load average {os.getloadavg()}", flush=True)


if __name__ == "__main__":
    main()
