"""Package a recording for playback: one aligned AAC track per channel, HLS with one
audio rendition per channel.

Janus wrote each channel as WAV files, one per start, named after the start
on Janus's wall clock (``plenary.media.recorder``). All tracks share one
timeline, starting at the earliest file of any channel, so that switching
language keeps the place: each file is placed at its own start, silence
fills the rest, and where a channel has no file (Janus was down) the gap is
kept in ``Track.gaps``. A file cut short by a crash still holds everything up
to its last write; its header is repaired from its length first.

The master playlist has one audio group: the floor is the default rendition
(``LANGUAGE="mul"``: whatever the speakers spoke), each booth a rendition
tagged with its language and named in it. Pages label the tracks in the
reader's own language; the playlist is the same file for everyone.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.utils.translation import gettext_noop

from plenary.core.languages import AUTONYMS, UN_LANGUAGES
from plenary.recordings import ffmpeg, stage

FLOOR = "floor"
_PIECE = re.compile(r"^janus-audioroom-\d+-(\d+)\.wav$")
_HEAD_BYTES = 4096  # enough of a WAV file for its chunks before the samples
# A gap shorter than this is the time Janus takes between two files, not a loss.
GAP_SECONDS = 1.0


class PackagingError(ValueError):
    """What packaging cannot do with these files; the message is an untranslated
    message (``gettext_noop``) that pages translate."""


@dataclass(frozen=True)
class Piece:
    """One WAV file: when Janus started it (epoch seconds) and how long it is."""

    path: Path
    start: float
    seconds: float


@dataclass
class Track:
    """One channel of the packaged recording, as the recording row keeps it."""

    channel: str
    language: str  # an HLS LANGUAGE tag: the booth's language, "mul" for the floor
    name: str
    playlist: str  # relative to the recording's HLS folder
    audio: str  # the downloadable file, relative to the same folder
    gaps: list[tuple[float, float]] = field(default_factory=list)


def hls_language(channel: str) -> str:
    """The channel's BCP 47 tag: the booth's language, ``mul`` for the floor."""
    if channel == FLOOR:
        return "mul"
    return "zh-Hans" if channel == "zh-hans" else channel


def _data_chunk(head: bytes) -> int:
    """Where the ``data`` chunk's size field is in a RIFF/WAVE header (Janus writes
    ``fmt `` then ``data``; other writers put chunks such as ``LIST`` between)."""
    if head[:4] != b"RIFF" or head[8:12] != b"WAVE":
        raise PackagingError(gettext_noop("A recorded file is damaged beyond repair."))
    at = 12
    while at + 8 <= len(head):
        chunk, size = head[at : at + 4], struct.unpack("<I", head[at + 4 : at + 8])[0]
        if chunk == b"data":
            return at + 4
        at += 8 + size + (size & 1)
    raise PackagingError(gettext_noop("A recorded file is damaged beyond repair."))


def _layout(head: bytes) -> tuple[int, int, int]:
    """Where the data chunk's size field is, the bytes of one frame, the frames a second."""
    size_at = _data_chunk(head)
    fmt = head.find(b"fmt ")
    if fmt < 0 or len(head) < fmt + 24:
        raise PackagingError(gettext_noop("A recorded file is damaged beyond repair."))
    channels, rate = struct.unpack("<HI", head[fmt + 10 : fmt + 16])
    bits = struct.unpack("<H", head[fmt + 22 : fmt + 24])[0]
    frame = channels * bits // 8
    if frame == 0 or rate == 0:
        raise PackagingError(gettext_noop("A recorded file is damaged beyond repair."))
    return size_at, frame, rate


