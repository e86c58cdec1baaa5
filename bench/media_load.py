"""Lean WebRTC peers for ``./scripts/bench media``: hundreds of peers per process.

A browser (and aiortc) decrypts, jitter-buffers and decodes every packet it
receives; in Python that fills a core with a few dozen listeners, long before
Janus is busy. A :class:`LeanPeer` negotiates ICE and DTLS-SRTP with aiortc as
usual, and the moment ICE completes its media socket is taken away from
aiortc (``pause_reading`` on aioice's transport; the bench reads a duplicate
of the socket itself):

- SRTP packets are counted from their RTP header, which SRTP leaves in the
  clear (RFC 3711, section 3.1), and never decrypted: sequence numbers per
  SSRC give the loss (RFC 3550, A.3: expected minus received) over a window;
- RTCP is dropped; STUN and DTLS go on to aiortc, so the DTLS handshake, ICE
  consent and Janus's keepalives work as for any client;
- a speaker also sends: one pre-encoded Opus frame every 20 ms, SRTP-protected
  with the session's keys, so Janus decodes and mixes real audio without the
  bench encoding any.

Peers live in worker processes (:class:`LoadProcess`) forked before the
bench's event loop starts and driven over a pipe; the bench keeps the
signalling (the product's services) in its own process. This module is
bench-only and uses aiortc/aioice internals (marked ``_``) on purpose.
"""

from __future__ import annotations

import asyncio
import contextlib
import fractions
import itertools
import multiprocessing
import os
import re
import socket
import struct
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, NamedTuple

import av
import numpy as np
from aiortc import RTCPeerConnection, RTCSessionDescription
from aiortc.codecs.opus import OpusEncoder

FRAME_SECONDS = 0.02  # one Opus frame
DRAIN_SECONDS = 0.05  # socket buffers hold seconds of audio, so reading in batches loses nothing
_RTP = struct.Struct("!BBHII")  # V/P/X/CC, M/PT, sequence number, timestamp, SSRC


class Counts(NamedTuple):
    """One peer's packets between ``mark`` and ``report``."""

    received: int
    expected: int  # 0 for a peer that received nothing in the window
    sent: int  # frames sent (speakers)
    octets: int = 0  # UDP payload bytes of the RTP packets received (SRTP: header, media, tag)


@dataclass(frozen=True)
class Window:
    """What one worker's peers did between ``mark`` and ``report``."""

    peers: dict[str, Counts]  # by peer key
    socket_drops: int  # packets the kernel dropped because a peer's socket buffer was full


class SequenceCounter:
    """Packets of one RTP stream: extended highest sequence number and count received."""

    __slots__ = ("base", "base_received", "highest", "received")

    def __init__(self, seq: int) -> None:
        self.highest = seq
        self.received = 1
        self.base = seq - 1  # until the first mark: since the first packet
        self.base_received = 0

    def add(self, seq: int) -> None:
        delta = (seq - self.highest) & 0xFFFF
        if delta < 0x8000:  # later than the highest so far (else late or duplicate)
            self.highest += delta
        self.received += 1

    def mark(self) -> None:
        self.base, self.base_received = self.highest, self.received

    def window(self) -> tuple[int, int]:
        """(received, expected) since the last mark."""
        return self.received - self.base_received, self.highest - self.base


