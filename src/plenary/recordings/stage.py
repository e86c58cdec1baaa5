"""The video of a recording: the stage's camera and the shared screen, composed on the
recording's timeline.

Only whoever the floor gives the stage may publish a camera, and only a
presenter a screen (``plenary.media.video``); Janus recorded each of their
streams from its first frame to its last (``plenary.recordings.mjr``). So the
files are the stage's changes: laid on the timeline at their own starts
(the same wall clock as the audio's), they show who had the floor when,
the shared screen over the camera with the speaker small in its corner,
black where nobody was seen. One H.264 rendition, cut into HLS beside the
audio tracks, so that the player shows it in step with every language.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

from plenary.media.rooms import SCREEN, STAGE  # the descriptions the publishers carry
from plenary.recordings import ffmpeg, mjr

logger = logging.getLogger(__name__)

FOLDER = "video"  # in the packaged folder: video.mp4 and video/index.m3u8


@dataclass(frozen=True)
class Clip:
    path: Path
    stream: str  # STAGE or SCREEN
    start: float  # epoch seconds of its first frame


@dataclass
class Video:
    """The composed video, as the recording row keeps it."""

    playlist: str  # relative to the recording's HLS folder
    file: str
    width: int
    height: int
    bandwidth: int  # bit/s, for the master playlist

    def as_json(self) -> dict[str, object]:
        return asdict(self)


def clips(folder: Path) -> list[Clip]:
    """The video streams Janus recorded in ``folder``, by start."""
    found = []
    for path in folder.glob("*.mjr") if folder.is_dir() else ():
        head = mjr.header(path)
        if head is not None and head.kind == "v" and head.description in (STAGE, SCREEN):
            found.append(Clip(path, head.description, head.first_frame))
    return sorted(found, key=lambda clip: clip.start)


def compose(
    found: list[Clip], span: tuple[float, float], output: Path, timeout: float
) -> Video | None:
    """Compose the clips on the timeline ``span`` (origin, end, epoch seconds) into
    ``output``: ``video.mp4`` and ``video/`` (HLS); ``None`` if none could be read.
    A clip that cannot be (cut short by a crash before its first keyframe) is left
    out and said in the log: the others are kept."""
    origin, end = span
    work = output / "video.work"
    work.mkdir(parents=True, exist_ok=True)
    stage: list[tuple[Path, float]] = []
    screen: list[tuple[Path, float, float]] = []
    try:
        for index, clip in enumerate(found):
            webm = work / f"{index:05d}.webm"
            try:
                mjr.to_webm(clip.path, webm, timeout)
                length = ffmpeg.duration(webm)
            except (mjr.MjrError, ffmpeg.FfmpegError) as exc:
                logger.warning("Video %s left out of the recording: %s", clip.path.name, exc)
                continue
            if clip.stream == STAGE:
                stage.append((webm, clip.start - origin))
            else:
                screen.append((webm, clip.start - origin, length))
        if not stage and not screen:
            return None
        video = output / f"{FOLDER}.mp4"
        ffmpeg.compose_video(stage, screen, end - origin, video, timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    playlist = ffmpeg.segment(video, output / FOLDER, timeout)
    seconds = max(end - origin, 1.0)
    return Video(
        playlist=str(playlist.relative_to(output)),
        file=video.name,
        width=ffmpeg.VIDEO_WIDTH,
        height=ffmpeg.VIDEO_HEIGHT,
        bandwidth=int(video.stat().st_size * 8 / seconds * 1.2),
    )
