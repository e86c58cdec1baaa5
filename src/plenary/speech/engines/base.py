"""The interfaces every engine adapter implements, and the errors they raise."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

# Whisper and Silero VAD work on 16 kHz mono float32 audio.
ASR_SAMPLE_RATE = 16_000

FloatAudio = npt.NDArray[np.float32]
# A function that says whether an audio clip (16 kHz float32) contains speech.
SpeechDetector = Callable[[FloatAudio], bool]


class EngineError(RuntimeError):
    """An engine failed to load a model or to process input."""


class ModelMissing(EngineError):
    """No installed model serves this language or language pair."""


@dataclass(frozen=True)
class Word:
    """A recognised word with its times in seconds from the start of the audio given."""

    text: str
    start: float
    end: float


class Recognizer(Protocol):
    """Speech to text for one model (ASR)."""

    def transcribe(
        self,
        audio: FloatAudio,
        *,
        language: str,
        prompt: str = "",
        hotwords: str = "",
        beam_size: int = 1,
    ) -> list[Word]:
        """Recognise ``audio`` (16 kHz mono float32) in ``language`` (a UN code).

        Streaming uses greedy decoding (``beam_size=1``); offline passes may search wider.
        """
        ...


@dataclass(frozen=True, eq=False)
class DecodeRequest:
    """One stream's pass over its audio buffer, as the arguments of ``Recognizer.transcribe``."""

    audio: FloatAudio
    language: str
    prompt: str = ""
    hotwords: str = ""
    beam_size: int = 1


class BatchRecognizer(Protocol):
    """A recogniser that decodes the passes of several streams in shared model calls."""

    def transcribe_batch(self, requests: Sequence[DecodeRequest]) -> list[list[Word]]:
        """The words of each request, in order (an empty list where nothing was said)."""
        ...


class Translator(Protocol):
    """Text to text for one model and a set of language pairs (MT)."""

    def translate(self, texts: list[str], *, source: str, target: str) -> list[str]: ...


@dataclass(frozen=True)
class Speech:
    """Synthesised speech: mono int16 samples."""

    samples: npt.NDArray[np.int16]
    sample_rate: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate


class Synthesizer(Protocol):
    """Text to speech for one voice (TTS)."""

    # A fallback voice is labelled as such wherever it is offered.
    is_fallback: bool

    def synthesize(self, text: str) -> Speech: ...
