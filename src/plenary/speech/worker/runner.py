"""Caption one assigned stream: RTP in -> Opus decode -> VAD + streaming ASR -> MT -> out.

The stream's passes go through the worker's shared scheduler for its model
(:mod:`plenary.speech.batching`), which decodes every live stream's pass in
one batched call; the policy, VAD, translation and AI voice stay per stream.
"""

from __future__ import annotations

import logging
import select
import socket
import struct
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from plenary.speech import mt
from plenary.speech.batching import Schedulers
from plenary.speech.engines import catalog
from plenary.speech.engines.base import EngineError, ModelMissing
from plenary.speech.engines.silero import silero_detector
from plenary.speech.protocol import Assign
from plenary.speech.rtp import OpusDecoder
from plenary.speech.streaming import Caption, StreamingRecognizer
from plenary.speech.voice import AiVoice, parse_destination

logger = logging.getLogger(__name__)

Emit = Callable[[dict[str, Any]], None]
# Linux's SO_TIMESTAMP (Python does not name it): the kernel stamps each
# datagram's arrival, so a stream knows how long its audio waited unread.
SO_TIMESTAMP = getattr(socket, "SO_TIMESTAMP", 29)
_TIMEVAL = struct.Struct("@qq")
_STAMP_SPACE = socket.CMSG_SPACE(_TIMEVAL.size)
# No packet for this long: the speaker stopped (or Janus did); finish the utterance.
IDLE_FLUSH_S = 1.0


class StreamRunner(threading.Thread):
    """One thread per stream; ``emit`` must be thread-safe (it hands over to the event loop)."""

    def __init__(
        self, assign: Assign, emit: Emit, recognizers: Schedulers, *, bind_host: str = "127.0.0.1"
    ) -> None:
        super().__init__(name=f"caption-stream-{assign.stream}", daemon=True)
        self.assign = assign
        self._emit = emit
        self._recognizers = recognizers
        self._bind_host = bind_host
        self._stopping = threading.Event()  # not `_stop`: Thread.join calls its own `_stop()`
        self.streamer: StreamingRecognizer | None = None
        self._voices: dict[str, AiVoice] = {}
        self._waited = 0.0  # how long the last datagram waited in the socket

    def stop(self) -> None:
        self._stopping.set()

    def update(self, assign: Assign) -> None:
        """A new assignment for the same stream (an AI voice was routed, targets changed)."""
        self.assign = assign

    @property
    def lag(self) -> float:
        """How far behind real time the stream is: the audio waiting in the socket
        (a worker too slow for its streams falls behind there) and in the policy."""
        return self._waited + (self.streamer.lag if self.streamer is not None else 0.0)

    def run(self) -> None:
        try:
            recognizer = self._recognizers.attach(catalog.pick_asr(self.assign.language))
        except (ModelMissing, EngineError) as exc:
            self._emit({"type": "failed", "stream": self.assign.stream, "reason": str(exc)[:300]})
            return
        try:
            self.streamer = StreamingRecognizer(
                recognizer,
                self.assign.language,
                prompt=self.assign.prompt,
                hotwords=self.assign.hotwords,
                has_speech=silero_detector(),
            )
            self._listen()
        finally:
            recognizer.close()
            for voice in self._voices.values():
                voice.stop()

    def _listen(self) -> None:
        with open_rtp_socket(self._bind_host) as sock:
            host, port = sock.getsockname()
            ready = {"type": "ready", "stream": self.assign.stream, "rtp_port": port}
            if host != "0.0.0.0":  # noqa: S104 - a wildcard bind names no address to send to
                ready["rtp_host"] = host
            self._emit(ready)
            self._receive(sock)

    def _receive(self, sock: socket.socket) -> None:
        assert self.streamer is not None  # noqa: S101 - set by run()
        streamer = self.streamer
        decoder = OpusDecoder()
        origin: float | None = None  # wall time of audio time 0
        last_packet = time.monotonic()
        flushed = True
        while not self._stopping.is_set():
            try:
                datagrams, self._waited = receive_waiting(sock)
            except TimeoutError:
                self._waited = 0.0
                if not flushed and time.monotonic() - last_packet > IDLE_FLUSH_S:
                    self._advance(streamer.finish, origin or time.time())
                    flushed = True
                continue
            last_packet = time.monotonic()
            if origin is None:
                origin = time.time()
            audio = np.concatenate([decoder.decode(datagram) for datagram in datagrams])
            if len(audio):
                flushed = False
                self._advance(partial(streamer.push, audio), origin)
        if not flushed:
            self._advance(streamer.finish, origin or time.time())

    def _advance(self, step: Callable[[], list[Caption]], origin: float) -> None:
        """Run one step of the policy; a pass that fails becomes a gap, the stream goes on."""
        assert self.streamer is not None  # noqa: S101 - set by run()
        try:
            captions = step()
        except EngineError as exc:
            logger.warning("stream %s lost a pass: %s", self.assign.stream, exc)
            captions, (start, end) = self.streamer.abandon()
            self._deliver(captions, origin)
            self._emit(
                {
                    "type": "gap",
                    "stream": self.assign.stream,
                    "start": origin + start,
                    "end": origin + end,
                }
            )
            return
        self._deliver(captions, origin)

    def _deliver(self, captions: list[Caption], origin: float) -> None:
        for caption in captions:
            if not caption.final:
                self._emit({"type": "partial", "stream": self.assign.stream, "text": caption.text})
                continue
            translations = self._translate(caption.text)
            self._emit(
                {
                    "type": "final",
                    "stream": self.assign.stream,
                    "text": caption.text,
                    "start": origin + caption.start,
                    "end": origin + caption.end,
                    "translations": translations,
                }
            )
            self._speak(translations)

    def _speak(self, translations: dict[str, str]) -> None:
        for language, destination in self.assign.voices.items():
            if language not in translations:
                continue
            voice = self._voices.get(language)
            if voice is None or voice.sender.port != parse_destination(destination)[1]:
                try:
                    voice = AiVoice(language, destination)
                except (ModelMissing, EngineError, ValueError):
                    logger.exception("no AI voice in %s", language)
                    continue
                voice.start()
                self._voices[language] = voice
            voice.say(translations[language])

    def _translate(self, text: str) -> dict[str, str]:
        translations: dict[str, str] = {}
        for target in self.assign.targets:
            try:
                glossary = self.assign.glossary.get(target)
                translations[target] = mt.translate_texts(
                    [text], self.assign.language, target, glossary=glossary
                )[0]
            except ModelMissing:
                continue  # no model for this pair: that language shows the original only
            except EngineError:
                logger.exception("translation into %s failed", target)
        return translations


