"""ASR adapter: Whisper on faster-whisper (CTranslate2).

Decoding follows the tuned streaming configuration measured in
``reference/SPEECH-PLANE.md``: greedy (beam 1), no temperature fallback, no
conditioning on previous text, at most 96 new tokens per pass, word times on.

``transcribe_batch`` decodes the passes of many streams together (what a
worker does with its live streams): per language, one encoder call over the
batch's 30 s windows, one greedy ``generate`` with each stream's own prompt,
and one alignment call for the word times — the same steps as
faster-whisper's ``BatchedInferencePipeline``, which only batches the chunks
of *one* audio with one prompt.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from plenary.speech.engines.base import (
    ASR_SAMPLE_RATE,
    DecodeRequest,
    EngineError,
    FloatAudio,
    Word,
)
from plenary.speech.text import simplified

# Whisper's code for each UN language.
WHISPER_LANGUAGE = {"ar": "ar", "zh-hans": "zh", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}
MAX_NEW_TOKENS = 96
# Whisper's window: the encoder always sees 30 s (3,000 feature frames).
WINDOW_S = 30
# faster-whisper's defaults for gluing punctuation to words, and for skipping a
# window where the model is sure nobody speaks.
PREPEND_PUNCTUATION = "\"'“¿([{-"
APPEND_PUNCTUATION = "\"'.。,，!！?？:：”)]}、"
NO_SPEECH_THRESHOLD = 0.6
LOG_PROB_THRESHOLD = -1.0


class WhisperRecognizer:
    """One loaded Whisper model, shared by every stream of the process.

    faster-whisper's ``transcribe`` is not reentrant, so calls are serialised
    by a lock: two streams in the same language (the floor and a booth) use
    the model one pass at a time instead of corrupting each other's output.
    """

    def __init__(
        self, folder: Path, *, device: str = "cpu", compute_type: str = "int8", threads: int = 2
    ):
        # A model *name* would make huggingface_hub fetch it; we only pass folders.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from faster_whisper import WhisperModel

        try:
            self._model = WhisperModel(
                str(folder),
                device=device,
                compute_type=compute_type,
                cpu_threads=threads,
                local_files_only=True,
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineError(f"Cannot load Whisper model from {folder}: {exc}") from exc
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        """The underlying ``faster_whisper.WhisperModel`` (for batched GPU calls)."""
        return self._model

    def transcribe(
        self,
        audio: FloatAudio,
        *,
        language: str,
        prompt: str = "",
        hotwords: str = "",
        beam_size: int = 1,
    ) -> list[Word]:
        with self._lock:
            return self._transcribe(audio, language, prompt, hotwords, beam_size)

    def _transcribe(
        self, audio: FloatAudio, language: str, prompt: str, hotwords: str, beam_size: int
    ) -> list[Word]:
        whisper_language = WHISPER_LANGUAGE.get(language, language)
        segments, _info = self._model.transcribe(
            audio,
            language=whisper_language,
            beam_size=beam_size,
            temperature=0.0,
            condition_on_previous_text=False,
            initial_prompt=prompt or None,
            hotwords=hotwords or None,
            word_timestamps=True,
            vad_filter=False,
            max_new_tokens=MAX_NEW_TOKENS,
        )
        return [
            Word(_written(w.word, whisper_language), float(w.start), float(w.end))
            for segment in segments
            for w in (segment.words or [])
        ]

    def transcribe_batch(self, requests: Sequence[DecodeRequest]) -> list[list[Word]]:
        """Decode every request's buffer in shared calls.

        One call per language and beam size, and apart for passes with and
        without previous text (see ``_aligned``). A buffer longer than
        Whisper's 30 s window is decoded over its last 30 s.
        """
        groups: dict[tuple[str, int, bool], list[int]] = {}
        for index, request in enumerate(requests):
            language = WHISPER_LANGUAGE.get(request.language, request.language)
            key = (language, request.beam_size, bool(request.prompt or request.hotwords))
            groups.setdefault(key, []).append(index)
        results: list[list[Word]] = [[] for _ in requests]
        with self._lock:
            for (language, beam_size, _prompted), indices in groups.items():
                decoded = self._decode_group([requests[i] for i in indices], language, beam_size)
                for index, words in zip(indices, decoded, strict=True):
                    results[index] = words
        return results

    def _decode_group(
        self, requests: list[DecodeRequest], language: str, beam_size: int
    ) -> list[list[Word]]:
        from faster_whisper.audio import pad_or_trim
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        model = self._model
        multilingual = bool(model.model.is_multilingual)
        tokenizer = Tokenizer(
            model.hf_tokenizer,
            multilingual,
            task="transcribe",
            language=language if multilingual else None,
        )
        window = WINDOW_S * ASR_SAMPLE_RATE
        offsets = [max(0, len(r.audio) - window) / ASR_SAMPLE_RATE for r in requests]
        clips = [r.audio[-window:] for r in requests]
        features = [model.feature_extractor(clip)[:, :-1] for clip in clips]
        frames = [min(f.shape[-1], model.feature_extractor.nb_max_frames) for f in features]
        batch = np.ascontiguousarray(np.stack([pad_or_trim(f) for f in features]))
        prompts = _aligned(
            [
                model.get_prompt(
                    tokenizer,
                    tokenizer.encode(" " + r.prompt.strip()) if r.prompt.strip() else [],
                    without_timestamps=True,
                    hotwords=r.hotwords or None,
                )
                for r in requests
            ],
            tokenizer.sot,
            # Room for the start sequence (at most 4 tokens) and the new tokens.
            model.max_length - MAX_NEW_TOKENS - 4,
        )
        encoded = model.encode(batch)
        results = model.model.generate(
            encoded,
            prompts,
            beam_size=beam_size,
            max_length=max(map(len, prompts)) + MAX_NEW_TOKENS,
            suppress_blank=True,
            suppress_tokens=get_suppressed_tokens(tokenizer, [-1]),
            return_scores=True,
            return_no_speech_prob=True,
        )
        segments = []
        for result, frame_count in zip(results, frames, strict=True):
            tokens = result.sequences_ids[0]
            avg_logprob = result.scores[0] * len(tokens) / (len(tokens) + 1)
            silent = (
                result.no_speech_prob > NO_SPEECH_THRESHOLD and avg_logprob < LOG_PROB_THRESHOLD
            )
            duration = frame_count / model.frames_per_second
            segments.append(
                [{"seek": 0, "start": 0.0, "end": duration, "tokens": [] if silent else tokens}]
            )
        model.add_word_timestamps(
            segments,
            tokenizer,
            encoded,
            frames,
            PREPEND_PUNCTUATION,
            APPEND_PUNCTUATION,
            0.0,
        )
        return [
            [
                Word(
                    _written(w["word"], language),
                    offset + float(w["start"]),
                    offset + float(w["end"]),
                )
                for w in segment[0]["words"]
            ]
            for segment, offset in zip(segments, offsets, strict=True)
        ]


def _written(text: str, language: str) -> str:
    """A word as the audience reads it: Chinese in simplified characters (``text``)."""
    return simplified(text) if language == "zh" else text


def _aligned(prompts: list[list[int]], sot: int, most: int) -> list[list[int]]:
    """Give every prompt as many previous-text tokens as the shortest one (its latest
    ones), and at most ``most`` (so that prompt and new tokens fit Whisper's 448).

    CTranslate2 needs <|startoftranscript|> at the same position in every item
    of a batch; padding a short prompt would make Whisper hallucinate over
    silence, so the longer ones are cut instead (previous text only nudges
    the decoding).
    """
    positions = [prompt.index(sot) for prompt in prompts]
    keep = min(*positions, most)
    if keep == max(positions):
        return prompts
    # Keep <|startofprev|> (the first token) when there is previous text at all.
    return [
        prompt[:1] + prompt[at - keep + 1 :] if keep else prompt[at:]
        for prompt, at in zip(prompts, positions, strict=True)
    ]