@dataclass(frozen=True)
class Written:
    """A WAV file Janus may still be writing, as it is now: where its samples start,
    their format, and how many bytes of them there are."""

    data_start: int
    frame: int  # bytes of one sample of every channel
    rate: int
    data_bytes: int

    def offset_at(self, seconds: float) -> int:
        """The byte where the sample at ``seconds`` starts (within what is written)."""
        frames = min(int(seconds * self.rate), self.data_bytes // self.frame)
        return self.data_start + max(frames, 0) * self.frame

    @property
    def seconds(self) -> float:
        return self.data_bytes // self.frame / self.rate


def written(path: Path) -> Written:
    """The WAV file as it is now, from its length (its header's sizes may be stale)."""
    with path.open("rb") as wav:
        size_at, frame, rate = _layout(wav.read(_HEAD_BYTES))
        wav.seek(0, 2)
        return Written(size_at + 4, frame, rate, max(wav.tell() - size_at - 4, 0))


def repair(path: Path) -> float:
    """Make the WAV header's sizes match the file (Janus updates them every five
    seconds, so a crash leaves them short); the length in seconds."""
    with path.open("r+b") as wav:
        size_at, frame, rate = _layout(wav.read(_HEAD_BYTES))
        start = size_at + 4
        wav.seek(0, 2)
        data = max(wav.tell() - start, 0) // frame * frame
        wav.truncate(start + data)
        wav.seek(4)
        wav.write(struct.pack("<I", start - 8 + data))
        wav.seek(size_at)
        wav.write(struct.pack("<I", data))
    return data / (rate * frame)


def started_at(path: Path) -> float | None:
    """When Janus started writing the file (epoch seconds, from its name); ``None``
    for a file that is not Janus's."""
    match = _PIECE.match(path.name)
    return int(match.group(1)) / 1_000_000 if match else None


def newest(folder: Path) -> Path | None:
    """The file Janus writes now in a channel's folder (the last one it started)."""
    found = [
        (start, path)
        for path in folder.glob("janus-audioroom-*.wav")
        if (start := started_at(path))
    ]
    return max(found)[1] if found else None


def pieces(folder: Path) -> list[Piece]:
    """The WAV files Janus wrote in a channel's folder, in order, each repaired."""
    found = []
    for path in folder.glob("janus-audioroom-*.wav"):
        start = started_at(path)
        if start is None:
            continue
        seconds = repair(path)
        if seconds > 0:
            found.append(Piece(path, start, seconds))
    return sorted(found, key=lambda piece: piece.start)


def gaps(channel_pieces: list[Piece], origin: float, end: float) -> list[tuple[float, float]]:
    """Where, on the timeline, the channel has no recording (between its files; before
    its first and after its last only when other channels were recorded then)."""
    found = []
    at = origin
    for piece in channel_pieces:
        if piece.start - at >= GAP_SECONDS:
            found.append((round(at - origin, 3), round(piece.start - origin, 3)))
        at = max(at, piece.start + piece.seconds)
    if end - at >= GAP_SECONDS:
        found.append((round(at - origin, 3), round(end - origin, 3)))
    return found


def track_name(channel: str) -> str:
    """The rendition's NAME: the booth's language in itself (pages label tracks in
    the reader's language)."""
    return "Original" if channel == FLOOR else AUTONYMS[channel]


def rendition(track: Track, default: bool) -> str:
    return (
        f'#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="{track.name}",'
        f'LANGUAGE="{track.language}",DEFAULT={"YES" if default else "NO"},'
        f'AUTOSELECT=YES,URI="{track.playlist}"'
    )


def subtitle_rendition(language: str, uri: str) -> str:
    """A transcript language as a subtitle rendition (off unless the listener asks)."""
    name = AUTONYMS[language]
    return (
        f'#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subtitles",NAME="{name}",'
        f'LANGUAGE="{hls_language(language)}",DEFAULT=NO,AUTOSELECT=NO,URI="{uri}"'
    )


def master_playlist(
    tracks: list[Track],
    subtitles: Sequence[tuple[str, str]] = (),
    video: stage.Video | None = None,
) -> str:
    """The master playlist: one audio rendition per track, the floor's first, one
    subtitle rendition per (language, playlist URI) of ``subtitles``, and the
    ``video`` as the one variant if given (else the floor's audio is)."""
    bandwidth = int(ffmpeg.AUDIO_BITRATE.rstrip("k")) * 1000 * 11 // 10
    lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"]
    lines += [rendition(track, index == 0) for index, track in enumerate(tracks)]
    lines += [subtitle_rendition(language, uri) for language, uri in subtitles]
    codecs, uri = "mp4a.40.2", tracks[0].playlist
    variant = "#EXT-X-STREAM-INF:"
    if video is not None:
        bandwidth += video.bandwidth
        codecs, uri = f"{ffmpeg.VIDEO_CODECS},{codecs}", video.playlist
        variant += f"RESOLUTION={video.width}x{video.height},FRAME-RATE={ffmpeg.VIDEO_FPS},"
    variant += f'BANDWIDTH={bandwidth},CODECS="{codecs}",AUDIO="audio"'
    lines.append(variant + (',SUBTITLES="subtitles"' if subtitles else ""))
    lines.append(uri)
    return "\n".join(lines) + "\n"


@dataclass
class Packaged:
    tracks: list[Track]
    seconds: float
    size: int
    origin: float  # epoch seconds of the timeline's start
    video: stage.Video | None = None

    def tracks_json(self) -> list[dict[str, object]]:
        return [asdict(track) for track in self.tracks]


def _package_channel(
    channel: str,
    channel_pieces: list[Piece],
    span: tuple[float, float],
    output: Path,
    timeout: float,
) -> Track:
    """Encode and segment one channel placed on the timeline ``span`` (origin, end)."""
    origin, end = span
    audio = output / f"{channel}.m4a"
    placed = [(piece.path, piece.start - origin) for piece in channel_pieces]
    ffmpeg.encode_timeline(placed, end - origin, audio, timeout)
    playlist = ffmpeg.segment(audio, output / channel, timeout)
    return Track(
        channel=channel,
        language=hls_language(channel),
        name=track_name(channel),
        playlist=str(playlist.relative_to(output)),
        audio=audio.name,
        gaps=gaps(channel_pieces, origin, end),
    )


def folder_size(folder: Path) -> int:
    """The bytes of every file under ``folder``."""
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())


