"""./scripts/bench scale: Plenary on several processes, as the scale-out runs it.

Runs itself inside a private network namespace (``unshare -n``, root needed,
as the media tests), where it starts its own PostgreSQL and Redis
(``tests.e2e.topology``). Parts (``--parts``, default all):

- ``fanout``: floor-event latency, the ``floor`` bench's harness (lean
  tabs in ``--client-processes`` processes, the chair gives the floor
  ``--rounds`` times), on PostgreSQL and Redis: ``--clients`` (10,000)
  sockets over two web servers behind haproxy (``leastconn``; one haproxy
  per client process, as the descriptors of one would not do), each server's
  relay getting each event once from Redis; baseline: ``--baseline-clients``
  (2,000) on one server, in the same run. Goals: p99 ≤ 250 ms for the
  10,000, ≤ 100 ms for the 2,000. Also the CPU per give of each server.
- ``placement``: the time to place ``--sessions`` (100) new sessions on two
  registered media servers (``media.placement.server_for``: one database
  round of reads and one insert each); baseline: asking again where the same
  sessions are (placed: one read).
- ``failover``: the topology of ``tests.e2e.topology`` (two web servers
  behind haproxy, two Janus, a task worker, no speech workers), a delegate
  speaking and an observer listening in Chromium: the session's Janus is
  SIGKILLed ``--runs`` times (the session moves to the other each time; the
  killed one is started again), each time until the observer hears the floor
  again (``janus_kill_to_audio``, goal ≤ 5 s; min, median and max). Baseline:
  ``first_audio``, a fresh listener from "Start listening" to audio (what
  joining costs without a crash).

Each line carries the one-minute load average at its end.
Options: --parts fanout,placement,failover --clients 10000 --baseline-clients 2000
--rounds 5 --client-processes 2 --sessions 100 --runs 3.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

from _figures import figure, spread  # noqa: E402
from tests.e2e.netns import run_in_namespace  # noqa: E402

run_in_namespace()

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plenary.config.settings")

from tests.e2e.topology import HAPROXY, Postgres, Program, Topology  # noqa: E402

from plenary.core.tests.live import free_port  # noqa: E402


def emit(metric: str, value: float, unit: str, baseline: float | None) -> None:
    figure("scale", metric, value, unit, baseline, digits=3)


# --- The parts that need Django on PostgreSQL and Redis run in a child process ---------


def child(part: str, database: str, redis: str, arguments: list[str]) -> list[dict[str, Any]]:
    """Run ``part`` of this file in a child process whose Django uses ``database`` and
    ``redis``; the figures it printed."""
    env = {**os.environ, "DATABASE_URL": database, "REDIS_URL": redis}
    run = subprocess.run(  # noqa: S603 - our own interpreter and file
        [sys.executable, __file__, "--child", part, *arguments],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if run.returncode != 0:
        raise RuntimeError(f"{part} failed:\n{run.stdout[-3000:]}\n{run.stderr[-5000:]}")
    return [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]


def fanout_child(clients: int, servers: int, rounds: int, client_processes: int) -> None:
    """Connect ``clients`` sockets through haproxy to ``servers`` web servers (one: to it
    directly) and print the floor-event latencies; in a fresh database."""
    import floor as harness

    pipes, processes = harness.start_clients(client_processes)
    harness.raise_open_files()

    import asyncio

    async def run() -> dict[str, float]:
        session, chair_user, people = await asyncio.to_thread(harness.build, clients)
        cookies = await asyncio.to_thread(
            lambda: [harness.cookie_for(u) for u in [chair_user, *people]]
        )
        ports = [free_port() for _ in range(servers)]
        started = []
        proxies: list[Program] = []
        entries = [ports[0]]
        try:
            for port in ports:
                started.append(await harness.start_server(port, ["--log-level", "warning"]))
            if servers > 1:
                entries = [free_port() for _ in range(client_processes)]
                for entry in entries:
                    proxies.append(start_proxy(entry, ports, clients // len(entries) + 100))
                await asyncio.sleep(2)  # their health checks mark the servers up
            chair_tab = await harness.open_tab(ports[0], session.pk, cookies[0])
            chair_tab.send({"v": 1, "type": "session.open", "version": 0})
            await asyncio.sleep(0.5)
            chair = harness.Chair(chair_tab, chair_user, session.pk, people)
            pending = cookies[1:]
            shares = [
                (entries[i % len(entries)], session.pk, pending[i :: len(pipes)])
                for i in range(len(pipes))
            ]
            await harness.ask(pipes, "open", shares)
            await asyncio.sleep(2)
            cpu_before = [harness.cpu_s(server.pid) for server in started]
            latencies = await harness.give_rounds(chair, pipes, rounds)
            cpu = [
                (harness.cpu_s(server.pid) - before) / rounds * 1000
                for server, before in zip(started, cpu_before, strict=True)
            ]
            await harness.ask(pipes, "close", [None] * len(pipes))
            chair_tab.close()
        finally:
            for proxy in proxies:
                proxy.stop()
            for server in started:
                server.terminate()  # closing thousands of sockets takes a while
                try:
                    server.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    server.kill()
                    server.wait()
        quantiles = statistics.quantiles(latencies, n=100)
        return {
            "p50": statistics.median(latencies),
            "p99": quantiles[98],
            "cpu_per_give": max(cpu),
        }

    figures = asyncio.run(run())
    for process in processes:
        process.join(timeout=30)
    print(json.dumps(figures), flush=True)


def start_proxy(port: int, servers: list[int], connections: int) -> Program:
    """haproxy on ``port`` in front of the web servers, for ``connections`` clients.

    One haproxy per client process: each client costs haproxy two descriptors
    (its side and the server's), and this machine's hard limit on a process's
    descriptors (20,000) is below what one haproxy needs for 10,000.
    """
    folder = Path(tempfile.mkdtemp(prefix="plenary-scale-"))
    lines = "\n".join(
        f"    server web{n} 127.0.0.1:{server} check" for n, server in enumerate(servers, 1)
    )
    config = HAPROXY.replace("maxconn 2000", f"maxconn {connections}")
    (folder / "haproxy.cfg").write_text(config.format(port=port, servers=lines))
    proxy = Program("haproxy", ["haproxy", "-db", "-f", str(folder / "haproxy.cfg")], folder,
                    dict(os.environ))  # fmt: skip
    proxy.start()
    return proxy


def placement_child(sessions: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from plenary.media import placement
    from plenary.meetings.tests.factories import SessionFactory

    call_command("migrate", verbosity=0)
    for port in (8188, 8189):
        placement.register(f"ws://10.0.0.{port - 8180}:{port}/", 2000, check=False)
    ids = [session.pk for session in SessionFactory.create_batch(sessions)]
    started = time.perf_counter()
    for session_id in ids:
        placement.server_for(session_id)
    placing = time.perf_counter() - started
    started = time.perf_counter()
    for session_id in ids:
        placement.server_for(session_id)
    asking = time.perf_counter() - started
    spread = sorted(s.sessions for s in placement.servers())
    print(json.dumps({"placing": placing, "asking": asking, "spread": spread}), flush=True)


# --- The parts run from here ---------------------------------------------------------


def fanout_part(options: argparse.Namespace, postgres: Postgres, redis: str) -> None:
    figures = {}
    for name, clients, servers in (
        ("baseline", options.baseline_clients, 1),
        ("scaled", options.clients, 2),
    ):
        database = f"scale_{name}"
        postgres.query(f"CREATE DATABASE {database}")
        url = postgres.url.rsplit("/", 1)[0] + f"/{database}"
        arguments = [str(clients), str(servers), str(options.rounds), str(options.processes)]
        [figures[name]] = child("fanout", url, redis, arguments)
    base, scaled = figures["baseline"], figures["scaled"]
    n, b = options.clients, options.baseline_clients
    emit(f"floor_event_p50_{n}_clients_2_servers", scaled["p50"], "ms", base["p50"])
    emit(f"floor_event_p99_{n}_clients_2_servers", scaled["p99"], "ms", base["p99"])
    emit(f"floor_event_p99_{b}_clients_1_server", base["p99"], "ms", None)
    emit(f"server_cpu_per_give_{n}_clients", scaled["cpu_per_give"], "ms", base["cpu_per_give"])


def placement_part(options: argparse.Namespace, postgres: Postgres, redis: str) -> None:
    postgres.query("CREATE DATABASE scale_placement")
    url = postgres.url.rsplit("/", 1)[0] + "/scale_placement"
    [figures] = child("placement", url, redis, [str(options.sessions)])
    emit(f"place_{options.sessions}_sessions", figures["placing"], "s", figures["asking"])
    emit("sessions_on_the_busier_server", figures["spread"][-1], "sessions", None)


def failover_part(options: argparse.Namespace) -> None:
    from recovery import tone_wav, until_heard, until_silent
    from tests.e2e.served import chromium, listen, open_page, speak

    with tempfile.TemporaryDirectory() as folder:
        cluster = Topology(Path(folder), speech_workers=0)
        try:
            staged = cluster.start()
            cookie, sid = staged["cookie_name"], staged["session_id"]
            with chromium(tone_wav(Path(folder))) as browser:
                speaking = open_page(browser, cluster, cookie, staged["delegate"])
                speak(speaking, cluster, sid)
                first = []
                for _ in range(options.runs):
                    page = open_page(browser, cluster, cookie, staged["observer"])
                    page.goto(f"{cluster.url}/media/sessions/{sid}/listen/")
                    start = time.monotonic()
                    page.get_by_role("button", name="Start listening", exact=True).click()
                    first.append(until_heard(page) - start)
                    page.context.close()
                spread("scale", "first_audio", first, "s", None)
                listening = open_page(browser, cluster, cookie, staged["observer"])
                listen(listening, cluster, sid)
                until_heard(listening)
                moved = []
                for _ in range(options.runs):
                    janus = cluster.janus_at(cluster.placed_on(sid))
                    since = time.monotonic()
                    janus.kill()
                    until_silent(listening)
                    moved.append(until_heard(listening) - since)
                    janus.start()  # back, empty: the next kill moves the session to it
                    time.sleep(3)
                spread("scale", "janus_kill_to_audio", moved, "s", statistics.median(first))
        finally:
            cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parts", default="fanout,placement,failover")
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--baseline-clients", type=int, default=2_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--client-processes", dest="processes", type=int, default=2)
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        part, *arguments = options.child
        if part == "fanout":
            fanout_child(*(int(a) for a in arguments))
        else:
            placement_child(int(arguments[0]))
        return
    parts = options.parts.split(",")
    if "failover" in parts:
        failover_part(options)
    if {"fanout", "placement"} & set(parts):
        postgres = Postgres()
        with tempfile.TemporaryDirectory() as folder:
            port = free_port()
            redis = Program(
                "redis",
                ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
                Path(folder),
                dict(os.environ),
            )
            postgres.start()
            redis.start()
            try:
                if "placement" in parts:
                    placement_part(options, postgres, f"redis://127.0.0.1:{port}/0")
                if "fanout" in parts:
                    fanout_part(options, postgres, f"redis://127.0.0.1:{port}/0")
            finally:
                redis.stop()
                postgres.stop()


if __name__ == "__main__":
    main()