class LeanPeer:
    """One WebRTC peer whose media socket the worker reads (see the module docstring)."""

    def __init__(self) -> None:
        self.pc = RTCPeerConnection()
        self.pc.on("iceconnectionstatechange", self._take_socket)
        self.streams: dict[int, SequenceCounter] = {}
        self.sock: socket.socket | None = None
        self._protocol: Any = None  # aioice's StunProtocol of the nominated pair
        self._remote: tuple[str, int] = ("", 0)
        self._stream: tuple[int, int] | None = None  # (payload type, SSRC) when sending
        self._seq = self._timestamp = 0
        self.sent = 0
        self.octets = self.octets_at_mark = 0

    def _take_socket(self) -> None:
        if self.pc.iceConnectionState != "completed" or self.sock is not None:
            return
        ice = self.pc.getTransceivers()[0].receiver.transport.transport
        pair = ice._connection._nominated[1]
        transport: Any = pair.protocol.transport  # asyncio's selector transport: it can pause
        transport.pause_reading()
        self.sock = socket.socket(fileno=os.dup(transport.get_extra_info("socket").fileno()))
        self.sock.setblocking(False)
        self._protocol, self._remote = pair.protocol, pair.remote_addr

    async def answer(self, offer: str) -> str:
        """Answer a Streaming mountpoint's offer (a listener)."""
        await self.pc.setRemoteDescription(RTCSessionDescription(offer, "offer"))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        return str(self.pc.localDescription.sdp)

    async def offer(self) -> str:
        """Offer to send and receive audio (a speaker joining AudioBridge)."""
        self.pc.addTransceiver("audio", direction="sendrecv")
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return str(self.pc.localDescription.sdp)

    async def accept(self, answer: str) -> None:
        """Take Janus's answer to :meth:`offer`; media is sent once DTLS is up."""
        await self.pc.setRemoteDescription(RTCSessionDescription(answer, "answer"))
        found = re.search(r"a=rtpmap:(\d+) opus/48000", answer)
        ssrc = re.search(r"a=ssrc:(\d+) ", str(self.pc.localDescription.sdp))
        if found is None or ssrc is None:
            raise ValueError("no Opus payload type or SSRC in the negotiated session")
        self._stream = int(found.group(1)), int(ssrc.group(1))

    def drain(self) -> None:
        """Read everything queued on the media socket: count RTP, drop RTCP, pass on the rest."""
        if self.sock is None:
            return
        recvfrom, streams = self.sock.recvfrom, self.streams
        while True:
            try:
                data, addr = recvfrom(2048)
            except BlockingIOError:
                return
            except OSError:  # the peer was closed under us
                self.sock = None
                return
            if 127 < data[0] < 192 and len(data) >= 12:
                if 191 < data[1] < 224:  # RTCP (RFC 5761: payload types 64-95 are not RTP)
                    continue
                _, _, seq, _, ssrc = _RTP.unpack_from(data)
                self.octets += len(data)
                counter = streams.get(ssrc)
                if counter is None:
                    streams[ssrc] = SequenceCounter(seq)
                else:
                    counter.add(seq)
            else:  # STUN, DTLS
                self._protocol.datagram_received(data, addr)

    def send_frame(self, payload: bytes) -> None:
        """Send one Opus frame if the DTLS-SRTP session is up."""
        dtls = self.pc.getTransceivers()[0].sender.transport
        if self._stream is None or self.sock is None or dtls.state != "connected":
            return
        payload_type, ssrc = self._stream
        header = _RTP.pack(0x80, payload_type, self._seq, self._timestamp, ssrc)
        self._seq = (self._seq + 1) & 0xFFFF
        self._timestamp = (self._timestamp + 960) & 0xFFFFFFFF
        with contextlib.suppress(BlockingIOError):  # a full send buffer loses the frame
            self.sock.sendto(dtls._tx_srtp.protect(header + payload), self._remote)
            self.sent += 1

    def mark(self) -> None:
        self.drain()
        for counter in self.streams.values():
            counter.mark()
        self.sent = 0
        self.octets_at_mark = self.octets

    def window(self) -> Counts:
        self.drain()
        received = expected = 0
        for counter in self.streams.values():
            got, due = counter.window()
            received, expected = received + got, expected + due
        return Counts(received, expected, self.sent, self.octets - self.octets_at_mark)

    async def close(self) -> None:
        await self.pc.close()
        if self.sock is not None:
            self.sock.close()


def opus_frames(seconds: float = 1.0, hz: float = 440.0) -> list[bytes]:
    """A tone, encoded once into 20 ms Opus frames that speakers send in a loop."""
    encoder = OpusEncoder()
    samples = round(FRAME_SECONDS * 48000)
    frames: list[bytes] = []
    for i in range(round(seconds / FRAME_SECONDS) + 1):
        t = (np.arange(samples) + i * samples) / 48000
        mono = (0.3 * 32767 * np.sin(2 * np.pi * hz * t)).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(np.repeat(mono, 2).reshape(1, -1), "s16", "stereo")
        frame.sample_rate, frame.pts = 48000, i * samples
        frame.time_base = fractions.Fraction(1, 48000)
        frames.extend(encoder.encode(frame)[0])
    return frames


def _socket_drops(sockets: list[socket.socket]) -> int:
    """Packets dropped so far by the kernel for these UDP sockets (``/proc/net/udp``)."""
    inodes = {os.fstat(sock.fileno()).st_ino for sock in sockets}
    drops = 0
    for line in Path("/proc/net/udp").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[9]) in inodes:
            drops += int(fields[-1])
    return drops


