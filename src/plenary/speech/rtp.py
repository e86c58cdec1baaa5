"""Opus over RTP: what Janus forwards to a worker, and what an AI voice sends back.

Janus forwards each channel's mix with ``rtp_forward`` (Opus, 48 kHz); the
worker decodes it to 16 kHz mono for VAD and Whisper. The RTP timestamp
places each packet in audio time, so lost packets and discontinuous
transmission become silence instead of shifting every later caption.
"""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field

import av
import numpy as np
from aiortc.rtp import RtpPacket

from plenary.speech.audio import Int16Audio, resample
from plenary.speech.engines.base import ASR_SAMPLE_RATE, FloatAudio, Speech

OPUS_RATE = 48_000
FRAME_SAMPLES = 960  # 20 ms at 48 kHz
OPUS_PT = 100
# A jump larger than this in RTP time is a new talk spurt, not lost packets.
MAX_FILL_S = 5.0


class OpusDecoder:
    """Decode an RTP Opus stream into 16 kHz float32 audio, in RTP time."""

    def __init__(self) -> None:
        self._codec = av.CodecContext.create("opus", "r")
        self._resampler = av.AudioResampler(format="s16", layout="mono", rate=ASR_SAMPLE_RATE)
        self._first_ts: int | None = None
        self._last_seq: int | None = None
        self.samples_out = 0  # 16 kHz samples produced so far

    def decode(self, datagram: bytes) -> FloatAudio:
        """One RTP datagram -> the audio it adds (silence first if packets went missing)."""
        try:
            packet = RtpPacket.parse(datagram)
        except ValueError:
            return np.zeros(0, dtype=np.float32)  # not RTP: ignore
        if self._last_seq is not None and (packet.sequence_number - self._last_seq) % 65536 > 32768:
            return np.zeros(0, dtype=np.float32)  # late or duplicate packet
        self._last_seq = packet.sequence_number
        if self._first_ts is None:
            self._first_ts = packet.timestamp
        position = ((packet.timestamp - self._first_ts) % 2**32) * ASR_SAMPLE_RATE // OPUS_RATE
        pieces: list[FloatAudio] = []
        missing = position - self.samples_out
        if 0 < missing <= MAX_FILL_S * ASR_SAMPLE_RATE:
            pieces.append(np.zeros(missing, dtype=np.float32))
            self.samples_out += missing
        for frame in self._codec.decode(av.Packet(packet.payload)):
            frame.pts = None
            for out in self._resampler.resample(frame):
                samples = out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0
                pieces.append(samples)
                self.samples_out += len(samples)
        return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)


@dataclass
class OpusSender:
    """Encode speech to Opus and send it as RTP to ``(host, port)``."""

    host: str
    port: int
    ssrc: int = 0x504C4E59
    payload_type: int = OPUS_PT
    _sequence: int = 0
    _timestamp: int = 0
    _socket: socket.socket = field(init=False)

    def __post_init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def packets(self, speech: Speech) -> list[bytes]:
        """The RTP datagrams for ``speech`` (mono int16 at any rate)."""
        samples: Int16Audio = resample(speech.samples, speech.sample_rate, OPUS_RATE)
        padding = (-len(samples)) % FRAME_SAMPLES
        samples = np.concatenate([samples, np.zeros(padding, dtype=np.int16)])
        encoder = av.CodecContext.create("libopus", "w")
        encoder.sample_rate = OPUS_RATE
        encoder.layout = "mono"
        encoder.format = "s16"
        encoder.bit_rate = 32_000
        datagrams: list[bytes] = []
        encoded: list[av.Packet] = []
        for index, start in enumerate(range(0, len(samples), FRAME_SAMPLES)):
            frame = av.AudioFrame.from_ndarray(
                samples[start : start + FRAME_SAMPLES].reshape(1, -1), format="s16", layout="mono"
            )
            frame.sample_rate = OPUS_RATE
            frame.pts = index * FRAME_SAMPLES
            encoded += encoder.encode(frame)
        encoded += encoder.encode(None)
        for marker, packet in enumerate(encoded):
            rtp = RtpPacket(
                payload_type=self.payload_type,
                marker=int(marker == 0),
                sequence_number=self._sequence,
                timestamp=self._timestamp,
                ssrc=self.ssrc,
                payload=bytes(packet),
            )
            datagrams.append(rtp.serialize())
            self._sequence = (self._sequence + 1) % 65536
            self._timestamp = (self._timestamp + FRAME_SAMPLES) % 2**32
        return datagrams

    def send(self, speech: Speech, *, realtime: bool = True) -> int:
        """Send ``speech``; paced at 20 ms per packet when ``realtime`` (what Janus expects)."""
        datagrams = self.packets(speech)
        started = time.monotonic()
        for index, datagram in enumerate(datagrams):
            if realtime:
                delay = started + index * FRAME_SAMPLES / OPUS_RATE - time.monotonic()
                if delay > 0:
                    time.sleep(delay)
            self._socket.sendto(datagram, (self.host, self.port))
        return len(datagrams)

    def close(self) -> None:
        self._socket.close()
