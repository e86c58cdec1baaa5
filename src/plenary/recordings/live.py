"""The live webcast over plain HTTP: every channel of a session being recorded, as live HLS.

Janus writes each recorded channel as a growing WAV file
(``plenary.media.recorder``); the live origin (``plenary live-origin``, a child
of ``plenary serve``) follows the newest file of each channel with one ffmpeg,
which cuts it into one-second AAC segments under ``recordings/<id>/live/<channel>/``
with a sliding playlist, and writes the master playlist (one audio rendition per
channel, as the archive's). Any number of viewers then fetch plain files over
HTTP, a CDN in front at internet scale: Janus is not touched by them.

:meth:`Origin.tick` reconciles the ffmpegs with the recordings twice a second:

- a recording starts: each of its channels is followed from the start of its file;
- a channel's ffmpeg died: it is started again at the file's live edge;
- Janus restarted and began a new file: the new file is followed from its start;
- the recording stopped (or was removed): the ffmpegs stop and each playlist is
  ended (``#EXT-X-ENDLIST``), so that players stop instead of waiting.

A new start in a playlist is marked ``#EXT-X-DISCONTINUITY`` (by ffmpeg). Once
that segment slides out of the window the playlist must say how many such
marks went (``#EXT-X-DISCONTINUITY-SEQUENCE``), which ffmpeg does not write: the
origin notes where each new start begins (``discontinuities`` beside the
playlist) and the playlist is served with the count (:func:`served`). Each
segment carries its wall-clock time (``#EXT-X-PROGRAM-DATE-TIME``), which players
use to keep their place when the listener switches language.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import close_old_connections

from plenary.core.children import Process
from plenary.core.languages import UN_LANGUAGES
from plenary.recordings import ffmpeg, packaging
from plenary.recordings.models import Recording

logger = logging.getLogger(__name__)

TICK_SECONDS = 0.5
BEHIND_EDGE_SECONDS = 1.0
ENDLIST = "#EXT-X-ENDLIST\n"
CHANNELS = (packaging.FLOOR, *UN_LANGUAGES)

# Beside each channel's playlist: the media sequence numbers at which a new start began.
DISCONTINUITIES = "discontinuities"
_MEDIA_SEQUENCE = re.compile(rb"^#EXT-X-MEDIA-SEQUENCE:(\d+)$", re.MULTILINE)

Follow = Callable[[Path, int, int, Path], Process]
Running = Callable[[], dict[int, Path]]


@dataclass
class Follower:
    """One channel's ffmpeg and the file it follows."""

    wav: Path
    process: Process


def playlist(folder: Path, channel: str) -> Path:
    return folder / channel / "index.m3u8"


def end(folder: Path) -> None:
    """End every channel playlist under ``folder`` that is not ended yet."""
    for path in folder.glob("*/index.m3u8"):
        text = path.read_text(encoding="utf-8")
        if not text.endswith(ENDLIST):
            _write(path, text + ENDLIST)


