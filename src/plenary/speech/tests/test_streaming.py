"""The streaming policy driven in audio time: one push per second of audio, deterministic."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from plenary.speech.engines.base import ASR_SAMPLE_RATE, FloatAudio, Recognizer, Word
from plenary.speech.engines.silero import silero_detector
from plenary.speech.streaming import Caption, StreamingRecognizer
from plenary.speech.tests.speechdata import Utterance, word_error_rate


def _run(streamer: StreamingRecognizer, audio: FloatAudio) -> list[tuple[float, Caption]]:
    """Push ``audio`` a second at a time; return (audio time emitted, caption) pairs."""
    out: list[tuple[float, Caption]] = []
    second = ASR_SAMPLE_RATE
    for start in range(0, len(audio), second):
        out += [(streamer.audio_time, c) for c in streamer.push(audio[start : start + second])]
    out += [(streamer.audio_time, c) for c in streamer.finish()]
    return out


@pytest.fixture(scope="module")
def detector() -> object:
    return silero_detector()


@pytest.fixture(scope="module")
def streamed(
    tiny_en: Recognizer, piper_english: Utterance, detector: object
) -> list[tuple[float, Caption]]:
    # The first two sentences and a pause keep the test short on two cores.
    speech = piper_english.audio[: int((piper_english.ends[1] + 0.2) * ASR_SAMPLE_RATE)]
    silence = np.zeros(ASR_SAMPLE_RATE + ASR_SAMPLE_RATE // 2, dtype=np.float32)
    streamer = StreamingRecognizer(tiny_en, "en", has_speech=detector)  # type: ignore[arg-type]
    return _run(streamer, np.concatenate([speech, silence]))


def test_finals_carry_the_whole_speech(
    streamed: list[tuple[float, Caption]], piper_english: Utterance
) -> None:
    finals = " ".join(c.text for _, c in streamed if c.final)
    assert word_error_rate(" ".join(piper_english.sentences[:2]), finals) <= 0.15


def test_each_sentence_is_final_within_three_seconds_of_audio(
    streamed: list[tuple[float, Caption]], piper_english: Utterance
) -> None:
    finals = [(emitted, c) for emitted, c in streamed if c.final]
    for sentence_end in piper_english.ends[:2]:
        # The first final that reaches the end of this sentence.
        emitted = min(t for t, c in finals if c.end >= sentence_end - 0.5)
        assert emitted - sentence_end <= 3.0


def test_partials_come_before_their_final(streamed: list[tuple[float, Caption]]) -> None:
    first_final = next(i for i, (_, c) in enumerate(streamed) if c.final)
    assert any(not c.final for _, c in streamed[:first_final])


def test_final_times_follow_each_other(streamed: list[tuple[float, Caption]]) -> None:
    finals = [c for _, c in streamed if c.final]
    assert all(a.end <= b.start + 0.1 for a, b in itertools.pairwise(finals))


def test_end_of_speech_finalises_without_finish(
    tiny_en: Recognizer, piper_english: Utterance, detector: object
) -> None:
    streamer = StreamingRecognizer(tiny_en, "en", has_speech=detector)  # type: ignore[arg-type]
    last = piper_english.audio[int(piper_english.ends[1] * ASR_SAMPLE_RATE) :]
    silence = np.zeros(2 * ASR_SAMPLE_RATE, dtype=np.float32)
    audio = np.concatenate([last, silence])
    finals = [
        c
        for s in range(0, len(audio), ASR_SAMPLE_RATE)
        for c in streamer.push(audio[s : s + ASR_SAMPLE_RATE])
        if c.final
    ]
    assert (
        word_error_rate(
            "We support the proposal on the radio regulations.", " ".join(c.text for c in finals)
        )
        <= 0.2
    )


class _Scripted:
    """Stands in for Whisper where only the policy is under test: it "hears" one
    word per second of audio (named by the value the test filled that second
    with), never a sentence end, and counts its passes."""

    def __init__(self) -> None:
        self.calls = 0

    def transcribe(self, audio: FloatAudio, **_options: object) -> list[Word]:
        self.calls += 1
        seconds = len(audio) // ASR_SAMPLE_RATE
        return [
            Word(f" w{round(float(audio[i * ASR_SAMPLE_RATE]) * 1000)}", i + 0.1, i + 0.9)
            for i in range(seconds)
        ]


@pytest.mark.parametrize("kind", ["silence", "noise"])
def test_no_speech_runs_no_pass_and_captions_nothing(kind: str, detector: object) -> None:
    rng = np.random.default_rng(1)
    audio = {
        "silence": np.zeros(5 * ASR_SAMPLE_RATE, dtype=np.float32),
        "noise": (rng.standard_normal(5 * ASR_SAMPLE_RATE) * 0.05).astype(np.float32),
    }[kind]
    scripted = _Scripted()
    streamer = StreamingRecognizer(scripted, "en", has_speech=detector)  # type: ignore[arg-type]
    assert _run(streamer, audio) == []
    assert scripted.calls == 0


def test_clipped_speech_is_still_recognised(tiny_en: Recognizer, piper_english: Utterance) -> None:
    clipped = np.clip(piper_english.audio * 4, -0.5, 0.5)
    text = "".join(w.text for w in tiny_en.transcribe(clipped, language="en"))
    assert word_error_rate(piper_english.text, text) <= 0.3


def test_buffer_is_trimmed_without_sentence_ends() -> None:
    streamer = StreamingRecognizer(_Scripted(), "en")
    captions = []
    for second in range(40):
        captions += streamer.push(np.full(ASR_SAMPLE_RATE, second / 1000, dtype=np.float32))
        assert len(streamer._buffer) <= 21 * ASR_SAMPLE_RATE
    # Confirmed words are finalised when the buffer runs long, none is lost.
    words = " ".join(c.text for c in captions if c.final).split()
    assert words == [f"w{i}" for i in range(len(words))]
    assert len(words) >= 15


class _Fixed:
    """Stands in for Whisper: always hears the same words (policy under test only)."""

    def __init__(self, words: list[Word]) -> None:
        self.words = words

    def transcribe(self, audio: FloatAudio, **_options: object) -> list[Word]:
        return self.words


def test_stand_alone_punctuation_joins_the_word_before() -> None:
    heard = [Word(" Order", 0.1, 0.5), Word(" .", 0.5, 0.6), Word(" .", 0.6, 0.7)]
    streamer = StreamingRecognizer(_Fixed(heard), "en")
    captions = []
    for _ in range(3):
        captions += streamer.push(np.zeros(ASR_SAMPLE_RATE, dtype=np.float32))
    assert [c.text for c in captions if c.final] == ["Order.."]


def test_punctuation_alone_is_never_a_caption() -> None:
    streamer = StreamingRecognizer(_Fixed([Word(" .", 0.1, 0.2)]), "en")
    captions = []
    for _ in range(3):
        captions += streamer.push(np.zeros(ASR_SAMPLE_RATE, dtype=np.float32))
    assert captions + streamer.finish() == []


class _Passes:
    """Stands in for Whisper: hears what the test scripts for each pass, in turn."""

    def __init__(self, *passes: str) -> None:
        self.passes = iter(passes)

    def transcribe(self, audio: FloatAudio, **_options: object) -> list[Word]:
        return [
            Word(f" {w}", i * 0.3, i * 0.3 + 0.2) for i, w in enumerate(next(self.passes).split())
        ]


def test_a_looping_pass_is_discarded() -> None:
    loop = " ".join(["The meeting is called to order."] * 8)
    streamer = StreamingRecognizer(_Passes("Thank you", loop, loop), "en")
    second = np.zeros(ASR_SAMPLE_RATE, dtype=np.float32)
    partials = streamer.push(second) + streamer.push(second)
    assert [(c.text, c.final) for c in partials] == [("Thank you", False)] * 2
    # The last pass loops too: what the stream heard before is kept.
    assert [(c.text, c.final) for c in streamer.finish()] == [("Thank you", True)]


def _energy(audio: FloatAudio) -> bool:
    """A VAD for scripted audio: speech is a quarter second or more of signal."""
    return int(np.count_nonzero(audio)) >= ASR_SAMPLE_RATE // 4


class _Parrot:
    """Stands in for Whisper over a mix: one sentence where there is signal, and
    over silence the prompt again (what Whisper does with the last sentence as
    prompt)."""

    SENTENCE = "The meeting is now called to order."

    def __init__(self) -> None:
        self.heard: list[int] = []  # samples of each pass

    def transcribe(self, audio: FloatAudio, *, prompt: str = "", **_options: object) -> list[Word]:
        self.heard.append(len(audio))
        # A sentence takes a second of signal or more; less is the end of one, not heard.
        said = prompt if not np.count_nonzero(audio) else ""
        if np.count_nonzero(audio) >= ASR_SAMPLE_RATE:
            said = self.SENTENCE
        step = len(audio) / ASR_SAMPLE_RATE / (len(said.split()) + 1)
        return [Word(f" {w}", i * step, (i + 1) * step) for i, w in enumerate(said.split())]


def test_silence_after_the_speech_is_not_decoded_when_the_stream_ends() -> None:
    streamer = StreamingRecognizer(_Parrot(), "en", has_speech=_energy)
    tone = np.full(ASR_SAMPLE_RATE, 0.1, dtype=np.float32)
    silence = np.zeros(ASR_SAMPLE_RATE, dtype=np.float32)
    captions = []
    for chunk in (tone, tone, silence, silence, silence[: ASR_SAMPLE_RATE // 2]):
        captions += streamer.push(chunk)
    captions += streamer.finish()  # half a second of silence was still waiting
    assert [c.text for c in captions if c.final] == [_Parrot.SENTENCE]  # once, not twice


def test_speech_that_starts_at_the_end_of_a_silent_chunk_is_heard() -> None:
    parrot = _Parrot()
    streamer = StreamingRecognizer(parrot, "en", has_speech=_energy)
    onset = np.zeros(ASR_SAMPLE_RATE, dtype=np.float32)
    onset[-ASR_SAMPLE_RATE // 5 :] = 0.1  # too short for the VAD: a silent chunk
    streamer.push(onset)
    assert parrot.heard == []
    streamer.push(np.full(ASR_SAMPLE_RATE, 0.1, dtype=np.float32))
    # The first pass hears the onset too (half a second kept), not the second chunk alone.
    assert parrot.heard == [ASR_SAMPLE_RATE + ASR_SAMPLE_RATE // 2]
