"""The one adapter over ffmpeg (Debian's): encode a channel's timeline, compose the
video, silence (or blank) parts of them, cut them into HLS, follow a channel being
recorded as live HLS.

Each call reads and writes only the paths it is given. The packaging calls run
ffmpeg with a time limit; a failure raises ``FfmpegError`` with the last lines
ffmpeg wrote, which the job keeps as its reason. ``follow`` starts a long-lived
ffmpeg that the live origin watches.
"""

from __future__ import annotations

import shutil
import signal
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


PACKAGING_NICENESS = 10


class FfmpegError(RuntimeError):
    pass


def binary() -> str:
    found = shutil.which("ffmpeg")
    if found is None:
        raise FfmpegError("ffmpeg is not installed (apt-get install ffmpeg)")
    return found


def _run(arguments: Sequence[str], timeout: float) -> None:
    """Run ffmpeg for packaging, at a lower priority than the live rooms and webcast
    (``nice``): a long video encode never takes a processor from them."""
    command = [binary(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y", *arguments]
    if nice := shutil.which("nice"):
        command = [nice, "-n", str(PACKAGING_NICENESS), *command]
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
    arguments = ["-i", str(track), "-af", f"volume=0:enable='{_between(spans)}'", "-ac", "1"]
    arguments += ["-ar", str(SAMPLE_RATE), "-c:a", "aac", "-aac_coder", "fast"]
    arguments += ["-b:a", AUDIO_BITRATE, "-movflags", "+faststart", str(output)]
    _run(arguments, timeout)


# The composed video: 720p at 15 frames a second (speakers and slides), H.264 High
# for every browser and phone, a keyframe every two seconds so that each six-second
# segment starts on one. PIP is the speaker's camera over a shared screen.
VIDEO_WIDTH, VIDEO_HEIGHT, VIDEO_FPS = 1280, 720, 15
VIDEO_CODECS = "avc1.64001f"
PIP_WIDTH, PIP_HEIGHT, PIP_MARGIN = 320, 180, 16
H264 = ["-c:v", "libx264", "-preset", "veryfast", "-crf", "30", "-pix_fmt", "yuv420p"]
H264 += ["-profile:v", "high", "-level", "3.1", "-g", str(2 * VIDEO_FPS), "-sc_threshold", "0"]


def _fitted(index: int, offset: float) -> str:
    """Input ``index``'s video fitted into the frame (black bars) and placed at ``offset``
    seconds of the timeline (a part before its start left out)."""
    skip = f"trim=start={-offset:.3f}," if offset < 0 else ""
    return (
        f"[{index}:v]{skip}fps={VIDEO_FPS},"
        f"scale={VIDEO_WIDTH}:{VIDEO_HEIGHT}:force_original_aspect_ratio=decrease,"
        f"pad={VIDEO_WIDTH}:{VIDEO_HEIGHT}:(ow-iw)/2:(oh-ih)/2:black,setsar=1,"
        f"setpts=PTS-STARTPTS+{max(offset, 0):.3f}/TB"
    )


def _between(spans: Sequence[tuple[float, float]]) -> str:
    return "+".join(f"between(t,{start:.3f},{end:.3f})" for start, end in spans)


def compose_video(
    stage: Sequence[tuple[Path, float]],
    screen: Sequence[tuple[Path, float, float]],
    seconds: float,
    output: Path,
    timeout: float,
) -> None:
    """Compose ``seconds`` of video: black where nobody is seen, each ``stage`` clip
    (path, offset) from its offset, each ``screen`` clip (path, offset, length) over
    them, and while a screen is shown the stage small in a corner of it. Later
    clips cover earlier ones (a hand-over's overlap shows the new speaker)."""
    arguments: list[str] = []
    for clip in [*stage, *screen]:
        arguments += ["-i", str(clip[0])]
    size = f"{VIDEO_WIDTH}x{VIDEO_HEIGHT}"
    filters = [f"color=c=black:s={size}:r={VIDEO_FPS}:d={seconds:.3f}[base]"]
    shown = [(offset, offset + length) for _path, offset, length in screen]
    under = "[base]"
    overlay = "overlay=eof_action=pass:repeatlast=0"
    for index, (_path, offset) in enumerate(stage):
        split = f",split[v{index}][p{index}]" if shown else f"[v{index}]"
        filters.append(_fitted(index, offset) + split)
        filters.append(f"{under}[v{index}]{overlay}[s{index}]")
        under = f"[s{index}]"
    for index, (_path, offset, _length) in enumerate(screen, start=len(stage)):
        filters.append(_fitted(index, offset) + f"[v{index}]")
        filters.append(f"{under}[v{index}]{overlay}[s{index}]")
        under = f"[s{index}]"
    corner = f"x=W-w-{PIP_MARGIN}:y=H-h-{PIP_MARGIN}"
    for index in range(len(stage) if shown else 0):
        filters.append(f"[p{index}]scale={PIP_WIDTH}:{PIP_HEIGHT}[q{index}]")
        pip = f"{overlay}:{corner}:enable='{_between(shown)}'"
        filters.append(f"{under}[q{index}]{pip}[c{index}]")
        under = f"[c{index}]"
    arguments += ["-filter_complex", ";".join(filters), "-map", under, *H264]
    arguments += ["-an", "-t", f"{seconds:.3f}", "-movflags", "+faststart", str(output)]
    _run(arguments, timeout)


def blank(video: Path, spans: Sequence[tuple[float, float]], output: Path, timeout: float) -> None:
    """Encode ``video`` again into ``output`` with nothing shown during ``spans``."""
    black = f"drawbox=color=black:t=fill:enable='{_between(spans)}'"
    arguments = ["-i", str(video), "-vf", black, *H264, "-an", "-movflags", "+faststart"]
    _run([*arguments, str(output)], timeout)


def duration(path: Path, timeout: float = 60) -> float:
    """How long a media file plays, in seconds (ffprobe's reading of its container)."""
    command = [binary().removesuffix("ffmpeg") + "ffprobe", "-v", "error"]
    command += ["-show_entries", "format=duration", "-of", "csv=p=0", str(path)]
    try:
        done = subprocess.run(  # noqa: S603 - our own arguments, no shell
            command, check=False, capture_output=True, text=True, timeout=timeout
        )
        return float(done.stdout.strip())
    except (subprocess.TimeoutExpired, ValueError) as exc:
        raise FfmpegError(f"ffprobe could not read {path.name}") from exc


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
    # SIGKILL should the server die: once the file stops growing (its Janus gone too),
    # this ffmpeg waits in its read and ignores a SIGTERM (seen: orphans following a WAV).
    return Subprocess(arguments, stop_timeout=5.0, death_signal=signal.SIGKILL)
