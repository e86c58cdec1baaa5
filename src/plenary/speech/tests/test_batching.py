"""A worker's streams share batched model calls: same captions as one call per stream.

Real packaged tiny.en model and real Silero VAD on speech synthesised at test
time; the policy is driven in audio time (one push per second), each stream
in its own thread as in ``plenary speech-worker``. Batches are observed
through ``CountingBatches``, which passes every call on to the real model.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pytest

from plenary.speech.batching import BatchScheduler, StreamHandle, stream_capacity
from plenary.speech.engines.base import (
    ASR_SAMPLE_RATE,
    DecodeRequest,
    EngineError,
    FloatAudio,
    Recognizer,
    Word,
)
from plenary.speech.engines.silero import silero_detector
from plenary.speech.engines.whisper import WhisperRecognizer
from plenary.speech.streaming import StreamingRecognizer
from plenary.speech.tests.speechdata import (
    ENGLISH,
    CountingBatches,
    Utterance,
    speak,
    word_error_rate,
)

SECOND = ASR_SAMPLE_RATE


@dataclass(frozen=True)
class Stream:
    audio: FloatAudio
    text: str
    max_wer: float


@pytest.fixture(scope="module")
def streams(piper_english: Utterance) -> list[Stream]:
    """Three different channels: two Piper excerpts and espeak-ng, each ending in silence."""
    silence = np.zeros(SECOND + SECOND // 2, dtype=np.float32)
    first = piper_english.audio[: int((piper_english.ends[1] + 0.2) * SECOND)]
    last = piper_english.audio[int(piper_english.ends[1] * SECOND) :]
    robot = speak(ENGLISH[:2], "en", engine="espeak-ng")
    return [
        Stream(np.concatenate([first, silence]), " ".join(ENGLISH[:2]), 0.15),
        Stream(np.concatenate([last, silence]), ENGLISH[2], 0.15),
        Stream(np.concatenate([robot.audio, silence]), robot.text, 0.3),
    ]


def _caption(recognizer: Recognizer, audio: FloatAudio, detector: object) -> str:
    """The final captions of one stream, pushed a second of audio at a time."""
    streamer = StreamingRecognizer(recognizer, "en", has_speech=detector)  # type: ignore[arg-type]
    finals = [
        c.text
        for start in range(0, len(audio), SECOND)
        for c in streamer.push(audio[start : start + SECOND])
        if c.final
    ]
    finals += [c.text for c in streamer.finish() if c.final]
    return " ".join(finals)


def _caption_batched(handle: StreamHandle, audio: FloatAudio, detector: object) -> str:
    """As ``_caption``; the stream leaves the scheduler when it ends, as a runner does."""
    try:
        return _caption(handle, audio, detector)
    finally:
        handle.close()


def _in_threads(jobs: Sequence[Callable[[], str]]) -> list[str]:
    results = [""] * len(jobs)

    def run(index: int) -> None:
        results[index] = jobs[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_batched_streams_get_the_captions_of_one_call_per_stream(
    tiny_en: WhisperRecognizer, streams: list[Stream]
) -> None:
    # One VAD per stream, as each stream runner has.
    detectors = [silero_detector() for _ in streams]
    alone = [_caption(tiny_en, s.audio, d) for s, d in zip(streams, detectors, strict=True)]

    counting = CountingBatches(tiny_en)
    scheduler = BatchScheduler(counting, max_batch=4, window_s=0.3)
    handles = [scheduler.attach() for _ in streams]
    try:
        batched = _in_threads(
            [
                partial(_caption_batched, h, s.audio, d)
                for h, s, d in zip(handles, streams, detectors, strict=True)
            ]
        )
    finally:
        scheduler.close()

    assert max(counting.sizes) >= 2, counting.sizes
    # Each stream is held to its reference, alone and batched. The two are not compared
    # word for word: a batch pads its shorter inputs, and which chunks share a call
    # depends on the threads' timing, so a word may differ ("to order" / "Tauridur",
    # PostgreSQL leg, 2026-12-02) while both stay within the stream's limit.
    for stream, one, shared in zip(streams, alone, batched, strict=True):
        assert word_error_rate(stream.text, one) <= stream.max_wer, one
        assert word_error_rate(stream.text, shared) <= stream.max_wer, shared


class FailingFor(CountingBatches):
    """The real model, except that a pass in ``broken_language`` fails (a fault injected
    at the model's boundary: a real decoding failure cannot be provoked on demand)."""

    broken_language = "fr"

    def transcribe_batch(self, requests: Sequence[DecodeRequest]) -> list[list[Word]]:
        if any(r.language == self.broken_language for r in requests):
            self.sizes.append(len(requests))
            raise EngineError("injected failure")
        return super().transcribe_batch(requests)


def test_a_failing_pass_fails_its_stream_only(
    tiny_en: WhisperRecognizer, piper_english: Utterance
) -> None:
    model = FailingFor(tiny_en)
    # A long window: the batch leaves once all three streams have a pass waiting.
    scheduler = BatchScheduler(model, max_batch=4, window_s=60.0)
    handles = [scheduler.attach() for _ in range(3)]
    speech = piper_english.audio[: int(piper_english.ends[0] * SECOND)]

    def caption(index: int) -> Callable[[], str]:
        def run() -> str:
            language = "fr" if index == 1 else "en"
            try:
                words = handles[index].transcribe(speech, language=language)
            except EngineError as exc:
                return f"error: {exc}"
            return "".join(w.text for w in words)

        return run

    try:
        results = _in_threads([caption(i) for i in range(3)])
    finally:
        for handle in handles:
            handle.close()
        scheduler.close()

    assert results[1] == "error: injected failure"
    for text in (results[0], results[2]):
        assert word_error_rate(ENGLISH[0], text) <= 0.15, text
    # The shared batch failed, then each pass was decoded alone.
    assert model.sizes[0] == 3 and sorted(model.sizes[1:]) == [1, 1, 1]


def test_a_failed_pass_gives_up_its_audio_as_a_gap(
    tiny_en: WhisperRecognizer, piper_english: Utterance
) -> None:
    scheduler = BatchScheduler(FailingFor(tiny_en), max_batch=4)
    handle = scheduler.attach()
    streamer = StreamingRecognizer(handle, "fr")
    try:
        with pytest.raises(EngineError):
            streamer.push(piper_english.audio[: 2 * SECOND])
    finally:
        handle.close()
        scheduler.close()
    captions, lost = streamer.abandon()
    assert captions == [] and lost == (0.0, 2.0)
    assert streamer.audio_time == 2.0 and streamer.lag == 0.0


def test_a_buffer_longer_than_whispers_window_is_decoded_over_its_end(
    tiny_en: WhisperRecognizer, piper_english: Utterance
) -> None:
    speech = piper_english.audio[: int(piper_english.ends[0] * SECOND)]
    long = np.concatenate([np.zeros(32 * SECOND, dtype=np.float32), speech])
    [words] = tiny_en.transcribe_batch([DecodeRequest(long, "en")])
    assert word_error_rate(ENGLISH[0], "".join(w.text for w in words)) <= 0.15
    assert words[0].start >= 31.0


def test_a_long_glossary_prompt_still_fits_whispers_context(
    tiny_en: WhisperRecognizer, piper_english: Utterance
) -> None:
    speech = piper_english.audio[: int(piper_english.ends[0] * SECOND)]
    terms = ", ".join(f"Resolution {n} on the radio regulations" for n in range(120))
    long, short = tiny_en.transcribe_batch(
        [
            DecodeRequest(speech, "en", prompt=terms, hotwords=terms),
            DecodeRequest(speech, "en", prompt="The chair."),
        ]
    )
    for words in (long, short):
        assert word_error_rate(ENGLISH[0], "".join(w.text for w in words)) <= 0.15


def test_a_workers_capacity_follows_the_machine(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.SPEECH_CAPACITY, settings.SPEECH_DEVICE, settings.SPEECH_BATCH_SIZE = 0, "cpu", 0
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert stream_capacity() == 4  # one base stream per two cores
    monkeypatch.setattr("os.cpu_count", lambda: 1)
    assert stream_capacity() == 1
    settings.SPEECH_CAPACITY = 12
    assert stream_capacity() == 12
