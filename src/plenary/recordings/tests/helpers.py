"""WAV files as Janus writes them, for the tests that run without Janus."""

from __future__ import annotations

import itertools
import json
import struct
import subprocess
import threading
import time
import wave
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

RATE = 48000


def janus_wav(folder: Path, start: float, samples: np.ndarray, room: int = 10) -> Path:
    """A WAV file named as Janus names it (its start in µs), 48 kHz mono 16-bit."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"janus-audioroom-{room}-{round(start * 1_000_000)}.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes())
    return path


def tone_at(seconds: float, at: float, hz: float = 1000, length: float = 0.2) -> np.ndarray:
    """``seconds`` of silence with a tone of ``length`` starting at ``at``."""
    samples = np.zeros(int(seconds * RATE), np.float32)
    t = np.arange(int(length * RATE)) / RATE
    begin = int(at * RATE)
    samples[begin : begin + len(t)] = 0.5 * np.sin(2 * np.pi * hz * t)
    return samples


def decoded(path: Path) -> np.ndarray:
    """An audio file or HLS playlist decoded by ffmpeg to 48 kHz mono samples."""
    command = ["ffmpeg", "-loglevel", "error", "-i", str(path), "-f", "s16le", "-ac", "1"]
    command += ["-ar", str(RATE), "-"]
    raw = subprocess.run(command, check=True, capture_output=True).stdout  # noqa: S603
    return np.frombuffer(raw, np.int16).astype(np.float32) / 32768


def packaged_recording(session: Any, seconds: float = 8.0, video: bool = False) -> Any:
    """A ready recording of ``session``: the floor and French, a tone in each at a
    different moment, and the speaker's camera from the second second if ``video``,
    packaged by the real ffmpeg (Janus's files put in place)."""
    from django.utils import timezone

    from plenary.recordings import services
    from plenary.recordings.models import Recording

    recording = Recording.objects.create(
        session=session, started_at=timezone.now(), status=Recording.Status.QUEUED
    )
    start = 1_800_000_000.0
    janus_wav(recording.wav_folder("floor"), start, tone_at(seconds, 1.0, hz=440, length=5.0))
    janus_wav(recording.wav_folder("fr"), start, tone_at(seconds, 2.0, hz=880, length=5.0))
    if video:
        janus_mjr(recording.video_folder, "stage", start + 2, (0, 200, 0), seconds - 3)
    services.package_recording.call(recording.pk)
    recording.refresh_from_db()
    return recording


class GrowingWav:
    """A WAV file that grows in real time, as Janus writes one while recording:
    a header whose sizes say nothing yet, then 20 ms of a tone at a time."""

    def __init__(self, folder: Path, start: float, hz: float = 440, room: int = 10):
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / f"janus-audioroom-{room}-{round(start * 1_000_000)}.wav"
        self._hz = hz
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._write, daemon=True)

    def __enter__(self) -> GrowingWav:
        with self.path.open("wb") as out:
            fmt = struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16)
            out.write(b"RIFF" + struct.pack("<I", 36) + b"WAVEfmt " + fmt + b"data\0\0\0\0")
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _write(self) -> None:
        frame = RATE // 50
        written = 0
        began = time.monotonic()
        with self.path.open("ab") as out:
            while not self._stop.is_set():
                t = (written + np.arange(frame)) / RATE
                out.write(
                    (0.4 * 32767 * np.sin(2 * np.pi * self._hz * t)).astype(np.int16).tobytes()
                )
                out.flush()
                written += frame
                self._stop.wait(max(0.0, began + written / RATE - time.monotonic()))


def public_webcast(meeting: Any) -> None:
    """Give ``meeting`` a provisioned public webcast: its recordings are anyone's."""
    from plenary.provisioning.models import Service, ServiceRequest

    ServiceRequest.objects.create(
        meeting=meeting,
        service=Service.WEBCAST,
        public=True,
        status=ServiceRequest.Status.PROVISIONED,
        requested_by=meeting.organiser,
    )


def janus_mjr(
    folder: Path, stream: str, first_frame: float, rgb: tuple[int, int, int], seconds: float
) -> Path:
    """A video recording as Janus's VideoRoom writes one (``.mjr``) showing one colour
    (640 by 360, 15 frames a second) for ``seconds``."""
    picture = np.zeros((360, 640, 3), np.uint8)
    picture[:, :] = rgb
    return write_mjr(folder, stream, first_frame, itertools.repeat(picture, int(seconds * 15)))


def write_mjr(
    folder: Path, stream: str, first_frame: float, pictures: Iterable[np.ndarray], fps: int = 15
) -> Path:
    """An MJR file as the VideoRoom writes one: the header with its description
    (``stage``, ``screen``) and its first frame's time, then the RTP packets of
    ``pictures`` (RGB arrays) as VP8, encoded by aiortc's encoder as a browser would."""
    import fractions

    import av
    from aiortc.codecs.vpx import Vp8Encoder

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"videoroom-1-user-{stream}-{round(first_frame * 1e6)}-video-0.mjr"
    micros = round(first_frame * 1e6)
    head = json.dumps({"t": "v", "c": "vp8", "d": stream, "s": micros, "u": micros}).encode()
    encoder = Vp8Encoder()
    sequence = 0
    with path.open("wb") as out:
        out.write(b"MJR00002" + struct.pack(">H", len(head)) + head)
        for index, picture in enumerate(pictures):
            frame = av.VideoFrame.from_ndarray(picture, format="rgb24")
            frame.pts, frame.time_base = index * 90000 // fps, fractions.Fraction(1, 90000)
            payloads, timestamp = encoder.encode(frame, force_keyframe=index == 0)
            for number, payload in enumerate(payloads):
                marker = 0x80 if number == len(payloads) - 1 else 0
                rtp = struct.pack(">BBHII", 0x80, marker | 96, sequence & 0xFFFF, timestamp, 1234)
                sequence += 1
                packet = rtp + payload
                out.write(b"MEET" + struct.pack(">IH", index * 1000 // fps, len(packet)) + packet)
    return path


def colour_at(path: Path, seconds: float, x: int = 640, y: int = 200) -> tuple[int, ...]:
    """The colour (RGB) of a video's pixel (x, y) at ``seconds``."""
    import av

    with av.open(str(path)) as container:
        for frame in container.decode(video=0):
            if frame.time is not None and frame.time >= seconds:
                return tuple(int(c) for c in frame.to_ndarray(format="rgb24")[y, x])
    raise AssertionError(f"no frame at {seconds} s")


def near(colour: tuple[int, ...], rgb: tuple[int, int, int]) -> bool:
    """Whether a decoded colour is ``rgb`` (after two lossy codecs)."""
    return all(abs(a - b) < 40 for a, b in zip(colour, rgb, strict=True))
