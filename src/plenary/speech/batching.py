"""A worker's live streams share model calls: one scheduler per model batches their passes.

Each stream keeps its own policy (:class:`~plenary.speech.streaming.StreamingRecognizer`:
LocalAgreement, VAD, the end-of-speech final pass) in its own thread. Its
recogniser is a :class:`StreamHandle`, whose ``transcribe`` hands the pass to
the model's :class:`BatchScheduler` and waits for the words. The scheduler's
thread takes the passes waiting — at once when every attached stream has one
waiting, otherwise after a short window — up to ``max_batch`` of them, decodes
them in one ``transcribe_batch`` call and hands each stream its result.

Nothing waits for a slow stream: one that has no pass ready only misses this
batch and joins the next. A batch that fails is decoded again one pass at a
time, so a pass that cannot be decoded fails alone: its stream gets the
error (and records a gap), the others their words.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings

from plenary.speech.engines import loader
from plenary.speech.engines.base import (
    BatchRecognizer,
    DecodeRequest,
    EngineError,
    FloatAudio,
    Word,
)
from plenary.speech.engines.catalog import ModelInfo

logger = logging.getLogger(__name__)

# Default batch sizes: a CPU decodes a batch in about the time of its passes
# one after another (+4-6 % throughput on 2 cores, docs/benchmarks.md), so its
# batches stay small, each stream waiting for the whole batch; a GPU decodes 64
# windows in little more than the time of one.
CPU_BATCH = 4
GPU_BATCH = 64
# How long the first pass of a batch waits for the other streams' passes.
WINDOW_S = 0.05
# Cores one live stream of the multilingual base model takes on a CPU (1.1 measured,
# docs/benchmarks.md): a 2-core host carries one.
CORES_PER_CPU_STREAM = 2


def max_batch() -> int:
    """``PLENARY_SPEECH_BATCH_SIZE``, or the default for the device in use."""
    configured = int(settings.SPEECH_BATCH_SIZE)
    if configured > 0:
        return configured
    return GPU_BATCH if loader.device() == "cuda" else CPU_BATCH


def stream_capacity() -> int:
    """The live streams this machine's worker takes: ``PLENARY_SPEECH_CAPACITY``, or
    on a GPU a full batch, on a CPU one stream per ``CORES_PER_CPU_STREAM`` cores."""
    configured = int(settings.SPEECH_CAPACITY)
    if configured > 0:
        return configured
    if loader.device() == "cuda":
        return max_batch()
    return max(1, (os.cpu_count() or 1) // CORES_PER_CPU_STREAM)


@dataclass(eq=False)
class _Pass:
    request: DecodeRequest
    done: threading.Event = field(default_factory=threading.Event)
    words: list[Word] = field(default_factory=list)
    error: EngineError | None = None

    def resolve(self, words: list[Word] | None = None, error: EngineError | None = None) -> None:
        self.words, self.error = words or [], error
        self.done.set()


class BatchScheduler:
    """Decodes the passes of every stream attached to one model in shared calls."""

    def __init__(
        self, model: BatchRecognizer, *, max_batch: int, window_s: float = WINDOW_S
    ) -> None:
        self._model = model
        self._max_batch = max(1, max_batch)
        self._window_s = window_s
        self._waiting: list[_Pass] = []
        self._streams = 0
        self._closed = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._serve, name="caption-batches", daemon=True)
        self._thread.start()

    def attach(self) -> StreamHandle:
        """A recogniser for one more live stream (close it when the stream ends)."""
        with self._changed:
            if self._closed:
                raise EngineError("This recogniser is shut down.")
            self._streams += 1
        return StreamHandle(self)

    def detach(self) -> None:
        with self._changed:
            self._streams -= 1
            self._changed.notify()

    def decode(self, request: DecodeRequest) -> list[Word]:
        """Queue one pass and wait for its words (called from the stream's thread)."""
        item = _Pass(request)
        with self._changed:
            if self._closed:
                raise EngineError("This recogniser is shut down.")
            self._waiting.append(item)
            self._changed.notify()
        item.done.wait()
        if item.error is not None:
            raise item.error
        return item.words

    def close(self) -> None:
        """Stop the scheduler; passes still waiting fail."""
        with self._changed:
            self._closed = True
            self._changed.notify()
        self._thread.join()

    def _next_batch(self) -> list[_Pass]:
        with self._changed:
            while not self._waiting and not self._closed:
                self._changed.wait()
            deadline = time.monotonic() + self._window_s
            while not self._closed and len(self._waiting) < min(self._max_batch, self._streams):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._changed.wait(remaining)
            if self._closed:
                stopped, self._waiting = self._waiting, []
                for item in stopped:
                    item.resolve(error=EngineError("This recogniser is shut down."))
                return []
            batch = self._waiting[: self._max_batch]
            del self._waiting[: self._max_batch]
            return batch

    def _serve(self) -> None:
        while batch := self._next_batch():
            self._run(batch)

    def _run(self, batch: list[_Pass]) -> None:
        try:
            results = self._model.transcribe_batch([item.request for item in batch])
        except Exception as exc:
            if len(batch) > 1:
                logger.warning("a batch of %d passes failed; decoding them one by one", len(batch))
                for item in batch:
                    self._run([item])
                return
            logger.warning("a caption pass failed: %s", exc)
            error = exc if isinstance(exc, EngineError) else EngineError(str(exc))
            batch[0].resolve(error=error)
            return
        for item, words in zip(batch, results, strict=True):
            item.resolve(words)


class StreamHandle:
    """One stream's recogniser: a :class:`~plenary.speech.engines.base.Recognizer`
    whose passes go through the shared scheduler."""

    def __init__(self, scheduler: BatchScheduler) -> None:
        self._scheduler = scheduler
        self._open = True

    def transcribe(
        self,
        audio: FloatAudio,
        *,
        language: str,
        prompt: str = "",
        hotwords: str = "",
        beam_size: int = 1,
    ) -> list[Word]:
        return self._scheduler.decode(
            DecodeRequest(audio, language, prompt=prompt, hotwords=hotwords, beam_size=beam_size)
        )

    def close(self) -> None:
        if self._open:
            self._open = False
            self._scheduler.detach()


class Schedulers:
    """A worker's schedulers, one per model, started when a stream first needs the model.

    ``load`` gives the model for a catalogue entry (tests wrap it to observe the calls).
    """

    def __init__(
        self,
        *,
        max_batch: int,
        window_s: float = WINDOW_S,
        load: Callable[[ModelInfo], BatchRecognizer] = loader.recognizer,
    ) -> None:
        self._max_batch = max_batch
        self._window_s = window_s
        self._load = load
        self._lock = threading.Lock()
        self._by_model: dict[ModelInfo, BatchScheduler] = {}

    def attach(self, info: ModelInfo) -> StreamHandle:
        """Load the model if needed (may raise ``EngineError``) and attach a stream to it."""
        with self._lock:
            scheduler = self._by_model.get(info)
            if scheduler is None:
                scheduler = BatchScheduler(
                    self._load(info), max_batch=self._max_batch, window_s=self._window_s
                )
                self._by_model[info] = scheduler
        return scheduler.attach()

    def close(self) -> None:
        with self._lock:
            schedulers, self._by_model = list(self._by_model.values()), {}
        for scheduler in schedulers:
            scheduler.close()
