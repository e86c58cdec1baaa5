# ruff: noqa: E402 - Django is set up before the speech modules are imported.
"""Speech benchmark: caption latency and CPU per stream, MT and AI-voice latency, GPU batching.

Caption latency is measured in wall-clock time: synthesised speech (Piper,
three meeting sentences, repeated) is fed at real-time pace in 20 ms frames,
as RTP from Janus would arrive, to the streaming recogniser (tuned
LocalAgreement-2, Silero VAD), which runs whenever audio is waiting, like
``plenary speech-worker``. Latency = wall time from the end of a sentence's
audio to the final caption that completes it (the control plane's store and
WebSocket fan-out add milliseconds, measured by the e2e test, not here).
CPU per stream = process CPU seconds per second of audio.

Translated-caption added latency: one final through an OPUS-MT-sized
CTranslate2 model (random weights of the real size, built in this run).
AI-voice latency: caption latency + MT + Piper synthesis of the sentence.

``--device cuda --streams N`` measures one batched pass (30 s window + 30
greedy tokens) over N streams with Whisper base, the way a GPU worker
batches its live streams, and reports how many streams fit in the 1 s pass
budget. Run: ``./scripts/bench speech [--device cuda --streams 64]``.
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

from plenary.speech.engines import catalog, loader
from plenary.speech.engines.base import ASR_SAMPLE_RATE, FloatAudio, Recognizer
from plenary.speech.engines.ctranslate import CTranslate2Translator
from plenary.speech.streaming import StreamingRecognizer, silero_detector
from plenary.speech.tests.speechdata import ENGLISH, Utterance, speak
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


def batched_pass_seconds(recognizer: Any, streams: int, audio: FloatAudio) -> float:
    """One pass for ``streams`` streams in one call: encode 30 s windows, 30 greedy tokens."""
    import ctranslate2
    from faster_whisper.tokenizer import Tokenizer

    model = recognizer.model
    window = np.zeros(30 * ASR_SAMPLE_RATE, dtype=np.float32)
    window[: min(len(audio), len(window))] = audio[: len(window)]
    features = model.feature_extractor(window)[:, :3000]
    batch = np.ascontiguousarray(np.stack([features] * streams)).astype(np.float32)
    tokenizer = Tokenizer(model.hf_tokenizer, True, task="transcribe", language="en")
    prompt = model.get_prompt(tokenizer, [], without_timestamps=True)
    started = time.perf_counter()
    encoded = model.model.encode(ctranslate2.StorageView.from_array(batch), to_cpu=False)
    model.model.generate(encoded, [prompt] * streams, max_length=30, beam_size=1)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"])
    parser.add_argument("--streams", type=int, default=0, help="batched streams (GPU figure)")
    parser.add_argument("--repeat", type=int, default=3, help="times the three sentences repeat")
    options = parser.parse_args()
    settings.SPEECH_DEVICE = options.device
    machine = f"{os.cpu_count()} CPU cores" if options.device == "cpu" else "GPU"

    spoken = speak(ENGLISH * options.repeat, "en")
    models = {"tiny.en": catalog.pick_asr("en"), "base": catalog.pick_asr("fr")}
    finals: list[str] = []
    latency_by_model: dict[str, list[float]] = {}
    for label, info in models.items():
        recognizer = loader.recognizer(info)
        recognizer.transcribe(spoken.audio[:ASR_SAMPLE_RATE], language="en")  # warm up
        latencies, cpu, texts = realtime_latencies(recognizer, spoken)
        latency_by_model[label] = latencies
        finals = finals or texts
        emit(
            f"caption_latency_p50_{label}",
            percentile(latencies, 50),
            "s",
            None,
            machine=machine,
            goal=2.5,
        )
        emit(f"caption_latency_p90_{label}", percentile(latencies, 90), "s", None, machine=machine)
        emit(f"cpu_per_stream_{label}", cpu, "cores", None, machine=machine)
        in_audio, pass_s = audio_time_latencies(recognizer, spoken)
        emit(
            f"caption_latency_audio_time_p50_{label}",
            percentile(in_audio, 50),
            "s of audio",
            None,
            note="policy latency, independent of machine load",
        )
        emit(f"caption_latency_audio_time_p90_{label}", percentile(in_audio, 90), "s of audio")
        emit(f"pass_compute_mean_{label}", pass_s, "s", None, machine=machine)

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

    if options.streams:
        recognizer = loader.recognizer(models["base"])
        single = batched_pass_seconds(recognizer, 1, spoken.audio)
        batched = batched_pass_seconds(recognizer, options.streams, spoken.audio)
        emit(f"batched_pass_{options.streams}_streams", batched, "s", single, device=options.device)
        per_second = options.streams / batched if batched > 0 else 0.0
        emit(
            "realtime_streams_per_device_base",
            per_second,
            "streams",
            1 / single,
            device=options.device,
            note="streams whose 1 s pass fits in one second of compute (baseline: unbatched)",
        )


if __name__ == "__main__":
    main()
