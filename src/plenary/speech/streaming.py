"""Streaming recognition: the LocalAgreement-2 policy, VAD, end-of-speech final pass.

The policy of ufal/whisper_streaming, tuned as measured in
``reference/SPEECH-PLANE.md``: a pass over the audio buffer whenever at least
``min_chunk_s`` of new audio is waiting; a word is *confirmed* when two
consecutive passes agree on it; the buffer is trimmed at a confirmed
sentence end once it is longer than ``trim_s``. Silero VAD (shipped with
faster-whisper, ``plenary.speech.engines.silero``) skips passes over silence
and noise (where Whisper would hallucinate) and, when speech stops,
triggers a final pass that confirms the rest of the utterance instead of
losing it. A chunk found silent keeps its last half second, which holds the
onset of speech too short yet for the VAD; silence at the end of a stream is
not decoded (Whisper would say its prompt, the last sentence, again).

Whisper is prompted with the last finished sentences, and a finished
sentence's audio leaves the buffer as it is finalised: heard again under its
own text in the prompt, Whisper timed the next words over the old audio and
they were taken for words already confirmed (the word after a final was lost:
"It was not so much" became "so much" on the development set). Shown the
same words in its prompt and in the audio, Whisper sometimes loops over them
instead ("The meeting is called to order." eight times); a pass whose text is
that repetitive (faster-whisper's compression-ratio test) is discarded.

Everything is driven by the audio given to :meth:`StreamingRecognizer.push`:
times are seconds of audio since the stream began, never wall time, so a test
that pushes one second at a time gets the same captions on any machine.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass, field

import numpy as np

from plenary.speech.engines.base import (
    ASR_SAMPLE_RATE,
    FloatAudio,
    Recognizer,
    SpeechDetector,
    Word,
)

_SENTENCE_END = re.compile("[.?!\u2026\u3002\uff1f\uff01\u061f]$")
_NORMALISE = re.compile(r"[^\w]+")
# faster-whisper's threshold: text that compresses more than this is a loop.
_MAX_COMPRESSION_RATIO = 2.4
_PROMPT_CHARS = 200


@dataclass(frozen=True)
class Caption:
    """Text of the utterance in progress (``final=False``) or a finished segment."""

    text: str
    start: float
    end: float
    final: bool


@dataclass
class Policy:
    min_chunk_s: float = 1.0
    trim_s: float = 10.0
    # Whisper sees at most 30 s: past this, trim at the last confirmed word.
    max_buffer_s: float = 20.0
    # This much trailing silence ends an utterance (final pass).
    end_silence_s: float = 0.8
    # Audio kept from a chunk the VAD found silent: the onset of speech that starts
    # at its end (Silero needs about a quarter second of speech to say so).
    preroll_s: float = 0.5


def _key(word: Word) -> str:
    return _NORMALISE.sub("", word.text.lower())


def _join(words: list[Word]) -> str:
    return "".join(w.text for w in words).strip()


def _repetitive(words: list[Word]) -> bool:
    """Whether a pass's text is a loop ("The meeting is called to order." eight times)."""
    text = _join(words).encode()
    return len(text) > 40 and len(text) / len(zlib.compress(text)) > _MAX_COMPRESSION_RATIO


def _attach_punctuation(words: list[Word]) -> list[Word]:
    """Glue a stand-alone punctuation "word" to the word before it; drop it at the start.

    Whisper sometimes emits "." alone (often over silence); alone it would be
    a caption of its own and would match any other punctuation when passes
    are compared.
    """
    glued: list[Word] = []
    for word in words:
        if _key(word):
            glued.append(word)
        elif glued:
            last = glued[-1]
            glued[-1] = Word(last.text + word.text.strip(), last.start, word.end)
    return glued