def open_rtp_socket(host: str) -> socket.socket:
    """A UDP socket for a stream's RTP: a large buffer, arrival stamps, short timeouts."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMP, 1)
    sock.bind((host, 0))
    sock.settimeout(0.2)
    return sock


# A stream behind real time takes this much waiting audio at most into one pass.
MOST_WAITING_DATAGRAMS = 1000  # 20 s of 20 ms Opus frames


def receive_waiting(sock: socket.socket) -> tuple[list[bytes], float]:
    """The next datagram and every one already waiting behind it, and how long the
    first waited unread: a stream that fell behind (its last pass took longer than
    the audio it covered) catches up in one pass over all of it instead of a pass
    per second of backlog, which would leave it further behind real time."""
    first, waited = receive(sock)
    datagrams = [first]
    # The socket has a timeout, so Python would wait on a read with MSG_DONTWAIT too.
    while len(datagrams) < MOST_WAITING_DATAGRAMS and select.select([sock], [], [], 0)[0]:
        datagrams.append(receive(sock)[0])
    return datagrams, waited


def receive(sock: socket.socket) -> tuple[bytes, float]:
    """One datagram, and how many seconds it waited in the socket before this read."""
    data, ancillary, _flags, _address = sock.recvmsg(2048, _STAMP_SPACE)
    for level, kind, payload in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMP:
            seconds, microseconds = _TIMEVAL.unpack(payload[: _TIMEVAL.size])
            return data, max(0.0, time.time() - seconds - microseconds / 1e6)
    return data, 0.0
