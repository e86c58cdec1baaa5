"""Silero VAD, as shipped with faster-whisper (an ONNX model, loaded once per process).

The adapter's one choke point: whatever the engine raises becomes ``EngineError``.
"""

from __future__ import annotations

from plenary.speech.engines.base import EngineError, FloatAudio, SpeechDetector


def silero_detector(threshold: float = 0.5) -> SpeechDetector:
    """A detector that says whether a clip holds speech (at least 120 ms of it)."""
    try:
        from faster_whisper.vad import VadOptions, get_speech_timestamps
    except ImportError as exc:  # pragma: no cover - faster-whisper is a dependency
        raise EngineError(f"Silero VAD is not available: {exc}") from exc

    options = VadOptions(threshold=threshold, min_speech_duration_ms=120, speech_pad_ms=0)

    def has_speech(audio: FloatAudio) -> bool:
        try:
            return bool(get_speech_timestamps(audio, options))
        except Exception as exc:  # the ONNX runtime's errors, whatever their type
            raise EngineError(f"Silero VAD failed: {exc}") from exc

    return has_speech