@dataclass
class StreamingRecognizer:
    recognizer: Recognizer
    language: str
    prompt: str = ""
    hotwords: str = ""
    policy: Policy = field(default_factory=Policy)
    has_speech: SpeechDetector | None = None

    def __post_init__(self) -> None:
        self._buffer: FloatAudio = np.zeros(0, dtype=np.float32)
        self._buffer_start = 0.0  # audio time of the buffer's first sample
        self._pending: list[FloatAudio] = []
        self._pending_samples = 0
        self._confirmed: list[Word] = []  # confirmed, not yet in a final caption
        self._confirmed_end = 0.0  # audio time of the last confirmed word's end
        self._previous: list[Word] = []  # the last pass's unconfirmed words
        self._recent: list[Word] = []  # the last five confirmed words (overlap check)
        self._said = ""  # the last finished text (the prompt)
        self._in_speech = False

    @property
    def audio_time(self) -> float:
        """Seconds of audio consumed so far (pending audio included)."""
        return self._buffer_start + (len(self._buffer) + self._pending_samples) / ASR_SAMPLE_RATE

    @property
    def lag(self) -> float:
        """Seconds of audio waiting for a pass (how far behind real time this stream is)."""
        return self._pending_samples / ASR_SAMPLE_RATE

    def push(self, audio: FloatAudio) -> list[Caption]:
        """Add audio; run one pass if at least ``min_chunk_s`` is waiting."""
        self._pending.append(audio.astype(np.float32, copy=False))
        self._pending_samples += len(audio)
        if self._pending_samples < self.policy.min_chunk_s * ASR_SAMPLE_RATE:
            return []
        chunk = np.concatenate(self._pending)
        self._pending, self._pending_samples = [], 0
        self._buffer = np.concatenate([self._buffer, chunk])
        return self._step(chunk)

    def finish(self) -> list[Caption]:
        """The stream ended: confirm and finalise whatever is left."""
        if self._pending:
            self._buffer = np.concatenate([self._buffer, *self._pending])
            self._pending, self._pending_samples = [], 0
        if len(self._buffer) and self.has_speech is not None and not self.has_speech(self._buffer):
            # Silence after the speech (a mix goes on sending it): decoded with the
            # last sentence as prompt, Whisper would say that sentence again.
            captions = [self._finalise()] if self._confirmed else []
            self._previous = []
            self._drop_buffer()
            return captions
        return self._final_pass()

    def abandon(self) -> tuple[list[Caption], tuple[float, float]]:
        """A pass failed: finalise what is confirmed and drop the buffer.

        Returns the final caption (if any) and the span of audio (start, end)
        that nobody will caption.
        """
        captions = [self._finalise()] if self._confirmed else []
        lost = (max(self._confirmed_end, self._buffer_start), self.audio_time)
        self._previous = []
        self._drop_buffer()
        return captions, lost

    # --- one pass -----------------------------------------------------------

    def _step(self, chunk: FloatAudio) -> list[Caption]:
        if self.has_speech is not None:
            tail = self._buffer[-int(self.policy.end_silence_s * ASR_SAMPLE_RATE) :]
            if not (self.has_speech(chunk) and self.has_speech(tail)):
                if self._in_speech:
                    # Speech just stopped: confirm the rest of the utterance now.
                    self._in_speech = False
                    return self._final_pass()
                if not self.has_speech(chunk):
                    # Silence or noise: nothing to recognise, but speech that begins
                    # at the chunk's very end is too short for the VAD yet: keep it.
                    self._drop_buffer(keep_s=self.policy.preroll_s)
                    return []
            self._in_speech = True
        words = self._transcribe()
        # A discarded pass confirms nothing; the next one, with more audio, may.
        captions = [] if words is None else self._confirm(words)
        captions.extend(self._trim())
        pending = [*self._confirmed, *self._previous]
        if pending:
            captions.append(Caption(_join(pending), pending[0].start, pending[-1].end, False))
        return captions

    def _prompt(self) -> str:
        return " ".join(part for part in (self.prompt, self._said) if part)

    def _transcribe(self) -> list[Word] | None:
        """The words of one pass over the buffer that are new, or None for a looping pass."""
        words = self.recognizer.transcribe(
            self._buffer, language=self.language, prompt=self._prompt(), hotwords=self.hotwords
        )
        offset = self._buffer_start
        shifted = _attach_punctuation(
            [Word(w.text, w.start + offset, w.end + offset) for w in words]
        )
        if _repetitive(shifted):
            return None
        # Only what ends after the confirmed text is new (a short word's start
        # time is often placed too early, so starts are not compared).
        fresh = [
            Word(w.text, max(w.start, self._confirmed_end), w.end)
            for w in shifted
            if w.end > self._confirmed_end + 0.05
        ]
        return self._without_overlap(fresh)

    def _without_overlap(self, words: list[Word]) -> list[Word]:
        """Drop a repeat of the last confirmed words at the start of a pass (1 to 5 words)."""
        recent = self._recent
        for size in range(min(len(recent), len(words)), 0, -1):
            if [_key(w) for w in recent[-size:]] == [_key(w) for w in words[:size]]:
                return words[size:]
        return words

    def _confirm(self, words: list[Word]) -> list[Caption]:
        """LocalAgreement-2: confirm the prefix this pass and the previous one agree on."""
        agreed = 0
        while agreed < min(len(words), len(self._previous)) and _key(words[agreed]) == _key(
            self._previous[agreed]
        ):
            agreed += 1
        self._previous = words[agreed:]
        return self._accept(words[:agreed])

    def _accept(self, words: list[Word]) -> list[Caption]:
        finals: list[Caption] = []
        for word in words:
            self._confirmed.append(word)
            self._recent = [*self._recent[-4:], word]
            self._confirmed_end = word.end
            if _SENTENCE_END.search(word.text.strip()):
                finals.append(self._finalise())
                # The finished sentence's audio leaves the buffer: it is the prompt now,
                # and heard again under it Whisper timed the next words over it.
                self._cut(word.end)
        return finals

    def _finalise(self) -> Caption:
        words, self._confirmed = self._confirmed, []
        caption = Caption(_join(words), words[0].start, words[-1].end, final=True)
        self._said = f"{self._said} {caption.text}".strip()[-_PROMPT_CHARS:]
        return caption

    def _final_pass(self) -> list[Caption]:
        words = self._transcribe() if len(self._buffer) else []
        # A looping last pass: keep what the previous pass heard instead.
        captions = self._accept(self._previous if words is None else words)
        if self._confirmed:
            captions.append(self._finalise())
        self._previous = []
        self._drop_buffer()
        return captions

    def _drop_buffer(self, keep_s: float = 0.0) -> None:
        """Forget the buffer's audio, all of it or all but its last ``keep_s``."""
        keep = min(len(self._buffer), int(keep_s * ASR_SAMPLE_RATE))
        self._buffer_start += (len(self._buffer) - keep) / ASR_SAMPLE_RATE
        self._buffer = self._buffer[len(self._buffer) - keep :].copy()
        self._confirmed_end = max(self._confirmed_end, self._buffer_start)

    def _trim(self) -> list[Caption]:
        """Keep the buffer short: cut after the last finished sentence."""
        duration = len(self._buffer) / ASR_SAMPLE_RATE
        if duration <= self.policy.trim_s:
            return []
        forced: list[Caption] = []
        if duration > self.policy.max_buffer_s and self._confirmed:
            # No sentence end for too long: finish what is confirmed and cut after it.
            forced.append(self._finalise())
        self._cut(self._confirmed[0].start if self._confirmed else self._confirmed_end)
        return forced

    def _cut(self, at: float) -> None:
        """Drop the buffer's audio before audio time ``at``."""
        if at > self._buffer_start:
            samples = int((at - self._buffer_start) * ASR_SAMPLE_RATE)
            self._buffer = self._buffer[samples:]
            self._buffer_start = at
