"""./scripts/bench media: the media plane's latency and capacity, with a real Janus.

WebRTC needs a non-loopback interface, so the script re-runs itself inside a
private network namespace (``unshare -n`` and a veth pair; root needed); no
packet leaves the machine. It starts Janus with the product's configuration
and prints:

- ``mouth_to_ear_p50``: a 1 kHz burst handed to an aiortc speaker's encoder
  until its onset reaches an aiortc listener, through the product's path
  (AudioBridge floor room -> rtp_forward -> Streaming mountpoint), over
  several speaker connections; baseline: the same bursts over direct aiortc
  -> aiortc connections, in the same run.
- ``listener_loss`` per step of listeners on a language channel (an
  interpreter in the French room, forwarded to the session's mountpoint),
  with Janus's CPU use over the window, then ``listeners_per_core``: the
  largest step's listeners over Janus's CPU share, from the largest step that
  lost at most ``MAX_LOSS`` %. Baseline: the same ramp first through Debian's
  libsrtp2 (NSS) instead of the one the scripts build on OpenSSL
  (``debian_srtp_*`` lines), in the same run.
- ``speaker_loss`` and ``speakers_per_core``: the same for AudioBridge
  participants in the floor room (speakers and interpreters: each one's audio
  decoded and mixed, and a mix encoded for each).

Listeners and speakers are lean peers (``media_load``) in separate processes:
full WebRTC set-up (ICE, DTLS-SRTP) through the product's signalling
(``services.do_listen``/``do_listen_answer``/``do_speak``, as the WebSocket
consumer calls them), then loss counted from the RTP sequence numbers without
decrypting. Janus's CPU share is its whole CPU time (user + system, the
channel's own mixing included) per wall second; ``janus_waited_pct`` is how
long its threads waited for a CPU, which tells a busy machine from a busy Janus.

Options: --listeners 500,1000 --speakers 25,50 (steps) --seconds 10
--processes 2 (load processes) --parts latency,capacity --bursts 40
--connections 8 (speaker legs the bursts are spread over).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
NAMESPACE = (
    "set -e; ip link set lo up; ip link add v0 type veth peer name v1;"
    " ip addr add 10.99.0.1/24 dev v0; ip addr add 10.99.0.2/24 dev v1;"
    ' ip link set v0 up; ip link set v1 up; exec "$@"'
)

if os.environ.get("PLENARY_MEDIA_NETNS") != "1":
    env = {**os.environ, "PLENARY_MEDIA_NETNS": "1", "PLENARY_JANUS_ICE_INTERFACES": "v0"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    unshare = shutil.which("unshare") or "/usr/bin/unshare"
    command = [unshare, "-n", "sh", "-c", NAMESPACE, "netns", sys.executable, *sys.argv]
    sys.exit(subprocess.run(command, env=env, check=False).returncode)  # noqa: S603

sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plenary.config.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
from aiortc import RTCPeerConnection, RTCSessionDescription  # noqa: E402
from asgiref.sync import sync_to_async  # noqa: E402
from media_load import LoadProcess, Window  # noqa: E402

from plenary.media import engine, probes, services  # noqa: E402
from plenary.media.janus.config import JanusConfig  # noqa: E402
from plenary.media.janus.process import JanusProcess  # noqa: E402
from plenary.media.rooms import FLOOR, SessionLayout  # noqa: E402

# The bench name on every line (``bench/room.py`` reuses this module and sets its own).
BENCH = "media"


def emit(
    metric: str, value: float, unit: str, baseline: float | None = None, **extra: object
) -> None:
    line = {
        "bench": BENCH,
        "metric": metric,
        "value": round(value, 2),
        "unit": unit,
        "baseline": None if baseline is None else round(baseline, 2),
        **extra,
    }
    print(json.dumps(line), flush=True)


def udp_errors() -> tuple[int, int]:
    """This network namespace's UDP receive- and send-buffer errors so far (every socket)."""
    names, values = (
        line.split()[1:]
        for line in Path("/proc/net/snmp").read_text().splitlines()
        if line.startswith("Udp:")
    )
    counters = dict(zip(names, map(int, values), strict=True))
    return counters["RcvbufErrors"], counters["SndbufErrors"]


