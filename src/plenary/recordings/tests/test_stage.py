"""The recording's video: Janus's MJR files read, composed on the timeline by the real
janus-pp-rec and ffmpeg, blacked out where a part is cut. The files are written as
the VideoRoom writes them (``helpers.janus_mjr``); the real Janus's are in
``tests/e2e/test_recording.py``."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plenary.recordings import ffmpeg, mjr, packaging, stage
from plenary.recordings.tests.helpers import colour_at, janus_mjr, janus_wav, near, tone_at

START = 1_800_000_000.0
GREEN, RED, BLACK = (0, 200, 0), (200, 0, 0), (0, 0, 0)
CORNER = (1280 - 16 - 160, 720 - 16 - 90)  # the middle of the picture in picture


def _header(folder: Path, name: str, info: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"MJR00002" + struct.pack(">H", len(info)) + info)
    return path


def test_only_described_video_files_with_a_first_frame_are_clips(tmp_path: Path) -> None:
    screen = _header(tmp_path, "b.mjr", b'{"t":"v","c":"vp8","d":"screen","u":1800000002000000}')
    camera = _header(tmp_path, "a.mjr", b'{"t":"v","c":"vp8","d":"stage","u":1800000001500000}')
    _header(tmp_path, "audio.mjr", b'{"t":"a","c":"opus","d":"stage","u":1800000000000000}')
    _header(tmp_path, "other.mjr", b'{"t":"v","c":"vp8","u":1800000000000000}')  # not ours
    _header(tmp_path, "broken.mjr", b'{"t":"v",')
    (tmp_path / "empty.mjr").write_bytes(b"MJR00002")  # Janus had no frame yet
    (tmp_path / "wrong.mjr").write_bytes(b"RIFF....WAVE")
    assert stage.clips(tmp_path) == [
        stage.Clip(camera, stage.STAGE, START + 1.5),
        stage.Clip(screen, stage.SCREEN, START + 2),
    ]
    assert stage.clips(tmp_path / "none") == []


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_after_the_magic_read_as_a_header_or_none(data: bytes) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.mjr"
        path.write_bytes(b"MJR00002" + data)
        found = mjr.header(path)
        assert found is None or isinstance(found, mjr.Header)


def test_the_stage_and_the_screen_are_composed_where_they_were_seen(tmp_path: Path) -> None:
    janus_wav(tmp_path / "wav" / "floor", START, tone_at(8, 1))
    janus_mjr(tmp_path / "video", stage.STAGE, START + 1, GREEN, 5)
    janus_mjr(tmp_path / "video", stage.SCREEN, START + 3, RED, 2)
    done = packaging.package(tmp_path / "wav", tmp_path / "hls", video_folder=tmp_path / "video")
    assert done.video is not None
    video = tmp_path / "hls" / done.video.file
    assert ffmpeg.duration(video) == pytest.approx(8, abs=0.1)
    assert (tmp_path / "hls" / done.video.playlist).is_file()
    assert near(colour_at(video, 0.5), BLACK)  # nobody seen yet
    assert near(colour_at(video, 2), GREEN)  # the speaker
    assert near(colour_at(video, 4), RED)  # the screen over the speaker...
    assert near(colour_at(video, 4, *CORNER), GREEN)  # ...small in its corner
    assert not near(colour_at(video, 2, *CORNER), RED)  # (no corner without a screen)
    assert near(colour_at(video, 5.5), GREEN)  # the screen stopped
    assert near(colour_at(video, 7), BLACK)  # the camera too
    master = packaging.master_playlist(done.tracks, video=done.video)
    assert "RESOLUTION=1280x720,FRAME-RATE=15,BANDWIDTH=" in master
    assert 'CODECS="avc1.64001f,mp4a.40.2",AUDIO="audio"' in master
    assert master.endswith("\nvideo/index.m3u8\n")
    assert packaging.master_playlist(done.tracks).endswith("\nfloor/index.m3u8\n")


def test_a_clip_before_the_audio_starts_is_trimmed_and_no_video_is_no_video(
    tmp_path: Path,
) -> None:
    janus_wav(tmp_path / "wav" / "floor", START, tone_at(4, 1))
    janus_mjr(tmp_path / "video", stage.STAGE, START - 2, GREEN, 4)
    done = packaging.package(tmp_path / "wav", tmp_path / "hls", video_folder=tmp_path / "video")
    assert done.video is not None
    video = tmp_path / "hls" / done.video.file
    assert near(colour_at(video, 1), GREEN) and near(colour_at(video, 3), BLACK)
    again = packaging.package(tmp_path / "wav", tmp_path / "sound", video_folder=tmp_path / "no")
    assert again.video is None and not (tmp_path / "sound" / "video.mp4").exists()


def test_a_clip_janus_pp_rec_cannot_read_is_left_out_and_the_rest_kept(tmp_path: Path) -> None:
    janus_wav(tmp_path / "wav" / "floor", START, tone_at(4, 1))
    janus_mjr(tmp_path / "video", stage.STAGE, START + 0.5, GREEN, 3)
    _header(tmp_path / "video", "cut-short.mjr", b'{"t":"v","c":"vp8","d":"screen","u":1}')
    done = packaging.package(tmp_path / "wav", tmp_path / "hls", video_folder=tmp_path / "video")
    assert done.video is not None
    assert near(colour_at(tmp_path / "hls" / done.video.file, 2), GREEN)


def test_a_cut_part_is_blacked_out_of_the_video_and_its_length_kept(tmp_path: Path) -> None:
    janus_wav(tmp_path / "wav" / "floor", START, tone_at(8, 1, length=6))
    janus_mjr(tmp_path / "video", stage.STAGE, START, GREEN, 8)
    done = packaging.package(tmp_path / "wav", tmp_path / "hls", video_folder=tmp_path / "video")
    assert done.video is not None
    packaging.cut(tmp_path / "hls", ["floor"], [(2.0, 5.0)])
    video = tmp_path / "hls" / done.video.file
    assert ffmpeg.duration(video) == pytest.approx(8, abs=0.1)
    assert near(colour_at(video, 1), GREEN) and near(colour_at(video, 6), GREEN)
    assert near(colour_at(video, 3.5), BLACK)
    segments = tmp_path / "hls" / "video"
    assert (segments / "index.m3u8").is_file() and not (tmp_path / "hls" / "video.old").exists()
