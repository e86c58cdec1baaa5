"""./scripts/bench floor: how fast the floor reaches every tab of a session.

Starts one server process (uvicorn, the project's ASGI application, embedded
mode: SQLite and the in-memory channel layer) on a fresh database, connects
N signed-in delegates' sockets to one session (N = 100, 500, 2,000, grown in
place), then the chair gives the floor ROUNDS times. For each N it prints:

- ``floor_event_p50`` / ``floor_event_p99``: the time from the chair's
  ``floor.give`` frame to each client's ``floor.given`` event, over every
  client and round (baseline: the same with a single client, in the same run);
- ``server_cpu_per_give``: the server's CPU time (user + system) per round:
  the chair's command, its database writes and the fan-out of its events
  (``floor.ended``, ``floor.given``, ``media.heard``) to every client; it
  depends much less than the latencies on what else runs on the machine;
- ``server_memory_per_client``: growth of the server's resident memory since
  before the clients connected, divided by N.

The clients stand for separate browsers: they run in ``--client-processes``
processes (default: one per core), each an asyncio loop of lean tabs
(``websockets``' sans-I/O client, see ``Tab``), on the same machine as the
server, so on a 2-core box they compete with it for CPU. The chair's tab is
in the bench's own process.
Options: --sizes 100,500,2000 --rounds 5 --client-processes 2; --no-deflate serves without
per-message deflate (``plenary serve`` keeps uvicorn's default, on), to
measure what compressing every frame for every socket costs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import resource
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plenary.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.core.management import call_command  # noqa: E402
from websockets.client import ClientProtocol  # noqa: E402
from websockets.extensions.permessage_deflate import ClientPerMessageDeflateFactory  # noqa: E402
from websockets.frames import Frame, Opcode  # noqa: E402
from websockets.typing import Origin  # noqa: E402
from websockets.uri import parse_uri  # noqa: E402

from plenary.accounts.models import Entity, User  # noqa: E402
from plenary.core.websocket import server_command  # noqa: E402
from plenary.floor import services  # noqa: E402
from plenary.meetings.models import (  # noqa: E402
    AttendanceMode,
    Meeting,
    Participation,
    Sector,
    Session,
)
from plenary.meetings.tests.factories import SessionFactory  # noqa: E402

BENCH = "floor"


def emit(metric: str, value: float, unit: str, baseline: float | None = None) -> None:
    print(
        json.dumps(
            {
                "bench": BENCH,
                "metric": metric,
                "value": round(value, 2),
                "unit": unit,
                "baseline": None if baseline is None else round(baseline, 2),
            }
        ),
        flush=True,
    )


def build(delegates: int) -> tuple[Session, User, list[User]]:
    """A published session with a chair and ``delegates`` remote delegates."""
    call_command("migrate", verbosity=0)
    session = SessionFactory.create(
        meeting__sector=Sector.objects.get(code=Sector.Code.STANDARDIZATION),
        meeting__status=Meeting.Status.PUBLISHED,
    )
    password = make_password("bench")  # hashed once for every delegate
    entity = Entity.objects.create(name="Bench", code="BENCH", category="member_state")
    users = User.objects.bulk_create(
        User(
            username=f"bench{i}",
            first_name="Delegate",
            last_name=str(i),
            password=password,
            entity=entity,
        )
        for i in range(delegates + 1)
    )
    chair, people = users[0], users[1:]
    Participation.objects.bulk_create(
        [
            Participation(
                meeting=session.meeting, user=chair, role="chair", attendance=AttendanceMode.ONSITE
            )
        ]
        + [
            Participation(
                meeting=session.meeting,
                user=u,
                role="delegate",
                entity=entity,
                attendance=AttendanceMode.REMOTE,
            )
            for u in people
        ]
    )
    return session, chair, people


def cookie_for(user: User) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def cpu_s(pid: int) -> float:
    """User + system CPU time the process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


