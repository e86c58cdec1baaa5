"""TTS adapter: espeak-ng, the labelled fallback voice (robotic but always there)."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave

import numpy as np

from plenary.speech.engines.base import EngineError, Speech


class EspeakSynthesizer:
    is_fallback = True

    def __init__(self, voice: str, *, words_per_minute: int = 175):
        executable = shutil.which("espeak-ng")
        if executable is None:
            raise EngineError("espeak-ng is not installed.")
        self._command = [
            executable,
            "--stdin",
            "--stdout",
            "-v",
            voice,
            "-s",
            str(words_per_minute),
        ]

    def synthesize(self, text: str) -> Speech:
        # Text goes through stdin, never the command line.
        done = subprocess.run(  # noqa: S603 - fixed executable and arguments
            self._command, input=text.encode("utf-8"), capture_output=True, timeout=30, check=False
        )
        if done.returncode != 0:
            raise EngineError(f"espeak-ng failed: {done.stderr.decode(errors='replace')[:200]}")
        with wave.open(io.BytesIO(done.stdout)) as wav:
            rate = wav.getframerate()
            samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype=np.int16)
        return Speech(samples.copy(), rate)
