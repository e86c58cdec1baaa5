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

``--flood`` measures the flood guards instead (``plenary.live.limits``): the
chair's three tabs ping 4 times a second each (under the per-socket and
per-account limits) while ``--flood-sockets``
anonymous sockets (10) from one address each send ``--flood-rate`` frames a
second (1,000) for ``--flood-seconds`` (20), from another process, and
reconnect at once whenever the server closes them (as an attacker would).
It prints the chair's ``ping_p50`` / ``ping_p99`` / ``ping_max`` during the
flood (baseline: the same without flood, in the same run), how long after
the flood the chair's pings are back to normal (``backlog_after_flood``;
baseline: 0), the flood's frames sent and sockets closed with 4429, and how
many of 2,000 anonymous sockets from one address the server keeps open
(``anonymous_sockets_kept_of_2000``; baseline: the per-address cap).
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

from _figures import figure  # noqa: E402 - also the harness.figure of other benches
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
    figure(BENCH, metric, value, unit, baseline, digits=2)


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
    """One simulated browser tab: records when each version of the session's state arrives
    (every event of the log carries the version it makes: ``floor.given``, ``document.page``),
    or, on a workspace socket, when each new message arrives (by its id).

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
        self.pongs: dict[str, float] = {}
        self.transport: asyncio.Transport | None = None
        self.lost: str | None = None  # why the connection ended, once it did
        self.errors: list[str] = []  # the codes of the error replies it received

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
        self.lost = repr(exc) if exc else "closed"
        if not self.snapshot.done():
            self.snapshot.set_exception(exc or ConnectionError("closed before the snapshot"))

    def on_message(self, message: dict[str, Any]) -> None:
        if message.get("type") == "pong" and message.get("ref"):
            self.pongs[message["ref"]] = time.perf_counter()
        if message.get("type") in ("snapshot", "workspace.snapshot"):
            if not self.snapshot.done():
                self.snapshot.set_result(None)
        elif "version" in message:
            self.given[message["version"]] = time.perf_counter()
        elif message.get("type") == "error":
            self.errors.append(str(message.get("code")))
        elif message.get("type") == "workspace.message":  # ./scripts/bench workspaces
            self.given[message["message"]["id"]] = time.perf_counter()

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


async def open_tab(port: int, session_id: int | str, cookie: str) -> Tab:
    """A tab on a session's socket, or on the socket at the path ``session_id`` names."""
    path = session_id if isinstance(session_id, str) else f"/ws/sessions/{session_id}/"
    url = f"ws://127.0.0.1:{port}{path}"
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


def raise_open_files() -> None:
    """Thousands of sockets in one process: lift the soft limit on open files."""
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 65536), hard))


def start_clients(count: int) -> tuple[list[Connection], list[multiprocessing.Process]]:
    """``count`` client processes (``client_process``) and the pipes to command them;
    call before any event loop exists (they are forked)."""
    pipes, processes = [], []
    for _ in range(count):
        ours, theirs = multiprocessing.Pipe()
        process = multiprocessing.Process(target=client_process, args=(theirs,), daemon=True)
        process.start()
        pipes.append(ours)
        processes.append(process)
    return pipes, processes


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
    """When each tab received the event that made ``version`` of the session's state."""
    deadline = time.perf_counter() + 60
    while any(version not in tab.given for tab in tabs):
        if time.perf_counter() > deadline:
            missing = [tab for tab in tabs if version not in tab.given]
            closed = [tab.lost for tab in missing if tab.lost is not None]
            latest = sorted({max(tab.given, default=0) for tab in missing})
            errors = sorted({code for tab in missing for code in tab.errors})
            raise RuntimeError(
                f"{len(missing)} of {len(tabs)} clients never received the event of version "
                f"{version} ({len(closed)} closed: {closed[:3]}; latest seen {latest[:9]}; "
                f"errors received: {errors})"
            )
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
        # A chair gives the floor at a person's pace: the socket's rate limit
        # (PLENARY_WS_CONNECTION_RATE, 5 frames a second) refuses a faster one.
        await asyncio.sleep(1 / settings.WS_CONNECTION_RATE)
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def start_server(port: int, options: list[str]) -> subprocess.Popen[bytes]:
    """The project's server in a child process, once it accepts connections."""
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        server_command(port, *options),
        cwd=ROOT,
        env={
            **os.environ,
            "PLENARY_SECRET_KEY": settings.SECRET_KEY,
            "PYTHONPATH": str(ROOT / "src"),
        },
    )
    for _ in range(300):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                break
        await asyncio.sleep(0.1)
    return server