def thread_cpu(pid: int) -> dict[int, tuple[str, float]]:
    """CPU seconds so far of each thread of ``pid``, with the thread's name."""
    tick, threads = os.sysconf("SC_CLK_TCK"), {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError):  # a thread that just ended
            name, rest = (task / "stat").read_text().split(" (", 1)[1].rsplit(")", 1)
            fields = rest.split()
            threads[int(task.name)] = name, (int(fields[11]) + int(fields[12])) / tick
    return threads


def busiest(before: dict[int, tuple[str, float]], after: dict[int, tuple[str, float]]) -> str:
    """The thread that used the most CPU between two ``thread_cpu`` snapshots, and how much."""
    used = {
        tid: (name, seconds - before.get(tid, (name, 0.0))[1])
        for tid, (name, seconds) in after.items()
    }
    name, seconds = max(used.values(), key=lambda thread: thread[1])
    return f"{name}: {seconds:.2f} s"


class Usage(NamedTuple):
    """Processes' CPU time so far, in seconds, and how long their threads waited for a CPU."""

    user: float
    system: float
    waited: float

    @classmethod
    def of(cls, pids: Iterable[int]) -> Usage:
        user = system = waited = 0.0
        tick = os.sysconf("SC_CLK_TCK")
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            user += int(fields[11]) / tick
            system += int(fields[12]) / tick
            for task in Path(f"/proc/{pid}/task").iterdir():
                with contextlib.suppress(FileNotFoundError):  # a thread that just ended
                    waited += int((task / "schedstat").read_text().split()[1]) / 1e9
        return cls(user, system, waited)

    def __sub__(self, other: tuple[float, ...]) -> Usage:
        return Usage(*(mine - theirs for mine, theirs in zip(self, other, strict=True)))


class Peer:
    def __init__(self, samples: probes.Signal | None = None, loop: bool = False):
        self.pc = RTCPeerConnection()
        self.recorders: list[probes.Recorder] = []
        self.track = probes.ArrayTrack(samples, loop) if samples is not None else None
        self.pc.on("track", lambda track: self.recorders.append(probes.Recorder(track)))
        if self.track is not None:
            self.pc.addTrack(self.track)

    async def offer(self) -> str:
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return str(self.pc.localDescription.sdp)

    async def answer(self, offer: str) -> str:
        await self.pc.setRemoteDescription(RTCSessionDescription(offer, "offer"))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        return str(self.pc.localDescription.sdp)


async def speak(
    name: str, user: int, layout: SessionLayout, target: str, samples: probes.Signal
) -> Peer:
    peer = Peer(samples, loop=True)
    answer = await services.do_speak(name, user, layout, target, await peer.offer())
    await peer.pc.setRemoteDescription(RTCSessionDescription(answer, "answer"))
    return peer


async def listen(name: str, layout: SessionLayout, channel: str) -> Peer:
    peer = Peer()
    offer = await services.do_listen(name, None, layout, channel, False)
    await services.do_listen_answer(name, layout, await peer.answer(offer))
    return peer


async def _direct(signal: probes.Signal, starts: list[int]) -> list[float]:
    """The baseline: the same bursts over a direct aiortc -> aiortc connection."""
    sender, receiver = Peer(signal), Peer()
    await receiver.pc.setRemoteDescription(RTCSessionDescription(await sender.offer(), "offer"))
    await receiver.pc.setLocalDescription(await receiver.pc.createAnswer())
    await sender.pc.setRemoteDescription(receiver.pc.localDescription)
    await asyncio.sleep(len(signal) / probes.RATE + 1.5)
    found = probes.burst_latencies(receiver.recorders[0], sender.track, starts)  # type: ignore[arg-type]
    for peer in (sender, receiver):
        await peer.pc.close()
    return found


