"""./scripts/bench media: the media plane's latency and capacity, with a real Janus.

WebRTC needs a non-loopback interface, so the script re-runs itself inside a
private network namespace (``unshare -n`` and a veth pair; root needed); no
packet leaves the machine. It starts Janus with the product's configuration
and prints:

- ``mouth_to_ear_p50``: a 1 kHz burst handed to an aiortc speaker's encoder
  until its onset reaches an aiortc listener, through the product's path
  (AudioBridge floor room -> rtp_forward -> Streaming mountpoint); baseline:
  the same bursts over a direct aiortc -> aiortc connection, in the same run.
- ``listeners_per_core``: N listeners on a language channel; Janus's CPU time
  over the window gives listeners per fully used core (extrapolated, as the
  aiortc clients in this process saturate long before Janus); ``listener_loss``
  is the packet loss those listeners saw.
- ``speakers_per_core``: the same for N AudioBridge participants (speakers
  and interpreters: one Opus decode and encode each).

Per-core figures count Janus's CPU above what the channel costs with its
interpreter alone (measured first, in the same run).

Options: --listeners 40 --speakers 20 --seconds 10 --parts latency,capacity.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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

from plenary.media import engine, probes, services  # noqa: E402
from plenary.media.janus.process import JanusProcess  # noqa: E402
from plenary.media.rooms import FLOOR, SessionLayout  # noqa: E402


def emit(
    metric: str, value: float, unit: str, baseline: float | None = None, **extra: object
) -> None:
    line = {
        "bench": "media",
        "metric": metric,
        "value": round(value, 2),
        "unit": unit,
        "baseline": None if baseline is None else round(baseline, 2),
        **extra,
    }
    print(json.dumps(line), flush=True)


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def janus_share(janus: JanusProcess, seconds: float) -> float:
    """Janus's CPU use over ``seconds``, as a share of one core."""
    assert janus.pid is not None
    start, t0 = cpu_seconds(janus.pid), time.monotonic()
    await asyncio.sleep(seconds)
    return (cpu_seconds(janus.pid) - start) / (time.monotonic() - t0)


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


async def latency(bursts: int) -> None:
    signal, starts = probes.bursts(bursts)
    layout = SessionLayout(1, ())
    await sync_to_async(services.set_heard)(1, FLOOR, frozenset({1}))
    listener = await listen("lat-listener", layout, FLOOR)
    await asyncio.sleep(1)
    speaker = await speak("lat-speaker", 1, layout, FLOOR, signal)
    await asyncio.sleep(len(signal) / probes.RATE + 1.5)
    product = probes.burst_latencies(listener.recorders[0], speaker.track, starts)  # type: ignore[arg-type]
    for peer in (listener, speaker):
        await peer.pc.close()

    sender, receiver = Peer(signal), Peer()
    await receiver.pc.setRemoteDescription(RTCSessionDescription(await sender.offer(), "offer"))
    await receiver.pc.setLocalDescription(await receiver.pc.createAnswer())
    await sender.pc.setRemoteDescription(receiver.pc.localDescription)
    await asyncio.sleep(len(signal) / probes.RATE + 1.5)
    direct = probes.burst_latencies(receiver.recorders[0], sender.track, starts)  # type: ignore[arg-type]
    for peer in (sender, receiver):
        await peer.pc.close()
    emit(
        "mouth_to_ear_p50",
        1000 * statistics.median(product),
        "ms",
        1000 * statistics.median(direct),
        bursts=len(product),
    )
    emit(
        "added_by_product_p50",
        1000 * (statistics.median(product) - statistics.median(direct)),
        "ms",
    )


async def loss(peers: list[Peer]) -> float:
    lost = received = 0
    for peer in peers:
        for stats in (await peer.pc.getStats()).values():
            if stats.type == "inbound-rtp":
                lost += max(stats.packetsLost, 0)
                received += stats.packetsReceived
    return lost / max(lost + received, 1)


async def capacity(janus: JanusProcess, listeners: int, speakers: int, seconds: float) -> None:
    layout = SessionLayout(2, ("fr",))
    await sync_to_async(services.set_heard)(2, "fr", frozenset({1}))
    interpreter = await speak("cap-interpreter", 1, layout, "fr", probes.tone(880, 2))
    await asyncio.sleep(2)
    idle = await janus_share(janus, seconds)  # the channel itself, before any listener
    peers = [await listen(f"cap-listener-{i}", layout, "fr") for i in range(listeners)]
    await asyncio.sleep(3)
    share = await janus_share(janus, seconds) - idle
    emit(
        "listeners_per_core",
        listeners / max(share, 1e-6),
        "listeners",
        None,
        measured_with=listeners,
        janus_cpu_share=round(share, 3),
    )
    emit("listener_loss", 100 * await loss(peers), "%", None, measured_with=listeners)
    for peer in peers:
        await peer.pc.close()

    # Speakers: AudioBridge participants (each decoded, mixed and re-encoded).
    talkers = [
        await speak(f"cap-speaker-{i}", 100 + i, layout, FLOOR, probes.tone(440 + i, 2))
        for i in range(speakers)
    ]
    await sync_to_async(services.set_heard)(2, FLOOR, frozenset(range(100, 100 + speakers)))
    await asyncio.sleep(3)
    share = await janus_share(janus, seconds) - idle
    emit(
        "speakers_per_core",
        speakers / max(share, 1e-6),
        "participants",
        None,
        measured_with=speakers,
        janus_cpu_share=round(share, 3),
    )
    emit("speaker_loss", 100 * await loss(talkers), "%", None, measured_with=speakers)
    for peer in [*talkers, interpreter]:
        await peer.pc.close()


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as folder:
        janus = JanusProcess(engine.embedded_config(), Path(folder))
        janus.start()
        try:
            if "latency" in args.parts:
                await latency(args.bursts)
            if "capacity" in args.parts:
                await capacity(janus, args.listeners, args.speakers, args.seconds)
        finally:
            await engine.shutdown()
            janus.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--bursts", type=int, default=20)
    parser.add_argument("--listeners", type=int, default=40)
    parser.add_argument("--speakers", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--parts", default="latency,capacity")
    import logging

    logging.disable(logging.WARNING)
    np.seterr(all="ignore")
    asyncio.run(main(parser.parse_args()))
