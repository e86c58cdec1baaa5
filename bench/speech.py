# ruff: noqa: E402 - Django is set up before the speech modules are imported.
"""Speech benchmark: caption latency and CPU per stream, MT and AI-voice latency, and
concurrent real-time streams per machine through the worker's batched path.

Caption latency is measured in wall-clock time: synthesised speech (Piper,
three meeting sentences, repeated) is fed at real-time pace in 20 ms frames,
as RTP from Janus would arrive, to the streaming recogniser (tuned
LocalAgreement-2, Silero VAD), which runs whenever audio is waiting, like
``plenary speech-worker`` (through the worker's batch scheduler, as one
stream). Latency = wall time from the end of a sentence's audio to the
final caption that completes it (the control plane's store and
WebSocket fan-out add milliseconds, measured by the e2e test, not here).
CPU per stream = process CPU seconds per second of audio.

Translated-caption added latency: one final through an OPUS-MT-sized
CTranslate2 model (random weights of the real size, built in this run).
AI-voice latency: caption latency + MT + Piper synthesis of the sentence.

Concurrent streams: N streams (the same speech, each starting at another
point) run the worker's path — one thread per stream with its own VAD and
policy, every pass through one ``BatchScheduler`` for the model — pushing a
second of audio as soon as its previous pass is done, as a worker that is
behind would (a worker runs a pass per second of audio per stream). The
figure is the real-time streams the path sustains, N x audio seconds / wall
seconds at its best N, with the same sweep through one model call per stream
as baseline. Run: ``./scripts/bench speech --streams 4`` on a CPU host;
``./scripts/bench speech --device cuda --streams 512`` on a GPU host
(``--streams``: the most streams to try; ``--batch``: passes per call,
default that of the worker).
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import resource
import statistics
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plenary.config.settings")

import django

django.setup()

import numpy as np
from django.conf import settings

from plenary.speech.batching import BatchScheduler, max_batch
from plenary.speech.engines import catalog, loader
from plenary.speech.engines.base import ASR_SAMPLE_RATE, FloatAudio, Recognizer
from plenary.speech.engines.ctranslate import CTranslate2Translator
from plenary.speech.engines.silero import silero_detector
from plenary.speech.engines.whisper import WhisperRecognizer
from plenary.speech.streaming import StreamingRecognizer
from plenary.speech.tests.speechdata import ENGLISH, CountingBatches, Utterance, speak
from plenary.speech.tests.tinymt import OPUS_MT_SIZE, build_tiny_mt_model

BENCH = "speech"
FRAME = ASR_SAMPLE_RATE // 50  # 20 ms


def emit(metric: str, value: float, unit: str, baseline: float | None = None, **extra: Any) -> None:
    line = {
        "bench": BENCH,
        "metric": metric,
        "value": round(value, 3),
        "unit": unit,
        "baseline": baseline,
        **extra,
    }
    print(json.dumps(line), flush=True)


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def realtime_latencies(
    recognizer: Recognizer, spoken: Utterance
) -> tuple[list[float], float, list[str]]:
    """Feed ``spoken`` at real-time pace; return per-sentence latencies, CPU/s and finals."""
    frames: queue.Queue[FloatAudio | None] = queue.Queue()
    started = time.monotonic()

    def produce() -> None:
        for index, start in enumerate(range(0, len(spoken.audio), FRAME)):
            delay = started + index * FRAME / ASR_SAMPLE_RATE - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            frames.put(spoken.audio[start : start + FRAME])
        frames.put(None)

    streamer = StreamingRecognizer(recognizer, "en", has_speech=silero_detector())
    finals: list[tuple[float, float, str]] = []  # (wall time, audio end, text)
    cpu_before = _cpu()
    producer = threading.Thread(target=produce)
    producer.start()
    done = False
    while not done:
        chunk = [frames.get()]
        while not frames.empty():
            chunk.append(frames.get())
        if chunk[-1] is None:
            done = True
            chunk.pop()
        audio = [c for c in chunk if c is not None]
        captions = streamer.push(np.concatenate(audio)) if audio else []
        if done:
            captions += streamer.finish()
        now = time.monotonic() - started
        finals += [(now, c.end, c.text) for c in captions if c.final]
    producer.join()
    cpu = (_cpu() - cpu_before) / (len(spoken.audio) / ASR_SAMPLE_RATE)
    latencies = []
    for end in spoken.ends:
        reached = [wall for wall, audio_end, _text in finals if audio_end >= end - 0.5]
        if reached:
            latencies.append(min(reached) - end)
    return latencies, cpu, [text for _w, _e, text in finals]


def audio_time_latencies(recognizer: Recognizer, spoken: Utterance) -> tuple[list[float], float]:
    """The same policy driven in audio time (one push per second), independent of machine load:
    per-sentence latency in seconds of audio, and the mean compute time per pass."""
    streamer = StreamingRecognizer(recognizer, "en", has_speech=silero_detector())
    finals: list[tuple[float, float]] = []
    passes: list[float] = []
    for start in range(0, len(spoken.audio), ASR_SAMPLE_RATE):
        started = time.perf_counter()
        captions = streamer.push(spoken.audio[start : start + ASR_SAMPLE_RATE])
        passes.append(time.perf_counter() - started)
        finals += [(streamer.audio_time, c.end) for c in captions if c.final]
    finals += [(streamer.audio_time, c.end) for c in streamer.finish() if c.final]
    latencies = []
    for end in spoken.ends:
        reached = [emitted for emitted, audio_end in finals if audio_end >= end - 0.5]
        if reached:
            latencies.append(min(reached) - end)
    return latencies, statistics.mean(passes)


def mt_latency(texts: list[str]) -> list[float]:
    folder = build_tiny_mt_model(Path(tempfile.mkdtemp()), pairs=[("en", "fr")], size=OPUS_MT_SIZE)
    translator = CTranslate2Translator(
        folder / "model",
        source_spm=folder / "sentencepiece.model",
        target_spm=folder / "sentencepiece.model",
        language_tokens={"en": "__en__", "fr": "__fr__"},
        threads=2,
    )
    translator.translate(["warm up"], source="en", target="fr")
    timings = []
    for text in texts:
        started = time.perf_counter()
        translator.translate([text], source="en", target="fr")
        timings.append(time.perf_counter() - started)
    return timings


def tts_latency(texts: list[str]) -> list[float]:
    voice = loader.synthesizer(catalog.pick_voice("en"))  # type: ignore[arg-type]
    voice.synthesize("Warm up.")
    timings = []
    for text in texts:
        started = time.perf_counter()
        voice.synthesize(text)
        timings.append(time.perf_counter() - started)
    return timings


def concurrent_run(
    model: WhisperRecognizer, streams: int, audio: FloatAudio, batch: int
) -> tuple[float, list[int]]:
    """Wall seconds for ``streams`` streams to caption ``audio`` each (see the module
    docstring), and the size of every batched call."""
    counting = CountingBatches(model)
    scheduler = BatchScheduler(counting, max_batch=batch)
    # Each stream starts at another point of the speech, so the passes differ.
    shift = len(audio) // max(streams, 1)
    clips = [np.roll(audio, -index * shift) for index in range(streams)]
    handles = [scheduler.attach() for _ in clips]

    def run(index: int) -> None:
        streamer = StreamingRecognizer(handles[index], "en", has_speech=silero_detector())
        try:
            for start in range(0, len(clips[index]), ASR_SAMPLE_RATE):
                streamer.push(clips[index][start : start + ASR_SAMPLE_RATE])
            streamer.finish()
        finally:
            handles[index].close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(streams)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    scheduler.close()
    return wall, counting.sizes


Capacity = tuple[float, int, float]  # real-time streams, streams that reached it, mean batch


def realtime_capacity(
    model: WhisperRecognizer, audio: FloatAudio, batch: int, most: int
) -> tuple[Capacity, Capacity]:
    """Real-time streams sustained (seconds of audio captioned per wall second) through
    batches of ``batch`` and through one call per stream, over runs of 1..``most``
    streams: one by one up to 4, then doubling while more streams bring more.

    The two paths run one after the other at each step, so that the load of a
    shared machine weighs on both alike; one call per stream is not tried past 4
    streams (it cannot gain from more).
    """
    seconds = len(audio) / ASR_SAMPLE_RATE
    best: dict[int, Capacity] = {batch: (0.0, 0, float("nan")), 1: (0.0, 0, float("nan"))}
    streams = 1
    while streams <= most:
        for size in (1, batch) if streams <= 4 else (batch,):
            wall, sizes = concurrent_run(model, streams, audio, size)
            if streams * seconds / wall > best[size][0]:
                best[size] = (streams * seconds / wall, streams, statistics.mean(sizes))
        if streams >= 4 and best[batch][1] < streams:
            break
        streams = streams + 1 if streams < 4 else streams * 2
    return best[batch], best[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument(
        "--streams", type=int, default=0, help="most concurrent streams to try (0: no sweep)"
    )
    parser.add_argument("--batch", type=int, default=0, help="passes per model call")
    parser.add_argument("--repeat", type=int, default=3, help="times the three sentences repeat")
    options = parser.parse_args()
    settings.SPEECH_DEVICE = options.device
    batch = options.batch or max_batch()
    machine = f"{os.cpu_count()} CPU cores" if options.device == "cpu" else "GPU"

    spoken = speak(ENGLISH * options.repeat, "en")
    models = {"tiny.en": catalog.pick_asr("en"), "base": catalog.pick_asr("fr")}
    finals: list[str] = []
    latency_by_model: dict[str, list[float]] = {}
    for label, info in models.items():
        model = loader.recognizer(info)
        model.transcribe(spoken.audio[:ASR_SAMPLE_RATE], language="en")  # warm up
        # One stream through the worker's scheduler, as `plenary speech-worker` runs it.
        scheduler = BatchScheduler(model, max_batch=batch)
        recognizer = scheduler.attach()
        latencies, cpu, texts = realtime_latencies(recognizer, spoken)
        latency_by_model[label] = latencies
        finals = finals or texts
        emit(
            f"caption_latency_p50_{label}",
            percentile(latencies, 50),
            "s",
            None,
            machine=machine,
            goal=2.5 if options.device == "cpu" else 1.5,
        )
        emit(f"caption_latency_p90_{label}", percentile(latencies, 90), "s", None, machine=machine)
        emit(f"cpu_per_stream_{label}", cpu, "cores", None, machine=machine)
        in_audio, pass_s = audio_time_latencies(recognizer, spoken)
        recognizer.close()
        scheduler.close()
        emit(
            f"caption_latency_audio_time_p50_{label}",
            percentile(in_audio, 50),
            "s of audio",
            None,
            note="policy latency, independent of machine load",
        )
        emit(f"caption_latency_audio_time_p90_{label}", percentile(in_audio, 90), "s of audio")
        emit(f"pass_compute_mean_{label}", pass_s, "s", None, machine=machine)
        if options.streams:
            sweep = spoken.audio[: int(spoken.ends[1] * ASR_SAMPLE_RATE)]
            (carried, at, mean_batch), (single, single_at, _) = realtime_capacity(
                model, sweep, batch, options.streams
            )
            emit(
                f"realtime_streams_{label}",
                carried,
                "streams",
                single,
                machine=machine,
                batch=batch,
                reached_with=at,
                mean_batch=round(mean_batch, 2),
                baseline_reached_with=single_at,
                note="real-time streams the worker's batched path sustains "
                "(audio s captioned per wall s); baseline: one model call per stream",
            )

    mt = mt_latency(finals)
    emit(
        "translated_caption_added_latency_p50", percentile(mt, 50), "s", None, model="OPUS-MT-sized"
    )
    tts = tts_latency(finals)
    voice = [
        c + statistics.median(mt) + t
        for c, t in zip(latency_by_model["tiny.en"], tts, strict=False)
    ]
    emit(
        "ai_voice_latency_p50",
        percentile(voice, 50),
        "s",
        None,
        goal=4.0,
        note="caption (tiny.en) + MT (OPUS-MT-sized) + Piper synthesis",
    )


if __name__ == "__main__":
    main()
