"""ASR adapter: Whisper on faster-whisper (CTranslate2).

Decoding follows the tuned streaming configuration measured in
``reference/SPEECH-PLANE.md``: greedy (beam 1), no temperature fallback, no
conditioning on previous text, at most 96 new tokens per pass, word times on.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from plenary.speech.engines.base import EngineError, FloatAudio, Word

# Whisper's code for each UN language.
WHISPER_LANGUAGE = {"ar": "ar", "zh-hans": "zh", "en": "en", "fr": "fr", "ru": "ru", "es": "es"}


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
        segments, _info = self._model.transcribe(
            audio,
            language=WHISPER_LANGUAGE.get(language, language),
            beam_size=beam_size,
            temperature=0.0,
            condition_on_previous_text=False,
            initial_prompt=prompt or None,
            hotwords=hotwords or None,
            word_timestamps=True,
            vad_filter=False,
            max_new_tokens=96,
        )
        return [
            Word(w.word, float(w.start), float(w.end))
            for segment in segments
            for w in (segment.words or [])
        ]
