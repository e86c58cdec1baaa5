"""Packaging with the real ffmpeg: one timeline for every channel, gaps kept, HLS renditions
with their language tags, and a file cut short by a crash repaired."""

from __future__ import annotations

import struct
import subprocess
from pathlib import Path

import numpy as np
import pytest

from plenary.recordings import ffmpeg, packaging
from plenary.recordings.tests.helpers import RATE, decoded, janus_wav, tone_at

T0 = 1_800_000_000.0  # a wall-clock start, in epoch seconds


def onset(samples: np.ndarray) -> float:
    return float(np.flatnonzero(np.abs(samples) > 0.05)[0]) / RATE


def test_every_channel_is_placed_on_the_wall_clock_of_its_files(tmp_path: Path) -> None:
    wav = tmp_path / "wav"
    janus_wav(wav / "floor", T0, tone_at(4, 1.0))  # a tone 1 s in
    janus_wav(wav / "fr", T0 + 2.5, tone_at(3, 0.5))  # the booth started later: 3 s in
    janus_wav(wav / "zh-hans", T0, tone_at(6, 5.0))  # the longest: 6 s
    progress: list[int] = []
    done = packaging.package(wav, tmp_path / "hls", progress.append)

    assert done.origin == T0 and done.seconds == pytest.approx(6.0)
    assert [t.channel for t in done.tracks] == ["floor", "zh-hans", "fr"]  # UN order
    assert progress[-1] == 100 and progress == sorted(progress)
    for channel, expected in (("floor", 1.0), ("fr", 3.0), ("zh-hans", 5.0)):
        audio = decoded(tmp_path / "hls" / f"{channel}.m4a")
        assert len(audio) / RATE == pytest.approx(6.0, abs=0.05)  # one length for all
        hls = decoded(tmp_path / "hls" / channel / "index.m3u8")
        assert onset(hls) == pytest.approx(expected, abs=0.05)
    fr = next(t for t in done.tracks if t.channel == "fr")
    assert fr.gaps == [(0.0, 2.5)]  # its last half second is too short to be a loss


def test_the_master_playlist_has_one_rendition_per_channel_with_its_language(
    tmp_path: Path,
) -> None:
    janus_wav(tmp_path / "wav" / "floor", T0, tone_at(2, 0.5))
    janus_wav(tmp_path / "wav" / "ar", T0, tone_at(2, 0.5))
    janus_wav(tmp_path / "wav" / "zh-hans", T0, tone_at(2, 0.5))
    packaging.package(tmp_path / "wav", tmp_path / "hls")
    master = (tmp_path / "hls" / "index.m3u8").read_text().splitlines()
    media = [line for line in master if line.startswith("#EXT-X-MEDIA:")]
    assert media == [
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="Original",LANGUAGE="mul",'
        'DEFAULT=YES,AUTOSELECT=YES,URI="floor/index.m3u8"',
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="العربية",LANGUAGE="ar",'
        'DEFAULT=NO,AUTOSELECT=YES,URI="ar/index.m3u8"',
        '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="audio",NAME="中文",LANGUAGE="zh-Hans",'
        'DEFAULT=NO,AUTOSELECT=YES,URI="zh-hans/index.m3u8"',
    ]
    assert master[-2].endswith('AUDIO="audio"') and master[-1] == "floor/index.m3u8"
    rendition = (tmp_path / "hls" / "ar" / "index.m3u8").read_text()
    assert "#EXT-X-PLAYLIST-TYPE:VOD" in rendition and '#EXT-X-MAP:URI="init.mp4"' in rendition


def test_a_file_cut_short_by_a_crash_is_repaired_and_the_gap_after_it_kept(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "wav" / "floor"
    first = janus_wav(folder, T0, tone_at(3, 0.5))
    janus_wav(folder, T0 + 5, tone_at(2, 0.5))  # Janus was back two seconds later
    with first.open("r+b") as wav:  # the sizes as of Janus's last header update
        wav.seek(40)
        wav.write(struct.pack("<I", RATE * 2))
        wav.seek(0, 2)
        wav.write(b"\x01")  # and half a sample written as it died
    pieces = packaging.pieces(folder)
    assert [p.seconds for p in pieces] == [pytest.approx(3.0), pytest.approx(2.0)]
    done = packaging.package(tmp_path / "wav", tmp_path / "hls")
    assert done.tracks[0].gaps == [(3.0, 5.0)]
    audio = decoded(tmp_path / "hls" / "floor.m4a")
    assert onset(audio[5 * RATE :]) == pytest.approx(0.5, abs=0.05)  # the second file's tone


def test_nothing_of_the_floor_is_refused_and_a_foreign_file_is_ignored(tmp_path: Path) -> None:
    (tmp_path / "wav" / "floor").mkdir(parents=True)
    (tmp_path / "wav" / "floor" / "notes.wav").write_bytes(b"not Janus's")
    janus_wav(tmp_path / "wav" / "fr", T0, tone_at(1, 0.2))
    with pytest.raises(packaging.PackagingError, match="floor"):
        packaging.package(tmp_path / "wav", tmp_path / "hls")


def test_ffmpeg_failing_says_why(tmp_path: Path) -> None:
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF" + b"\0" * 60)
    with pytest.raises(ffmpeg.FfmpegError) as failure:
        ffmpeg.encode_timeline([(broken, 0.0)], 1.0, tmp_path / "out.m4a", timeout=60)
    assert str(failure.value)


def test_a_wav_file_with_other_chunks_before_its_samples_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "wav" / "floor"
    folder.mkdir(parents=True)
    path = folder / f"janus-audioroom-10-{round(T0 * 1_000_000)}.wav"
    command = [ffmpeg.binary(), "-loglevel", "error", "-f", "lavfi", "-i", "sine=d=1.5"]
    subprocess.run([*command, "-ar", str(RATE), "-ac", "1", str(path)], check=True)  # noqa: S603
    assert b"LIST" in path.read_bytes()[:200]  # ffmpeg names itself in a LIST chunk
    (piece,) = packaging.pieces(folder)
    assert piece.seconds == pytest.approx(1.5, abs=0.01)