async def run(sizes: list[int], rounds: int, deflate: bool, pipes: list[Connection]) -> None:
    session, chair_user, people = await asyncio.to_thread(build, max(sizes))
    cookies = await asyncio.to_thread(lambda: [cookie_for(u) for u in [chair_user, *people]])
    port = free_port()
    options = [
        "--log-level",
        "warning",
        *([] if deflate else ["--ws-per-message-deflate", "false"]),
    ]
    server = await start_server(port, options)
    try:
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


# --- --flood -------------------------------------------------------------------

FLOOD_FRAME = json.dumps({"v": 1, "type": "ping"})
PING_EVERY_S = 0.25  # the chair's pings: 4 a second, under the per-socket limit


@dataclass
class Flood:
    sockets: int
    rate: int
    seconds: float


def flood_process(flood: Flood, pipe: Connection) -> None:
    """Anonymous sockets from one address, each sending ``flood.rate`` frames a second,
    once told the server's port and the session (forked before any event loop exists)."""
    port, session_id = pipe.recv()
    pipe.send(asyncio.run(flood_sockets(port, session_id, flood)))


async def flood_sockets(port: int, session_id: int, flood: Flood) -> dict[str, int]:
    from websockets.asyncio.client import connect
    from websockets.exceptions import ConnectionClosed

    url = f"ws://127.0.0.1:{port}/ws/sessions/{session_id}/"
    stats = {"frames_sent": 0, "connections": 0, "closed_4429": 0, "closed_other": 0}
    deadline = time.monotonic() + flood.seconds
    per_tick = max(1, flood.rate // 100)

    async def one() -> None:
        while time.monotonic() < deadline:
            try:
                async with connect(
                    url, origin=Origin("http://127.0.0.1"), compression=None, max_queue=None
                ) as ws:
                    stats["connections"] += 1
                    drain = asyncio.create_task(ws.wait_closed())
                    while time.monotonic() < deadline and not drain.done():
                        for _ in range(per_tick):
                            await ws.send(FLOOD_FRAME)
                        stats["frames_sent"] += per_tick
                        await asyncio.sleep(0.01)
            except ConnectionClosed as closed:
                code = closed.rcvd.code if closed.rcvd is not None else None
                stats["closed_4429" if code == 4429 else "closed_other"] += 1
            except OSError:
                await asyncio.sleep(0.01)
            else:
                if ws.close_code == 4429:
                    stats["closed_4429"] += 1

    await asyncio.gather(*(one() for _ in range(flood.sockets)))
    return stats


async def ping_times(tab: Tab, seconds: float, prefix: str) -> list[tuple[float, float]]:
    """(sent at, round trip in ms) of the chair's pings for ``seconds``."""
    sent: dict[str, float] = {}
    end = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < end:
        n += 1
        ref = f"{prefix}{n}"
        sent[ref] = time.perf_counter()
        tab.send({"v": 1, "type": "ping", "id": ref})
        await asyncio.sleep(PING_EVERY_S)
    deadline = time.perf_counter() + 120
    while any(ref not in tab.pongs for ref in sent) and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)
    return [(at, (tab.pongs.get(ref, deadline) - at) * 1000) for ref, at in sent.items()]


CHAIR_TABS = 3


async def pings(tabs: list[Tab], seconds: float, prefix: str) -> list[tuple[float, float]]:
    """``ping_times`` of several tabs at once, together."""
    shares = await asyncio.gather(
        *(ping_times(t, seconds, f"{prefix}{i}-") for i, t in enumerate(tabs))
    )
    return [sample for share in shares for sample in share]


def p99(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=100, method="inclusive")[98]
        if len(values) > 1
        else values[0]
    )


