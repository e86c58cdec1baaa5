"""The development set of real human speech (``devset/``: clips, ``manifest.json``,
their sources and licences in ``devset/README.md``), and the error rate that the
accuracy benchmark and tests score recognition by.

Error rate: word error rate, character error rate for Chinese, over the text
normalised the same way for reference and hypothesis (case, punctuation,
Arabic diacritics and letter variants, Russian ё, Chinese written in either
script). Numbers are not spelled out: the live and the offline pass meet the
same references, so it costs both alike.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from plenary.speech.engines.base import ASR_SAMPLE_RATE, DecodeRequest, FloatAudio, Word
from plenary.speech.engines.silero import silero_detector
from plenary.speech.engines.whisper import WHISPER_LANGUAGE, WhisperRecognizer
from plenary.speech.streaming import Caption, StreamingRecognizer
from plenary.speech.text import simplified

FOLDER = Path(__file__).with_name("devset")

# Whisper's codes in the manifest, the project's UN codes in the product.
_LANGUAGE = {"ar": "ar", "zh": "zh-hans", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}
_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
# Alef with hamza or madda (and wasla) as alef; alef maqsura as ya.
_ALEFS = dict.fromkeys("\u0623\u0625\u0622\u0671", "\u0627")
_ARABIC_LETTERS = str.maketrans({**_ALEFS, "\u0649": "\u064a"})
_NOT_WORD = re.compile(r"[^\w\s]|_")


@dataclass(frozen=True)
class Clip:
    """One recording of the set and what its speaker says."""

    file: Path
    language: str  # a UN code (zh-hans for Chinese)
    text: str
    speaker: str | None

    @property
    def name(self) -> str:
        return self.file.stem

    def audio(self) -> FloatAudio:
        """16 kHz mono float32, as the worker hears it after the Opus decoder."""
        from faster_whisper.audio import decode_audio

        return np.asarray(decode_audio(str(self.file), ASR_SAMPLE_RATE), dtype=np.float32)


@cache
def clips() -> tuple[Clip, ...]:
    entries = json.loads((FOLDER / "manifest.json").read_text(encoding="utf-8"))
    return tuple(
        Clip(FOLDER / e["file"], _LANGUAGE[e["language"]], e["text"], e.get("speaker"))
        for e in entries
    )


def by_language(per_language: int | None = None) -> dict[str, list[Clip]]:
    """The clips of each language, in the manifest's order (the first ``per_language``)."""
    grouped: dict[str, list[Clip]] = {}
    for clip in clips():
        grouped.setdefault(clip.language, []).append(clip)
    return {code: found[:per_language] for code, found in grouped.items()}


def tokens(text: str, language: str) -> list[str]:
    """What is scored: the words of ``text``, or its characters for Chinese."""
    text = unicodedata.normalize("NFKC", text).lower()
    if language == "ar":
        text = _ARABIC_MARKS.sub("", text).translate(_ARABIC_LETTERS)
    elif language == "ru":
        text = text.replace("\u0451", "\u0435")  # yo as ye
    elif language.startswith("zh"):
        text = simplified(text)
    text = _NOT_WORD.sub(" ", text)
    if language.startswith("zh"):
        return [c for c in text if not c.isspace()]
    return text.split()


def edits(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Levenshtein distance: substitutions, deletions and insertions."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def error_rate(pairs: Iterable[tuple[str, str]], language: str) -> float:
    """Errors over reference length, summed over (reference, hypothesis) pairs."""
    errors = length = 0
    for reference, hypothesis in pairs:
        ref = tokens(reference, language)
        errors += edits(ref, tokens(hypothesis, language))
        length += len(ref)
    return errors / max(1, length)


# --- Recognising a clip, live and offline -------------------------------------

# After the clip, the stream goes on with silence (a mix does) for this long.
TRAILING_SILENCE_S = 3.0


@dataclass(frozen=True)
class Live:
    """What the live path made of a clip: its final captions, in order."""

    finals: list[Caption]

    @property
    def text(self) -> str:
        return " ".join(c.text for c in self.finals)

    @property
    def repeated(self) -> int:
        """Final captions whose text an earlier final already had (should be none)."""
        seen: set[str] = set()
        count = 0
        for caption in self.finals:
            key = " ".join(tokens(caption.text, "en"))
            count += key in seen
            seen.add(key)
        return count


@dataclass(frozen=True)
class WorkerDecode:
    """The worker's decoding (``transcribe_batch``, as its batch scheduler calls it)
    for one stream, behind the ``Recognizer`` interface the policy takes."""

    model: WhisperRecognizer

    def transcribe(
        self,
        audio: FloatAudio,
        *,
        language: str,
        prompt: str = "",
        hotwords: str = "",
        beam_size: int = 1,
    ) -> list[Word]:
        request = DecodeRequest(audio, language, prompt, hotwords, beam_size)
        return self.model.transcribe_batch([request])[0]


def live(model: WhisperRecognizer, audio: FloatAudio, language: str, step_s: float = 1.0) -> Live:
    """The live path over ``audio``: the worker's policy (LocalAgreement-2, Silero VAD,
    the end-of-speech pass) and decoding, fed ``step_s`` of audio at a time, then
    silence, then the end of the stream. Driven in audio time: deterministic."""
    streamer = StreamingRecognizer(WorkerDecode(model), language, has_speech=silero_detector())
    step = int(step_s * ASR_SAMPLE_RATE)
    silence = np.zeros(int(TRAILING_SILENCE_S * ASR_SAMPLE_RATE), dtype=np.float32)
    fed = np.concatenate([audio, silence])
    finals: list[Caption] = []
    for start in range(0, len(fed), step):
        finals += [c for c in streamer.push(fed[start : start + step]) if c.final]
    finals += [c for c in streamer.finish() if c.final]
    return Live(finals)


def offline(model: WhisperRecognizer, audio: FloatAudio, language: str) -> str:
    """The same model run offline over the whole clip: faster-whisper's own
    transcription with its defaults (beam 5, temperature fallback)."""
    whisper_language = WHISPER_LANGUAGE.get(language, language)
    segments, _info = model.model.transcribe(audio, language=whisper_language, beam_size=5)
    text = " ".join(segment.text.strip() for segment in segments)
    return simplified(text) if whisper_language == "zh" else text