def _mark_new_start(path: Path) -> None:
    """Note that the playlist at ``path`` starts, or goes on, with a discontinuity (ffmpeg
    marks every start): at its next segment, the one after the last it lists (ffmpeg
    appends to it, numbering on), or its first."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = path.read_bytes() if path.exists() else b""
    found = _MEDIA_SEQUENCE.search(text)
    listed = sum(1 for line in text.splitlines() if line and not line.startswith(b"#"))
    at = (int(found[1]) if found else 0) + listed
    with (path.parent / DISCONTINUITIES).open("a", encoding="ascii") as marks:
        marks.write(f"{at}\n")


def served(path: Path, content: bytes) -> bytes:
    """A live playlist as players get it: with ``#EXT-X-DISCONTINUITY-SEQUENCE``, the
    new starts whose segments have left the window (the playlist as it is if none)."""
    try:
        marks = (path.parent / DISCONTINUITIES).read_text(encoding="ascii").split()
    except OSError:  # never started again (most playlists), or not a channel's
        return content
    found = _MEDIA_SEQUENCE.search(content)
    if found is None:
        return content
    first = int(found[1])
    gone = sum(1 for mark in marks if mark.isdecimal() and int(mark) < first)
    if not gone:
        return content
    tag = b"\n#EXT-X-DISCONTINUITY-SEQUENCE:%d" % gone
    return content[: found.end()] + tag + content[found.end() :]


def _write(path: Path, text: str) -> None:
    """Replace a playlist at once: players read it at any moment."""
    written = path.with_name(path.name + ".tmp")
    written.write_text(text, encoding="utf-8")
    written.replace(path)


def master(folder: Path, channels: list[str]) -> None:
    """Write the master playlist of the channels followed now."""
    tracks = [
        packaging.Track(
            channel=channel,
            language=packaging.hls_language(channel),
            name=packaging.track_name(channel),
            playlist=f"{channel}/index.m3u8",
            audio="",
        )
        for channel in channels
    ]
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder / "index.m3u8", packaging.master_playlist(tracks))


def newest_files(folder: Path) -> dict[str, Path]:
    """The file Janus writes now for each channel of the recording in ``folder``: the
    channels the live master playlist offers, in its order."""
    found = {channel: packaging.newest(folder / "wav" / channel) for channel in CHANNELS}
    return {channel: wav for channel, wav in found.items() if wav is not None}


def channels(folder: Path) -> list[str]:
    return list(newest_files(folder))


def _running() -> dict[int, Path]:
    """The recordings running now: their folders."""
    return {
        recording.pk: recording.folder
        for recording in Recording.objects.filter(status=Recording.Status.RECORDING)
    }


class Origin:
    """Keeps one ffmpeg per recorded channel following Janus's newest file."""

    def __init__(self, follow: Follow = ffmpeg.follow, running: Running = _running):
        """``running()``: the recordings to follow, by id, with their folders."""
        self._follow = follow
        self._running = running
        self._followers: dict[tuple[int, str], Follower] = {}
        # The channels in each followed recording's master playlist, and its folder.
        self._masters: dict[int, tuple[Path, list[str]]] = {}

    @property
    def followers(self) -> dict[tuple[int, str], Follower]:
        """What is followed now, by (recording, channel)."""
        return dict(self._followers)

    def tick(self) -> None:
        running = self._running()
        for key in [key for key in self._followers if key[0] not in running]:
            self._followers.pop(key).process.stop()
        for recording_id in [pk for pk in self._masters if pk not in running]:
            end(self._masters.pop(recording_id)[0])
        for recording_id, folder in running.items():
            self._follow_recording(recording_id, folder)

    def _follow_recording(self, recording_id: int, folder: Path) -> None:
        live = folder / "live"  # Recording.live_folder
        files = newest_files(folder)
        for channel, wav in files.items():
            self._keep(recording_id, channel, wav, live)
        followed = list(files)
        if followed and self._masters.get(recording_id) != (live, followed):
            master(live, followed)
            self._masters[recording_id] = (live, followed)

    def _keep(self, recording_id: int, channel: str, wav: Path, live: Path) -> None:
        key = (recording_id, channel)
        follower = self._followers.get(key)
        if follower is not None and follower.wav == wav and follower.process.poll() is None:
            return
        if follower is not None:
            follower.process.stop()
        now = packaging.written(wav)
        if now.frame != 2:  # Janus writes 16-bit mono; anything else is not its file
            logger.error(
                "Live %s of recording %s: %s is not 16-bit mono", channel, recording_id, wav
            )
            return
        # The same file again (its ffmpeg or this origin died): go on from where Janus
        # is now, a moment behind; a new file (a first start, or Janus restarted): from
        # its beginning.
        listed = playlist(live, channel)
        again = listed.exists() and (follower is None or follower.wav == wav)
        at = max(now.seconds - BEHIND_EDGE_SECONDS, 0.0) if again else 0.0
        if follower is not None and follower.wav == wav:
            logger.warning("Live %s of recording %s stopped: started again", channel, recording_id)
        _mark_new_start(listed)
        process = self._follow(wav, now.offset_at(at), now.rate, live / channel)
        self._followers[key] = Follower(wav, process)

    def stop(self) -> None:
        """Stop following (the origin is stopping; the playlists stay open for the next)."""
        for follower in self._followers.values():
            follower.process.stop()
        self._followers.clear()

    def run(self, stopping: Callable[[], bool] = lambda: False) -> None:
        try:
            while not stopping():
                close_old_connections()  # long-lived: never one the database dropped
                try:
                    self.tick()
                except Exception:  # a bad file or a database hiccup must not end the webcast
                    logger.exception("The live origin could not follow the recordings")
                time.sleep(TICK_SECONDS)
        finally:
            self.stop()