class Tab(asyncio.Protocol):
    """One simulated browser tab: records when each ``floor.given`` version arrives.

    A browser parses every message in its own process; here 2,000 tabs share
    one core with each other (the server has the other one), so a tab is an
    asyncio protocol around websockets' sans-I/O client (per-message deflate
    negotiated as browsers do, every message decompressed and JSON-parsed)
    with no task per message: the clients' own overhead stays small beside
    the server's.
    """

    def __init__(self, url: str, cookie: str) -> None:
        self.conn = ClientProtocol(
            parse_uri(url),
            origin=Origin("http://127.0.0.1"),
            extensions=[ClientPerMessageDeflateFactory()],
            max_size=None,
        )
        self.handshake = self.conn.connect()
        self.handshake.headers["Cookie"] = cookie
        self.snapshot: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.given: dict[int, float] = {}
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.conn.send_request(self.handshake)
        self.flush()

    def data_received(self, data: bytes) -> None:
        self.conn.receive_data(data)
        for event in self.conn.events_received():
            if isinstance(event, Frame) and event.opcode is Opcode.TEXT:
                self.on_message(json.loads(event.data))
        self.flush()  # pongs
        if self.conn.handshake_exc is not None and not self.snapshot.done():
            self.snapshot.set_exception(self.conn.handshake_exc)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.snapshot.done():
            self.snapshot.set_exception(exc or ConnectionError("closed before the snapshot"))

    def on_message(self, message: dict[str, Any]) -> None:
        if message.get("type") == "floor.given":
            self.given[message["version"]] = time.perf_counter()
        elif message.get("type") == "snapshot" and not self.snapshot.done():
            self.snapshot.set_result(None)

    def send(self, message: dict[str, Any]) -> None:
        self.conn.send_text(json.dumps(message).encode())
        self.flush()

    def close(self) -> None:
        self.conn.send_close()
        self.flush()
        if self.transport is not None:
            self.transport.close()

    def flush(self) -> None:
        if self.transport is not None and (data := self.conn.data_to_send()):
            self.transport.write(b"".join(data))


async def open_tab(port: int, session_id: int, cookie: str) -> Tab:
    url = f"ws://127.0.0.1:{port}/ws/sessions/{session_id}/"
    _transport, tab = await asyncio.get_running_loop().create_connection(
        lambda: Tab(url, cookie), "127.0.0.1", port
    )
    await asyncio.wait_for(tab.snapshot, 60)
    return tab


@dataclass
class Chair:
    tab: Tab
    user: User
    session_id: int
    speakers: list[User]


def client_process(pipe: Connection) -> None:
    """A share of the clients, in a process of its own (they stand for separate browsers)."""
    asyncio.run(serve_clients(pipe))


async def serve_clients(pipe: Connection) -> None:
    """Carry out the bench's commands: ``open`` tabs, ``collect`` arrival times, ``close``."""
    tabs: list[Tab] = []
    while True:
        command, argument = await asyncio.to_thread(pipe.recv)
        if command == "open":
            port, session_id, cookies = argument
            for start in range(0, len(cookies), 100):
                batch = cookies[start : start + 100]
                tabs += await asyncio.gather(*(open_tab(port, session_id, c) for c in batch))
            pipe.send(len(tabs))
        elif command == "collect":
            pipe.send(await arrivals(tabs, argument))
        else:
            for tab in tabs:
                tab.close()
            pipe.send(None)
            return


async def arrivals(tabs: list[Tab], version: int) -> list[float]:
    """When each tab received the ``floor.given`` event of ``version``."""
    deadline = time.perf_counter() + 60
    while any(version not in tab.given for tab in tabs):
        if time.perf_counter() > deadline:
            raise RuntimeError("some clients never received the floor event")
        await asyncio.sleep(0.005)
    return [tab.given[version] for tab in tabs]


async def ask(pipes: list[Connection], command: str, arguments: list[Any]) -> list[Any]:
    for pipe, argument in zip(pipes, arguments, strict=True):
        pipe.send((command, argument))
    return [await asyncio.to_thread(pipe.recv) for pipe in pipes]


