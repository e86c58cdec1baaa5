"""The worker's own path: stream runners fed Opus RTP share one scheduler's batched calls.

Real Opus RTP to the runners' ports (standing in for Janus's ``rtp_forward``),
the real packaged tiny.en model (wrapped by ``CountingBatches`` through the
``Schedulers`` loading seam) and real Silero VAD; the control plane is left
out: what the runners emit is collected.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Any

from plenary.speech.batching import Schedulers
from plenary.speech.engines.base import Speech
from plenary.speech.engines.whisper import WhisperRecognizer
from plenary.speech.protocol import Assign
from plenary.speech.rtp import OpusSender
from plenary.speech.tests.speechdata import ENGLISH, CountingBatches, Utterance, word_error_rate
from plenary.speech.worker.runner import StreamRunner, open_rtp_socket, receive, receive_waiting

STREAMS = (1, 2)


def _wait_for(condition: Any, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


def test_a_worker_captions_its_streams_in_shared_calls(
    tiny_en: WhisperRecognizer, piper_english: Utterance
) -> None:
    counting = CountingBatches(tiny_en)
    recognizers = Schedulers(max_batch=4, window_s=0.3, load=lambda info: counting)
    emitted: list[dict[str, Any]] = []
    lock = threading.Lock()

    def emit(message: dict[str, Any]) -> None:
        with lock:
            emitted.append(message)

    def of(stream: int, type_: str) -> list[dict[str, Any]]:
        with lock:
            return [m for m in emitted if m["stream"] == stream and m["type"] == type_]

    runners = [
        StreamRunner(
            Assign(type="assign", stream=stream, session=1, channel="floor", language="en"),
            emit,
            recognizers,
        )
        for stream in STREAMS
    ]
    for runner in runners:
        runner.start()
    # Two channels speaking at once: the first sentence on one, the second on the other.
    ends = [0, *piper_english.ends]
    try:
        _wait_for(lambda: all(of(s, "ready") for s in STREAMS), "both runners listen")
        for index, stream in enumerate(STREAMS):
            start, end = int(ends[index] * 16_000), int(ends[index + 1] * 16_000)
            samples = (piper_english.audio[start:end] * 32767).astype("int16")
            sender = OpusSender("127.0.0.1", of(stream, "ready")[0]["rtp_port"])
            sender.send(Speech(samples, 16_000), realtime=False)
            sender.close()
        _wait_for(lambda: all(of(s, "final") for s in STREAMS), "a final caption on each")
    finally:
        for runner in runners:
            runner.stop()
        for runner in runners:
            runner.join()
        recognizers.close()

    for index, stream in enumerate(STREAMS):
        text = " ".join(m["text"] for m in of(stream, "final"))
        # One sentence through Opus at 32 kbit/s: two words of ten may go astray.
        assert word_error_rate(ENGLISH[index], text) <= 0.25, text
    assert max(counting.sizes) >= 2, counting.sizes


def test_a_datagram_reports_how_long_it_waited_unread() -> None:
    """A worker that falls behind leaves audio in its sockets: the lag it reports counts it."""
    sock = open_rtp_socket("127.0.0.1")
    with sock, socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        sender.sendto(b"first", sock.getsockname())
        time.sleep(0.3)  # the worker is busy elsewhere
        sender.sendto(b"second", sock.getsockname())
        first, waited_first = receive(sock)
        second, waited_second = receive(sock)
    assert (first, second) == (b"first", b"second")
    assert waited_first >= 0.3
    assert waited_second < waited_first


def test_a_stream_behind_real_time_takes_all_its_waiting_audio_at_once(
    piper_english: Utterance,
) -> None:
    """Shedding passes, not queueing: the audio that arrived during a long pass goes
    into the next pass whole, instead of one pass per second of it."""
    first = piper_english.audio[: int(piper_english.ends[0] * 16_000)]  # about 2 s
    samples = (first * 32767).astype("int16")
    sock = open_rtp_socket("127.0.0.1")
    with sock:
        # What arrives while the worker is busy with a pass.
        sender = OpusSender("127.0.0.1", sock.getsockname()[1])
        sent = sender.send(Speech(samples, 16_000), realtime=False)
        sender.close()
        taken, _waited = receive_waiting(sock)
    assert len(taken) == sent > 50