async def kept_of(port: int, session_id: int, count: int) -> int:
    """How many of ``count`` anonymous sockets from one address stay open."""
    from websockets.asyncio.client import ClientConnection, connect

    opened: list[ClientConnection] = []

    async def one() -> None:
        try:
            ws = await connect(
                f"ws://127.0.0.1:{port}/ws/sessions/{session_id}/",
                origin=Origin("http://127.0.0.1"),
                compression=None,
            )
        except OSError:
            return
        opened.append(ws)

    for start in range(0, count, 100):
        await asyncio.gather(*(one() for _ in range(min(100, count - start))))
    await asyncio.sleep(2)  # refused sockets are closed right after their error
    kept = sum(1 for ws in opened if ws.close_code is None)
    await asyncio.gather(*(ws.close() for ws in opened), return_exceptions=True)
    return kept


async def run_flood(flood: Flood, flooder: Connection) -> None:
    session, chair_user, _people = await asyncio.to_thread(build, 1)
    cookie = await asyncio.to_thread(cookie_for, chair_user)
    port = free_port()
    server = await start_server(port, ["--log-level", "warning"])
    try:
        # Three tabs of the chair, pinging 4 times a second each: 12 a second, under the
        # account's limit (15), for enough samples to tell a p99.
        chairs = [await open_tab(port, session.pk, cookie) for _ in range(CHAIR_TABS)]
        cpu_before = cpu_s(server.pid)
        quiet_started = time.perf_counter()
        quiet = [rtt for _at, rtt in await pings(chairs, flood.seconds, "q")]
        cpu_baseline = (cpu_s(server.pid) - cpu_before) / (time.perf_counter() - quiet_started)
        cpu_quiet = cpu_s(server.pid)
        flooder.send((port, session.pk))
        flood_started = time.perf_counter()
        await asyncio.sleep(1)  # the flood under way
        during = [rtt for _at, rtt in await pings(chairs, flood.seconds - 2, "f")]
        stats = await asyncio.to_thread(flooder.recv)
        ended = time.perf_counter()
        cpu_flood = (cpu_s(server.pid) - cpu_quiet) / (ended - flood_started) * 100
        normal = max(2 * p99(quiet), 5.0)
        after = sorted(await pings(chairs, 5, "a"))
        back = next((at for at, rtt in after if rtt <= normal), after[-1][0])
        emit("ping_p50_during_flood", statistics.median(during), "ms", statistics.median(quiet))
        emit("ping_p99_during_flood", p99(during), "ms", p99(quiet))
        emit("ping_max_during_flood", max(during), "ms", max(quiet))
        emit("backlog_after_flood", max(0.0, back - ended), "s", 0.0)
        emit("server_cpu_during_flood", cpu_flood, "% of a core", cpu_baseline * 100)
        emit("flood_frames_sent", stats["frames_sent"], "frames")
        emit("flood_connections", stats["connections"], "sockets")
        emit("flood_sockets_closed_4429", stats["closed_4429"], "sockets")
        await asyncio.sleep(6)  # the address's bucket refills (20 a second)
        kept = await kept_of(port, session.pk, 2000)
        emit("anonymous_sockets_kept_of_2000", kept, "sockets", settings.WS_ANONYMOUS_PER_ADDRESS)
        for chair in chairs:
            chair.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="100,500,2000")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-deflate", dest="deflate", action="store_false")
    parser.add_argument("--client-processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--flood", action="store_true", help="measure the flood guards")
    parser.add_argument("--flood-sockets", type=int, default=10)
    parser.add_argument("--flood-rate", type=int, default=1000, help="frames a second per socket")
    parser.add_argument("--flood-seconds", type=float, default=20.0)
    args = parser.parse_args()
    raise_open_files()
    if args.flood:
        flood = Flood(args.flood_sockets, args.flood_rate, args.flood_seconds)
        ours, theirs = multiprocessing.Pipe()
        flooder = multiprocessing.Process(target=flood_process, args=(flood, theirs), daemon=True)
        flooder.start()  # before any event loop exists
        try:
            asyncio.run(run_flood(flood, ours))
        finally:
            flooder.terminate()
        return
    pipes, processes = start_clients(args.client_processes)
    sizes = [int(s) for s in args.sizes.split(",")]
    try:
        asyncio.run(run(sizes, args.rounds, args.deflate, pipes))
    finally:
        for process in processes:
            process.terminate()


if __name__ == "__main__":
    main()
