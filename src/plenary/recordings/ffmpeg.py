"""The one adapter over ffmpeg (Debian's): encode a channel's timeline, silence parts of
it, cut it into HLS, follow a channel being recorded as live HLS.

Each call reads and writes only the paths it is given. The packaging calls run
ffmpeg with a time limit; a failure raises ``FfmpegError`` with the last lines
ffmpeg wrote, which the job keeps as its reason. ``follow`` starts a long-lived
ffmpeg that the live origin watches.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from plenary.core.children import Subprocess

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


def silence(
    track: Path, spans: Sequence[tuple[float, float]], output: Path, timeout: float
) -> None:
    """Encode ``track`` again into ``output`` with nothing heard during ``spans``
    (start, end in seconds); the length stays, so every channel stays aligned."""
    enable = "+".join(f"between(t,{start:.3f},{end:.3f})" for start, end in spans)
    arguments = ["-i", str(track), "-af", f"volume=0:enable='{enable}'", "-ac", "1"]
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


# Live: one-second segments, a sliding window of twenty (what a player joining now needs).
LIVE_SEGMENT_SECONDS = 1
LIVE_WINDOW = 20


def follow(wav: Path, offset: int, rate: int, folder: Path) -> Subprocess:
    """Follow the WAV file Janus is writing (16-bit mono samples at ``rate``), from
    byte ``offset`` of it, into live HLS in ``folder`` (MPEG-TS AAC segments, a
    sliding ``index.m3u8`` that is appended to: a new start adds a discontinuity,
    and the playlist is never ended here)."""
    folder.mkdir(parents=True, exist_ok=True)
    arguments = [binary(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y"]
    # The samples of a file still being written, read as they come: raw from the
    # offset (its header's sizes are stale, and ffmpeg's WAV seeking trusts them).
    arguments += ["-follow", "1", "-skip_initial_bytes", str(offset)]
    arguments += ["-f", "s16le", "-ar", str(rate), "-ac", "1"]
    arguments += ["-i", f"file:{wav}", "-ac", "1", "-ar", str(SAMPLE_RATE)]
    arguments += ["-c:a", "aac", "-aac_coder", "fast", "-b:a", AUDIO_BITRATE]
    arguments += ["-f", "hls", "-hls_time", str(LIVE_SEGMENT_SECONDS)]
    arguments += ["-hls_list_size", str(LIVE_WINDOW)]
    arguments += ["-hls_flags", "delete_segments+append_list+omit_endlist+program_date_time"]
    arguments += ["-hls_segment_filename", str(folder / "%05d.ts"), str(folder / "index.m3u8")]
    return Subprocess(arguments, stop_timeout=5.0)
