"""The one adapter over ffmpeg (Debian's): encode a channel's timeline, cut it into HLS.

Every call runs ffmpeg as a child process with a time limit, reading and
writing only the paths it is given; a failure raises ``FfmpegError`` with the
last lines ffmpeg wrote, which the packaging job keeps as its reason.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

# One mono AAC track per channel, at 24 kHz: the speech the rooms mix (Opus at
# 12 kbit/s, wideband) loses nothing, and with the "fast" coder an hour encodes in
# about 12 s on one core instead of 31 s (docs/benchmarks.md, recordings).
AUDIO_BITRATE = "48k"
SAMPLE_RATE = 24000
SEGMENT_SECONDS = 6


class FfmpegError(RuntimeError):
    pass


def binary() -> str:
    found = shutil.which("ffmpeg")
    if found is None:
        raise FfmpegError("ffmpeg is not installed (apt-get install ffmpeg)")
    return found


def _run(arguments: Sequence[str], timeout: float) -> None:
    command = [binary(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *arguments]
    try:
        done = subprocess.run(  # noqa: S603 - our own arguments, no shell
            command, check=False, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as exc:
        raise FfmpegError(f"ffmpeg took longer than {timeout:.0f} s") from exc
    if done.returncode != 0:
        raise FfmpegError(done.stderr.strip()[-400:] or f"ffmpeg exited with {done.returncode}")


def encode_timeline(
    pieces: Sequence[tuple[Path, float]], seconds: float, output: Path, timeout: float
) -> None:
    """Encode the WAV ``pieces`` (path, offset in seconds from the timeline's start)
    into one AAC track of ``seconds``: silence before, between and after them."""
    if not pieces:
        raise FfmpegError("no audio to encode")
    arguments: list[str] = []
    filters = []
    for index, (path, offset) in enumerate(pieces):
        arguments += ["-i", str(path)]
        filters.append(f"[{index}:a]adelay=delays={round(offset * 1000)}:all=1[a{index}]")
    labels = "".join(f"[a{index}]" for index in range(len(pieces)))
    if len(pieces) > 1:
        mixed = f"{labels}amix=inputs={len(pieces)}:normalize=0:duration=longest[mixed]"
        filters.append(mixed)
        labels = "[mixed]"
    filters.append(f"{labels}apad=whole_dur={seconds:.3f},atrim=0:{seconds:.3f}[out]")
    arguments += ["-filter_complex", ";".join(filters), "-map", "[out]", "-ac", "1"]
    arguments += ["-ar", str(SAMPLE_RATE), "-c:a", "aac", "-aac_coder", "fast"]
    arguments += ["-b:a", AUDIO_BITRATE, "-movflags", "+faststart", str(output)]
    _run(arguments, timeout)


def segment(track: Path, folder: Path, timeout: float) -> Path:
    """Cut an encoded track into HLS (fMP4 segments, a VOD playlist) in ``folder``;
    the playlist's path."""
    folder.mkdir(parents=True, exist_ok=True)
    playlist = folder / "index.m3u8"
    arguments = ["-i", str(track), "-c", "copy", "-f", "hls", "-hls_time", str(SEGMENT_SECONDS)]
    arguments += ["-hls_playlist_type", "vod", "-hls_segment_type", "fmp4"]
    arguments += ["-hls_fmp4_init_filename", "init.mp4"]
    arguments += ["-hls_segment_filename", str(folder / "%05d.m4s"), str(playlist)]
    _run(arguments, timeout)
    return playlist
