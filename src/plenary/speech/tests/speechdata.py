"""Speech synthesised at test time, and word error rate; used by tests and the benchmark."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from plenary.speech.audio import to_asr_input
from plenary.speech.engines import catalog, loader
from plenary.speech.engines.base import (
    ASR_SAMPLE_RATE,
    BatchRecognizer,
    DecodeRequest,
    FloatAudio,
    Word,
)
from plenary.speech.engines.piper import PiperSynthesizer

ENGLISH = [
    "The meeting is called to order.",
    "I give the floor to the distinguished delegate of Brazil.",
    "We support the proposal on the radio regulations.",
]
SPANISH = [
    "Se abre la sesión.",
    "Doy la palabra al distinguido delegado de México.",
    "Apoyamos la propuesta sobre el orden del día.",
]


@dataclass(frozen=True)
class Utterance:
    """Sentences spoken one after another, with the audio time each one ends at."""

    audio: FloatAudio
    sentences: list[str]
    ends: list[float]

    @property
    def text(self) -> str:
        return " ".join(self.sentences)


def speak(
    sentences: list[str], language: str, *, engine: str = "piper", pause_s: float = 0.4
) -> Utterance:
    """Synthesise ``sentences`` with Piper or espeak-ng, separated by short pauses.

    The same sentences always give the same audio (Piper without its random
    variation), so a test's outcome never depends on the draw.
    """
    voice = next(v for v in catalog.models_for("tts", language) if v.engine == engine)
    synthesizer = loader.synthesizer(voice)
    pieces: list[FloatAudio] = []
    ends: list[float] = []
    total = 0
    pause = np.zeros(int(pause_s * ASR_SAMPLE_RATE), dtype=np.float32)
    for sentence in sentences:
        speech = (
            synthesizer.synthesize(sentence, vary=False)
            if isinstance(synthesizer, PiperSynthesizer)
            else synthesizer.synthesize(sentence)
        )
        audio = to_asr_input(speech.samples, speech.sample_rate)
        pieces += [audio, pause]
        total += len(audio)
        ends.append(total / ASR_SAMPLE_RATE)
        total += len(pause)
    return Utterance(np.concatenate(pieces), sentences, ends)


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w\s]", " ", text.lower()).split()


def word_error_rate(reference: str, hypothesis: str) -> float:
    """Levenshtein distance over words, divided by the reference's length."""
    ref, hyp = _words(reference), _words(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, 1):
        current = [i]
        for j, hyp_word in enumerate(hyp, 1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word))
            )
        previous = current
    return previous[-1] / max(1, len(ref))


@dataclass
class CountingBatches:
    """The seam tests and the benchmark observe batching through: passes each call on
    to the real model and records how many stream passes it carried."""

    model: BatchRecognizer
    sizes: list[int] = field(default_factory=list)

    def transcribe_batch(self, requests: Sequence[DecodeRequest]) -> list[list[Word]]:
        self.sizes.append(len(requests))
        return self.model.transcribe_batch(requests)