class _Worker:
    """The peers of one worker process and the loops that read and feed them."""

    def __init__(self) -> None:
        self.peers: dict[str, LeanPeer] = {}
        self.speakers: list[LeanPeer] = []
        self.frames = opus_frames()
        self.drops_at_mark = 0

    async def drain_forever(self) -> None:
        while True:
            for peer in list(self.peers.values()):
                peer.drain()
            await asyncio.sleep(DRAIN_SECONDS)

    async def speak_forever(self) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time()
        for tick in itertools.count():
            due += FRAME_SECONDS
            await asyncio.sleep(max(0.0, due - loop.time()))
            payload = self.frames[tick % len(self.frames)]
            for peer in self.speakers:
                peer.send_frame(payload)

    def _sockets(self) -> list[socket.socket]:
        return [peer.sock for peer in self.peers.values() if peer.sock is not None]

    async def handle(self, command: str, args: tuple[Any, ...]) -> Any:
        if command == "answer":  # (key, offer) -> answer: a listener
            key, offer = args
            self.peers[key] = LeanPeer()
            return await self.peers[key].answer(offer)
        if command == "offer":  # (key,) -> offer: a speaker
            self.peers[args[0]] = LeanPeer()
            return await self.peers[args[0]].offer()
        if command == "accept":  # (key, answer)
            key, answer = args
            await self.peers[key].accept(answer)
            self.speakers.append(self.peers[key])
            return None
        if command == "mark":
            for peer in self.peers.values():
                peer.mark()
            self.drops_at_mark = _socket_drops(self._sockets())
            return None
        if command == "report":
            return Window(
                peers={key: peer.window() for key, peer in self.peers.items()},
                socket_drops=_socket_drops(self._sockets()) - self.drops_at_mark,
            )
        if command == "close":  # (prefix,): the peers whose key starts with it
            closing = [key for key in self.peers if key.startswith(args[0])]
            peers = [self.peers.pop(key) for key in closing]
            self.speakers = [peer for peer in self.speakers if peer not in peers]
            await asyncio.gather(*(peer.close() for peer in peers))
            return None
        raise ValueError(f"unknown command {command!r}")


def _serve(pipe: Connection) -> None:
    """The worker process: run commands from the pipe until it closes."""
    import logging

    # aiortc logs an error for each peer closed before it connected; the bench
    # counts those peers as silent instead.
    logging.disable(logging.ERROR)
    asyncio.run(_serve_async(pipe))


async def _serve_async(pipe: Connection) -> None:
    loop = asyncio.get_running_loop()
    worker = _Worker()
    requests: asyncio.Queue[tuple[int, str, tuple[Any, ...]] | None] = asyncio.Queue()

    def readable() -> None:
        try:
            requests.put_nowait(pipe.recv())
        except EOFError:
            loop.remove_reader(pipe.fileno())
            requests.put_nowait(None)

    async def run(request_id: int, command: str, args: tuple[Any, ...]) -> None:
        try:
            result = (True, await worker.handle(command, args))
        except Exception as exc:  # reported to the bench, which raises it
            result = (False, repr(exc))
        pipe.send((request_id, *result))

    loop.add_reader(pipe.fileno(), readable)
    background = [
        asyncio.create_task(worker.drain_forever()),
        asyncio.create_task(worker.speak_forever()),
    ]
    running: set[asyncio.Task[None]] = set()
    while (request := await requests.get()) is not None:
        task = asyncio.create_task(run(*request))
        running.add(task)
        task.add_done_callback(running.discard)
    for task in background:
        task.cancel()
    await worker.handle("close", ("",))


class LoadError(RuntimeError):
    """A worker process failed a command."""


class LoadProcess:
    """A worker process holding lean peers, driven from the bench's event loop.

    Create it before any event loop or thread exists (it forks).
    """

    def __init__(self) -> None:
        context = multiprocessing.get_context("fork")
        self._pipe, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True)
        self.process.start()
        child.close()
        self._ids = itertools.count()
        self._waiting: dict[int, asyncio.Future[Any]] = {}
        self._reading = False

    @property
    def pid(self) -> int:
        assert self.process.pid is not None
        return self.process.pid

    def _reply(self) -> None:
        request_id, ok, result = self._pipe.recv()
        future = self._waiting.pop(request_id)
        if ok:
            future.set_result(result)
        else:
            future.set_exception(LoadError(result))

    async def call(self, command: str, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        if not self._reading:
            loop.add_reader(self._pipe.fileno(), self._reply)
            self._reading = True
        request_id = next(self._ids)
        self._waiting[request_id] = future = loop.create_future()
        self._pipe.send((request_id, command, args))
        return await future

    async def stop(self, timeout: float = 30.0) -> None:
        """Close the worker's peers, then its pipe, and wait for it to exit."""
        await asyncio.wait_for(self.call("close", ""), timeout)
        asyncio.get_running_loop().remove_reader(self._pipe.fileno())
        self._reading = False
        self._pipe.close()
        await asyncio.to_thread(self.process.join, timeout)
        if self.process.is_alive():
            self.process.kill()