def cut(
    hls: Path,
    channels: Sequence[str],
    spans: Sequence[tuple[float, float]],
    progress: Callable[[int], None] = lambda percent: None,
    timeout: float = 3600,
) -> int:
    """Silence ``spans`` in every channel of the packaged recording in ``hls``, and
    black them out of its video: each file encoded again, its HLS cut again and put
    in place of the old one (a player reading the old segments meanwhile is not
    broken). The new size in bytes."""
    Edit = Callable[[Path, Sequence[tuple[float, float]], Path, float], None]
    files: list[tuple[str, str, Edit]] = [
        (f"{channel}.m4a", channel, ffmpeg.silence) for channel in channels
    ]
    if (hls / f"{stage.FOLDER}.mp4").is_file():
        files.append((f"{stage.FOLDER}.mp4", stage.FOLDER, ffmpeg.blank))
    for count, (name, folder, edit) in enumerate(files, start=1):
        source = hls / name
        edited = source.with_name(f"{folder}.cut{source.suffix}")
        edit(source, spans, edited, timeout)
        fresh = ffmpeg.segment(edited, hls / f"{folder}.cut", timeout).parent
        edited.replace(source)
        old = hls / f"{folder}.old"
        (hls / folder).rename(old)
        fresh.rename(hls / folder)
        shutil.rmtree(old)
        progress(100 * count // len(files))
    return folder_size(hls)


def package(
    wav_folder: Path,
    output: Path,
    progress: Callable[[int], None] = lambda percent: None,
    timeout: float = 3600,
    video_folder: Path | None = None,
) -> Packaged:
    """Package every channel recorded under ``wav_folder`` (a folder per channel) into
    ``output``: ``<channel>.m4a``, ``<channel>/index.m3u8`` and ``index.m3u8``; and
    the video Janus recorded in ``video_folder``, if any, composed on the same
    timeline (``stage``): ``video.mp4``, ``video/index.m3u8``.

    The channels are encoded side by side, one ffmpeg per processor, then the
    video (half the progress when there is one); ``progress`` is told (in the
    calling thread) as each is done."""
    folders = wav_folder.iterdir() if wav_folder.is_dir() else iter(())
    by_channel = {
        folder.name: found for folder in folders if folder.is_dir() and (found := pieces(folder))
    }
    if FLOOR not in by_channel:
        raise PackagingError(gettext_noop("Nothing of the floor was recorded."))
    channels = [FLOOR, *(code for code in UN_LANGUAGES if code in by_channel)]
    every = [piece for channel in channels for piece in by_channel[channel]]
    origin = min(piece.start for piece in every)
    end = max(piece.start + piece.seconds for piece in every)
    output.mkdir(parents=True, exist_ok=True)
    seen = stage.clips(video_folder) if video_folder else []
    steps = len(channels) * (2 if seen else 1)
    made: dict[str, Track] = {}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        jobs = {
            pool.submit(
                _package_channel, channel, by_channel[channel], (origin, end), output, timeout
            ): channel
            for channel in channels
        }
        for count, job in enumerate(as_completed(jobs), start=1):
            made[jobs[job]] = job.result()
            progress(100 * count // steps)
    tracks = [made[channel] for channel in channels]
    video = stage.compose(seen, (origin, end), output, timeout) if seen else None
    (output / "index.m3u8").write_text(master_playlist(tracks), encoding="utf-8")
    return Packaged(
        tracks=tracks,
        seconds=round(end - origin, 3),
        size=folder_size(output),
        origin=origin,
        video=video,
    )
