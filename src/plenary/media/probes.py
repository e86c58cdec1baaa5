"""Synthetic audio sources and recorders for aiortc peers (tests and benchmarks).

``ArrayTrack`` plays a float array in real time and notes when each 20 ms
frame left; ``Recorder`` consumes a remote track (aiortc queues every packet
unless someone reads it) and notes when each frame arrived. The analysis
helpers find a reference signal inside a recording.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import shutil
import subprocess
import time
import wave
from pathlib import Path

import av
import numpy as np
import numpy.typing as npt
from aiortc import MediaStreamTrack
from aiortc.mediastreams import MediaStreamError

RATE = 48000
FRAME = 960  # 20 ms at 48 kHz
Signal = npt.NDArray[np.float32]


def tone(hz: float, seconds: float, amplitude: float = 0.3) -> Signal:
    t = np.arange(int(seconds * RATE)) / RATE
    return (amplitude * np.sin(2 * np.pi * hz * t)).astype(np.float32)


def speech(text: str, folder: Path) -> tuple[Signal, Path]:
    """Synthesise ``text`` with espeak-ng; return it at 48 kHz mono and the 48 kHz WAV file."""
    raw = folder / "speech-raw.wav"
    subprocess.run(  # noqa: S603 - fixed program, our own arguments
        [
            shutil.which("espeak-ng") or "/usr/bin/espeak-ng",
            "-v",
            "en",
            "-s",
            "150",
            "-w",
            str(raw),
            text,
        ],
        check=True,
    )
    with wave.open(str(raw)) as source:
        rate = source.getframerate()
        samples = np.frombuffer(source.readframes(source.getnframes()), dtype=np.int16)
    x = samples.astype(np.float32)
    positions = np.arange(0, len(x), rate / RATE)
    y = np.interp(positions, np.arange(len(x)), x).astype(np.float32)
    y = (y / (np.abs(y).max() + 1e-9) * 0.7).astype(np.float32)
    path = folder / "speech.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes((y * 32767).astype(np.int16).tobytes())
    return y, path


def bursts(count: int, every: float = 0.6, length: float = 0.06) -> tuple[Signal, list[int]]:
    """Silence with ``count`` 1 kHz bursts, each starting on a frame; returns the start frames."""
    period = round(every * RATE / FRAME) * FRAME
    lead = 25 * FRAME
    signal = np.zeros(lead + period * count + RATE // 2, np.float32)
    starts = []
    for i in range(count):
        start = lead + i * period
        signal[start : start + int(length * RATE)] = tone(1000, length, 0.5)
        starts.append(start // FRAME)
    return signal, starts


class ArrayTrack(MediaStreamTrack):
    """Plays a mono 48 kHz float array in real time (looping if asked)."""

    kind = "audio"

    def __init__(self, samples: Signal, loop: bool = False):
        super().__init__()
        self._samples = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
        self._repeat = loop
        self._index = 0
        self._t0: float | None = None
        self.sent_at: dict[int, float] = {}

    async def recv(self) -> av.AudioFrame:
        if self._t0 is None:
            self._t0 = time.time()
        delay = self._t0 + self._index * FRAME / RATE - time.time()
        if delay > 0:
            await asyncio.sleep(delay)
        start = self._index * FRAME
        if self._repeat:
            start %= max(len(self._samples) - FRAME, 1)
        chunk = self._samples[start : start + FRAME]
        if len(chunk) < FRAME:
            chunk = np.concatenate([chunk, np.zeros(FRAME - len(chunk), np.int16)])
        frame = av.AudioFrame.from_ndarray(chunk.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = RATE
        frame.pts = self._index * FRAME
        frame.time_base = fractions.Fraction(1, RATE)
        self.sent_at[self._index] = time.time()
        self._index += 1
        return frame


class Recorder:
    """Reads a remote audio track to the end, keeping mono samples and arrival times."""

    def __init__(self, track: MediaStreamTrack):
        self._track = track
        self.chunks: list[Signal] = []
        self.times: list[float] = []
        self._task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        with contextlib.suppress(MediaStreamError):
            while True:
                frame = await self._track.recv()
                if not isinstance(frame, av.AudioFrame):
                    continue
                samples = frame.to_ndarray()
                channels = len(frame.layout.channels)
                mono = samples.reshape(-1, channels)[:, 0] if samples.shape[0] == 1 else samples[0]
                self.times.append(time.time())
                self.chunks.append(mono.astype(np.float32) / 32768.0)

    def signal(self, last_seconds: float | None = None) -> Signal:
        out = np.concatenate(self.chunks) if self.chunks else np.zeros(0, np.float32)
        return out[-int(last_seconds * RATE) :] if last_seconds else out

    def mark(self) -> int:
        """The number of frames received so far (to analyse only what comes after)."""
        return len(self.chunks)

    def since(self, mark: int) -> Signal:
        chunks = self.chunks[mark:]
        return np.concatenate(chunks) if chunks else np.zeros(0, np.float32)


def correlation(reference: Signal, recording: Signal) -> float:
    """Peak normalised cross-correlation of ``reference`` inside ``recording`` (0 to 1)."""
    if len(recording) < len(reference) or not reference.any():
        return 0.0
    ref = reference - reference.mean()
    rec = recording - recording.mean()
    size = 1 << int(np.ceil(np.log2(len(rec) + len(ref))))
    spectrum = np.fft.rfft(rec, size) * np.conj(np.fft.rfft(ref, size))
    raw = np.fft.irfft(spectrum, size)[: len(rec) - len(ref) + 1]
    cumulative = np.concatenate([[0.0], np.cumsum(rec.astype(np.float64) ** 2)])
    energy = cumulative[len(ref) :] - cumulative[: len(rec) - len(ref) + 1]
    normalised = raw / (np.sqrt(np.maximum(energy, 1e-12)) * np.sqrt((ref**2).sum()))
    return float(normalised.max())


def dominant_hz(samples: Signal) -> float:
    if len(samples) < RATE // 10 or np.sqrt((samples**2).mean()) < 1e-3:
        return 0.0
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.fft.rfftfreq(len(samples), 1 / RATE)[int(np.argmax(spectrum))])


def burst_latencies(
    recorder: Recorder, track: ArrayTrack, starts: list[int], threshold: float = 0.05
) -> list[float]:
    """Seconds from each burst leaving the sender to its onset at the receiver."""
    times = np.array(recorder.times)
    above = np.abs(recorder.signal()) > threshold
    out = []
    for start in starts:
        sent = track.sent_at.get(start)
        if sent is None:
            continue
        first = int(np.searchsorted(times, sent))
        for j in range(first, min(first + 50, len(times))):
            window = above[j * FRAME : (j + 1) * FRAME]
            if window.any():
                out.append(float(times[j] + int(np.argmax(window)) / RATE - sent))
                break
    return out


def camera_y4m(path: Path, width: int = 1280, height: int = 720, frames: int = 12) -> Path:
    """A moving test picture for Chromium's fake camera (``--use-file-for-fake-video-capture``):
    a bright bar that crosses the frame, played in a loop at 12 frames a second."""
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F12:1 Ip A1:1 C420jpeg\n".encode())
        chroma = np.full((height // 2, width // 2), 128, np.uint8).tobytes()
        for frame in range(frames):
            luma = np.full((height, width), 60, np.uint8)
            start = frame * width // frames
            luma[:, start : start + width // 8] = 220
            out.write(b"FRAME\n" + luma.tobytes() + chroma + chroma)
    return path