async def give_rounds(chair: Chair, pipes: list[Connection], rounds: int) -> list[float]:
    """The chair lists a speaker (not timed), then gives them the floor (timed).

    The latencies are those of the client processes' tabs or, with none, of
    the chair's own tab (the baseline).
    """
    latencies: list[float] = []
    for round_ in range(rounds):
        speaker = chair.speakers[round_ % len(chair.speakers)]
        await asyncio.to_thread(
            services.do_add_speaker, chair.user, chair.session_id, speaker.pk, "speak"
        )
        version, state = await asyncio.to_thread(services.current_state, chair.session_id)
        # Giving the floor while someone speaks ends their turn first (one more event).
        expected = version + (2 if state["speaker"] else 1)
        command = {"v": 1, "type": "floor.give", "version": version}
        command["request_id"] = state["queue"][-1]["id"]
        started = time.perf_counter()  # CLOCK_MONOTONIC: the same in every process
        chair.tab.send(command)
        times = [t for share in await ask(pipes, "collect", [expected] * len(pipes)) for t in share]
        times = times or await arrivals([chair.tab], expected)
        latencies.extend((t - started) * 1000 for t in times)
    return latencies


async def run(sizes: list[int], rounds: int, deflate: bool, pipes: list[Connection]) -> None:
    session, chair_user, people = await asyncio.to_thread(build, max(sizes))
    cookies = await asyncio.to_thread(lambda: [cookie_for(u) for u in [chair_user, *people]])
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = [
        "--log-level",
        "warning",
        *([] if deflate else ["--ws-per-message-deflate", "false"]),
    ]
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        server_command(port, *options),
        cwd=ROOT,
        env={
            **os.environ,
            "PLENARY_SECRET_KEY": settings.SECRET_KEY,
            "PYTHONPATH": str(ROOT / "src"),
        },
    )
    try:
        for _ in range(300):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            await asyncio.sleep(0.1)
        chair_tab = await open_tab(port, session.pk, cookies[0])
        chair_tab.send({"v": 1, "type": "session.open", "version": 0})
        await asyncio.sleep(0.5)
        before = rss_kib(server.pid)
        chair = Chair(chair_tab, chair_user, session.pk, people)
        cpu_before = cpu_s(server.pid)
        single = await give_rounds(chair, [], rounds)
        baseline_cpu = (cpu_s(server.pid) - cpu_before) / rounds * 1000
        baseline_p50 = statistics.median(single)
        baseline_p99 = statistics.quantiles(single, n=100)[98] if len(single) > 1 else single[0]
        connected = 0
        for size in sizes:
            pending = cookies[1 + connected : 1 + size]
            shares = [(port, session.pk, pending[i :: len(pipes)]) for i in range(len(pipes))]
            await ask(pipes, "open", shares)
            connected = size
            await asyncio.sleep(1)
            cpu_before = cpu_s(server.pid)
            latencies = await give_rounds(chair, pipes, rounds)
            cpu_per_give = (cpu_s(server.pid) - cpu_before) / rounds * 1000
            quantiles = statistics.quantiles(latencies, n=100)
            emit(
                f"floor_event_p50_{size}_clients", statistics.median(latencies), "ms", baseline_p50
            )
            emit(f"floor_event_p99_{size}_clients", quantiles[98], "ms", baseline_p99)
            emit(f"server_cpu_per_give_{size}_clients", cpu_per_give, "ms", baseline_cpu)
            emit(
                f"server_memory_per_client_{size}_clients",
                (rss_kib(server.pid) - before) / size,
                "KiB",
            )
        await ask(pipes, "close", [None] * len(pipes))
        chair_tab.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,500,2000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-deflate", dest="deflate", action="store_false")
    parser.add_argument("--client-processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))
    pipes, processes = [], []
    for _ in range(args.client_processes):  # forked before any event loop exists
        ours, theirs = multiprocessing.Pipe()
        process = multiprocessing.Process(target=client_process, args=(theirs,), daemon=True)
        process.start()
        pipes.append(ours)
        processes.append(process)
    sizes = [int(s) for s in args.sizes.split(",")]
    try:
        asyncio.run(run(sizes, args.rounds, args.deflate, pipes))
    finally:
        for process in processes:
            process.terminate()


if __name__ == "__main__":
    main()