async def latency(bursts: int, connections: int) -> None:
    """Mouth to ear through the product and directly, over ``connections`` speaker legs.

    A speaker's packets meet AudioBridge's 20 ms mixing clock at a phase
    fixed when the leg connects (0-20 ms of waiting, the same for every
    packet of the leg), so one leg shows one draw of it; the bursts are
    spread over several legs, as delegates connect at any phase.
    """
    signal, starts = probes.bursts(max(1, bursts // connections))
    layout = SessionLayout(1, ())
    await sync_to_async(services.set_heard)(1, FLOOR, frozenset({1}))
    listener = await listen("lat-listener", layout, FLOOR)
    await asyncio.sleep(1)
    product: list[list[float]] = []
    direct: list[float] = []
    for leg in range(connections):
        speaker = await speak(f"lat-speaker-{leg}", 1, layout, FLOOR, signal)
        await asyncio.sleep(len(signal) / probes.RATE + 1.5)
        product.append(probes.burst_latencies(listener.recorders[0], speaker.track, starts))  # type: ignore[arg-type]
        await services.do_hangup(f"lat-speaker-{leg}")
        await speaker.pc.close()
        direct += await _direct(signal, starts)
    await listener.pc.close()
    through = [found for leg in product for found in leg]
    baseline = statistics.median(direct)
    emit(
        "mouth_to_ear_p50",
        1000 * statistics.median(through),
        "ms",
        1000 * baseline,
        bursts=len(through),
        connections=connections,
    )
    emit(
        "added_by_product_p50",
        1000 * (statistics.median(through) - baseline),
        "ms",
        per_connection=[round(1000 * (statistics.median(leg) - baseline), 1) for leg in product],
    )


FRAMES_PER_SECOND = 50  # Opus, 20 ms frames
MAX_LOSS = 0.1  # % of packets a step may lose and still give a per-core figure
SETTLE_SECONDS = 3.0  # after the last join, before measuring
JOINS_AT_ONCE = 16


@dataclass(frozen=True)
class Sample:
    """One measuring window: CPU use and what the chosen peers received."""

    peers: int
    janus: Usage  # Janus, in shares of one core (seconds per second)
    load: float  # the load processes' CPU use, as a share of one core
    machine_load: float  # the one-minute load average at the end (2 cores)
    janus_busiest: str  # Janus's busiest thread in the window, and its CPU seconds
    loss: float  # % of the packets expected (a peer that received nothing lost all)
    silent: int  # peers that received nothing
    lossy: int  # peers that lost at least one packet
    socket_drops: int  # packets dropped by the load processes' own receive buffers
    udp_errors: tuple[int, int]  # receive- and send-buffer errors, all sockets (Janus's too)
    sent: int  # frames sent by the load processes' speakers
    kbits_per_peer: float  # what each chosen peer received, kbit/s of UDP payload

    @property
    def janus_cpu(self) -> float:
        """Janus's CPU use, as a share of one core."""
        return self.janus.user + self.janus.system

    def emit(self, metric: str, **extra: object) -> None:
        emit(
            metric,
            self.loss,
            "%",
            None,
            measured_with=self.peers,
            janus_cpu_pct=round(100 * self.janus_cpu, 1),
            janus_system_pct=round(100 * self.janus.system, 1),
            janus_waited_pct=round(100 * self.janus.waited, 1),
            janus_busiest_thread=self.janus_busiest,
            load_cpu_pct=round(100 * self.load, 1),
            load_average=round(self.machine_load, 2),
            silent=self.silent,
            with_loss=self.lossy,
            load_socket_drops=self.socket_drops,
            udp_rcvbuf_errors=self.udp_errors[0],
            udp_sndbuf_errors=self.udp_errors[1],
            frames_sent=self.sent,
            kbits_per_peer=round(self.kbits_per_peer, 1),
            **extra,
        )


async def sample(
    janus: JanusProcess, loads: list[LoadProcess], prefix: str, seconds: float
) -> Sample:
    """Measure Janus and the peers whose key starts with ``prefix`` over ``seconds``."""
    assert janus.pid is not None
    await asyncio.gather(*(load.call("mark") for load in loads))
    pids = [load.pid for load in loads]
    threads, errors = thread_cpu(janus.pid), udp_errors()
    janus_start, load_start, t0 = Usage.of([janus.pid]), Usage.of(pids), time.monotonic()
    await asyncio.sleep(seconds)
    wall = time.monotonic() - t0
    janus_use, load_use = Usage.of([janus.pid]) - janus_start, Usage.of(pids) - load_start
    janus_busiest = busiest(threads, thread_cpu(janus.pid))
    received_errors, sent_errors = udp_errors()
    windows: list[Window] = await asyncio.gather(*(load.call("report") for load in loads))
    counts = [
        counts
        for window in windows
        for key, counts in window.peers.items()
        if key.startswith(prefix)
    ]
    silent = sum(1 for peer in counts if peer.expected == 0)
    received = sum(peer.received for peer in counts)
    expected = sum(peer.expected for peer in counts) + round(silent * FRAMES_PER_SECOND * wall)
    return Sample(
        peers=len(counts),
        janus=Usage(*(seconds / wall for seconds in janus_use)),
        load=(load_use.user + load_use.system) / wall,
        machine_load=os.getloadavg()[0],
        janus_busiest=janus_busiest,
        loss=100 * max(expected - received, 0) / max(expected, 1),
        silent=silent,
        lossy=sum(1 for peer in counts if 0 < peer.received < peer.expected),
        socket_drops=sum(window.socket_drops for window in windows),
        udp_errors=(received_errors - errors[0], sent_errors - errors[1]),
        sent=sum(peer.sent for peer in counts),
        kbits_per_peer=8 * sum(peer.octets for peer in counts) / max(len(counts), 1) / wall / 1000,
    )


async def at_most(limit: int, jobs: Iterable[Awaitable[None]]) -> None:
    """Await ``jobs``, ``limit`` of them at a time."""
    gate = asyncio.Semaphore(limit)

    async def gated(job: Awaitable[None]) -> None:
        async with gate:
            await job

    await asyncio.gather(*(gated(job) for job in jobs))


async def join_listener(load: LoadProcess, key: str, layout: SessionLayout, channel: str) -> None:
    """A lean listener, through the product's signalling (``do_listen``, ``do_listen_answer``)."""
    offer = await services.do_listen(key, None, layout, channel, False)
    await services.do_listen_answer(key, layout, await load.call("answer", key, offer))


async def join_speaker(
    load: LoadProcess, key: str, user: int, layout: SessionLayout, target: str
) -> None:
    """A lean speaker, through the product's signalling (``do_speak``)."""
    answer = await services.do_speak(key, user, layout, target, await load.call("offer", key))
    await load.call("accept", key, answer)


async def ramp(
    janus: JanusProcess,
    loads: list[LoadProcess],
    steps: list[int],
    seconds: float,
    *,
    prefix: str,
    join: Callable[[LoadProcess, int], Awaitable[None]],
    metric: str,
) -> Sample | None:
    """Add peers up to each step and measure; return the largest step within ``MAX_LOSS``.

    Peer ``i`` is ``{prefix}{i}``, added by ``join``; each step prints a ``metric`` line
    (the peers' loss). Every peer leaves at the end.
    """
    best, joined = None, 0
    for step in steps:
        t0 = time.monotonic()
        await at_most(JOINS_AT_ONCE, (join(loads[i % len(loads)], i) for i in range(joined, step)))
        joins_per_second = (step - joined) / (time.monotonic() - t0)
        joined = step
        await asyncio.sleep(SETTLE_SECONDS)
        measured = await sample(janus, loads, prefix, seconds)
        measured.emit(metric, joins_per_second=round(joins_per_second, 1))
        if measured.silent == 0 and measured.loss <= MAX_LOSS:
            best = measured
    for i in range(joined):
        await services.do_hangup(f"{prefix}{i}")
    await asyncio.gather(*(load.call("close", prefix) for load in loads))
    return best


def emit_per_core(
    metric: str, unit: str, best: Sample | None, baseline: Sample | None = None
) -> None:
    """Peers per fully used core, from the largest step that lost at most ``MAX_LOSS`` %
    (``baseline``: the same figure from the baseline's ramp)."""
    base = baseline.peers / baseline.janus_cpu if baseline else None
    if best is None:
        emit(metric, 0, unit, base, note=f"no step lost at most {MAX_LOSS} %")
        return
    emit(
        metric,
        best.peers / best.janus_cpu,
        unit,
        base,
        measured_with=best.peers,
        janus_cpu_pct=round(100 * best.janus_cpu, 1),
        loss_pct=round(best.loss, 3),
    )


async def listeners_on_a_channel(
    janus: JanusProcess, loads: list[LoadProcess], steps: list[int], seconds: float, label: str
) -> Sample | None:
    """Ramp listeners on the French channel (one interpreter); the best lossless step."""
    layout = SessionLayout(2, ("fr",))
    await sync_to_async(services.set_heard)(2, "fr", frozenset({1}))
    await join_speaker(loads[0], "interpreter", 1, layout, "fr")
    await asyncio.sleep(SETTLE_SECONDS)
    channel = await sample(janus, loads, "interpreter", seconds)
    emit(
        f"{label}channel_janus_cpu",
        100 * channel.janus_cpu,
        "% of a core",
        None,
        interpreter_frames=channel.sent,
    )

    async def listener(load: LoadProcess, i: int) -> None:
        await join_listener(load, f"listener-{i}", layout, "fr")

    best = await ramp(
        janus,
        loads,
        steps,
        seconds,
        prefix="listener-",
        join=listener,
        metric=f"{label}listener_loss",
    )
    await services.do_hangup("interpreter")
    await loads[0].call("close", "interpreter")
    return best


async def speakers_in_the_floor(
    janus: JanusProcess, loads: list[LoadProcess], steps: list[int], seconds: float
) -> None:
    """Speakers: AudioBridge participants, each decoded, mixed and re-encoded."""
    layout = SessionLayout(2, ("fr",))
    first = 100
    await sync_to_async(services.set_heard)(2, FLOOR, frozenset(range(first, first + max(steps))))

    async def speaker(load: LoadProcess, i: int) -> None:
        await join_speaker(load, f"speaker-{i}", first + i, layout, FLOOR)

    best = await ramp(
        janus, loads, steps, seconds, prefix="speaker-", join=speaker, metric="speaker_loss"
    )
    emit_per_core("speakers_per_core", "participants", best)


@contextlib.asynccontextmanager
async def running(config: JanusConfig) -> AsyncIterator[JanusProcess]:
    """A Janus with ``config`` for one part of the run (the engine reconnects to each)."""
    with tempfile.TemporaryDirectory() as folder:
        janus = JanusProcess(config, Path(folder))
        janus.start()
        try:
            yield janus
        finally:
            await engine.shutdown()
            janus.stop()


def steps(text: str) -> list[int]:
    return sorted(int(step) for step in text.split(","))


async def main(args: argparse.Namespace, loads: list[LoadProcess]) -> None:
    product = engine.embedded_config()
    try:
        if "latency" in args.parts:
            async with running(product):
                await latency(args.bursts, args.connections)
        if "capacity" in args.parts:
            # Baseline: the same listeners through Debian's libsrtp2 (built on NSS).
            debian = None
            if product.built_srtp is not None:
                async with running(replace(product, library_dir="")) as janus:
                    debian = await listeners_on_a_channel(
                        janus, loads, args.listeners, args.seconds, "debian_srtp_"
                    )
            async with running(product) as janus:
                best = await listeners_on_a_channel(janus, loads, args.listeners, args.seconds, "")
                emit_per_core("listeners_per_core", "listeners", best, debian)
                await speakers_in_the_floor(janus, loads, args.speakers, args.seconds)
    finally:
        await asyncio.gather(*(load.stop() for load in loads))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--bursts", type=int, default=40)
    parser.add_argument("--connections", type=int, default=8, help="speaker legs for latency")
    parser.add_argument("--listeners", type=steps, default=steps("500,1000"))
    parser.add_argument("--speakers", type=steps, default=steps("25,50"))
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--processes", type=int, default=2, help="load processes")
    parser.add_argument("--parts", default="latency,capacity")
    arguments = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)
    np.seterr(all="ignore")
    # Janus and the load processes hold a few sockets per peer.
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    # Forked before the event loop and any thread exist.
    processes = [LoadProcess() for _ in range(arguments.processes)]
    asyncio.run(main(arguments, processes))
