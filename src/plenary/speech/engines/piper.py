"""TTS adapter: Piper voices (ONNX), loaded from absolute paths only.

A voice *name* would make Piper try to download it, so callers pass the
``.onnx`` file and its ``.onnx.json`` config explicitly.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from plenary.speech.engines.base import EngineError, Speech


class PiperSynthesizer:
    is_fallback = False

    def __init__(self, onnx: Path):
        from piper import PiperVoice

        onnx = onnx.resolve()
        try:
            self._voice = PiperVoice.load(onnx, config_path=onnx.with_suffix(".onnx.json"))
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineError(f"Cannot load Piper voice {onnx}: {exc}") from exc
        self.sample_rate = int(self._voice.config.sample_rate)

    def synthesize(self, text: str, *, vary: bool = True) -> Speech:
        """Speak ``text``. Piper varies timing and tone at random on every call;
        ``vary=False`` turns that off, so the same text gives the same samples
        (what tests and benchmarks need)."""
        from piper import SynthesisConfig

        config = None if vary else SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0)
        chunks = [c.audio_int16_array for c in self._voice.synthesize(text, syn_config=config)]
        samples = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
        return Speech(samples.astype(np.int16, copy=False), self.sample_rate)
