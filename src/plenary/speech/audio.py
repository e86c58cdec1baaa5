"""Sample-rate conversion and format helpers shared by the worker and the AI voice."""

from __future__ import annotations

import av
import numpy as np
import numpy.typing as npt

from plenary.speech.engines.base import ASR_SAMPLE_RATE, FloatAudio

Int16Audio = npt.NDArray[np.int16]


def resample(samples: Int16Audio, rate: int, target_rate: int) -> Int16Audio:
    """Mono int16 at ``rate`` -> mono int16 at ``target_rate`` (libswresample)."""
    if rate == target_rate or not len(samples):
        return samples
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="s16", layout="mono", rate=target_rate)
    out = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    out += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(out).astype(np.int16) if out else np.zeros(0, dtype=np.int16)


def to_asr_input(samples: Int16Audio, rate: int) -> FloatAudio:
    """Mono int16 at any rate -> 16 kHz float32 in [-1, 1], what Whisper and VAD take."""
    return (resample(samples, rate, ASR_SAMPLE_RATE).astype(np.float32) / 32768.0).astype(
        np.float32
    )
