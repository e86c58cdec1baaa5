"""Load each model once per process and hand out the engine behind its interface."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from django.conf import settings

from plenary.speech.engines.base import EngineError, Synthesizer, Translator
from plenary.speech.engines.catalog import ModelInfo, assemble_whisper_base, extract_argos

if TYPE_CHECKING:
    from plenary.speech.engines.whisper import WhisperRecognizer

_lock = threading.Lock()
_loaded: dict[tuple[str, str, str], Any] = {}


def device() -> str:
    """``cpu`` or ``cuda``: the configured device, ``auto`` being a GPU if CTranslate2 sees one."""
    configured = str(settings.SPEECH_DEVICE)
    if configured != "auto":
        return configured
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def _once(info: ModelInfo, build: Any) -> Any:
    key = (info.task, info.name, str(info.path))
    with _lock:
        if key not in _loaded:
            _loaded[key] = build()
        return _loaded[key]


def recognizer(info: ModelInfo) -> WhisperRecognizer:
    """A Whisper model: a ``Recognizer`` and a ``BatchRecognizer``."""
    from plenary.speech.engines.whisper import WhisperRecognizer

    def build() -> WhisperRecognizer:
        folder = info.path if info.path is not None else assemble_whisper_base()
        compute = "float16" if device() == "cuda" else "int8"
        return WhisperRecognizer(folder, device=device(), compute_type=compute)

    return _once(info, build)


def translator(info: ModelInfo) -> Translator:
    from plenary.speech.engines.ctranslate import CTranslate2Translator, argos_translator

    def build() -> CTranslate2Translator:
        if info.path is None:
            raise EngineError(f"{info.name} has no model folder.")
        if info.engine == "argos":
            return argos_translator(extract_argos(info.path), device=device())
        return CTranslate2Translator(
            info.path / info.options["model"],
            source_spm=info.path / info.options["source_spm"],
            target_spm=info.path / info.options["target_spm"],
            language_tokens=info.options["language_tokens"],
            device=device(),
        )

    return _once(info, build)


def synthesizer(info: ModelInfo) -> Synthesizer:
    from plenary.speech.engines.espeak import EspeakSynthesizer
    from plenary.speech.engines.piper import PiperSynthesizer

    def build() -> Synthesizer:
        if info.engine == "piper" and info.path is not None:
            return PiperSynthesizer(info.path)
        if info.engine == "espeak-ng":
            return EspeakSynthesizer(info.options["voice"])
        raise EngineError(f"Unknown voice engine {info.engine}.")

    return _once(info, build)
