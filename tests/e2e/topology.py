"""A scale-out on one machine, every process real: haproxy in front of two web servers,
PostgreSQL, Redis, two Janus, two speech workers and one task worker.

For ``test_topology``, inside the network namespace of ``tests.e2e.netns``
(WebRTC needs an interface other than loopback; PostgreSQL and Redis are
started here, inside, since the namespace cannot reach the machine's). Each
process can be killed (SIGKILL, as a crash) and started again.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import psycopg

from plenary.core.tests.live import free_port
from plenary.media.janus.config import JanusConfig
from plenary.media.janus.process import JanusProcess
from tests.e2e.netns import INTERFACE, ROOT
from tests.e2e.served import Served, until

API_SECRET, ADMIN_KEY = "topology-api-secret", "topology-admin-key"


def _postgres_bin() -> Path:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: p.parent.name)
    if not versions:
        raise RuntimeError("PostgreSQL is needed (scripts/test installs it)")
    return versions[-1]


class Postgres:
    """A cluster of its own, run as the ``postgres`` user (PostgreSQL refuses root)."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="plenary-topology-pg-"))
        self.port = free_port()
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        user = pwd.getpwnam("postgres")
        os.chown(self.folder, user.pw_uid, user.pw_gid)
        data = self.folder / "data"
        subprocess.run(  # noqa: S603 - Debian's PostgreSQL
            [str(_postgres_bin() / "initdb"), "-D", str(data), "-A", "trust"],
            check=True,
            capture_output=True,
            user="postgres",
            cwd=self.folder,
        )
        self.process = subprocess.Popen(  # noqa: S603 - Debian's PostgreSQL
            [
                str(_postgres_bin() / "postgres"), "-D", str(data), "-p", str(self.port),
                "-k", str(self.folder), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off",
                "-c", "max_connections=200",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            user="postgres",
            cwd=self.folder,
        )  # fmt: skip
        until(self._answers, 30, "PostgreSQL to answer")

    def _answers(self) -> bool:
        try:
            psycopg.connect(self.url, connect_timeout=1).close()
        except psycopg.OperationalError:
            return False
        return True

    def query(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """The rows of ``sql`` (none for a statement that returns none: ``CREATE``)."""
        with psycopg.connect(self.url, autocommit=True) as connection:
            cursor = connection.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # fast shutdown
            self.process.wait(30)
        shutil.rmtree(self.folder, ignore_errors=True)


class Program:
    """A long-running child (Redis, haproxy, a worker) with its log in ``folder``."""

    def __init__(self, name: str, argv: list[str], folder: Path, env: dict[str, str]):
        self.name, self.argv, self.folder, self.env = name, argv, folder, env
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = (self.folder / f"{self.name}.log").open("ab")
        self.process = subprocess.Popen(  # noqa: S603 - our own or Debian's programs
            self.argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def log(self) -> str:
        path = self.folder / f"{self.name}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else "(not started)"


HAPROXY = """
global
    maxconn 2000
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    timeout tunnel 1h
frontend plenary
    bind 127.0.0.1:{port}
    option forwardfor
    default_backend web
backend web
    balance leastconn
    option httpchk GET /readyz
    timeout check 2s
    default-server inter 500ms fall 2 rise 2 on-marked-down shutdown-sessions
{servers}
"""


class Topology:
    """Everything started by ``start``, stopped by ``stop``; ``url`` is haproxy's."""

    def __init__(self, folder: Path, speech_workers: int = 2):
        self.folder = folder
        self.postgres = Postgres()
        self.redis_port = free_port()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.janus = [
            JanusProcess(
                JanusConfig(
                    ws_port=free_port(),
                    api_secret=API_SECRET,
                    admin_key=ADMIN_KEY,
                    rtp_port_range=ports,
                    ice_interfaces=INTERFACE,
                    event_loops=1,
                ),
                folder / f"janus{n}",
            )
            for n, ports in ((1, "20000-29999"), (2, "30000-39999"))
        ]
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}},
            "DJANGO_SETTINGS_MODULE": "plenary.config.settings",
            "PLENARY_DATA_DIR": str(folder / "data"),
            "PLENARY_SECRET_KEY": "topology-secret-key-" + "x" * 40,
            "DATABASE_URL": self.postgres.url,
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "PLENARY_JANUS_URLS": ",".join(j.config.url for j in self.janus),
            "PLENARY_JANUS_API_SECRET": API_SECRET,
            "PLENARY_JANUS_ADMIN_KEY": ADMIN_KEY,
            "PLENARY_JANUS_FAILOVER_SECONDS": "1",
            "PLENARY_TASKS_EMBEDDED_WORKER": "false",
            "PLENARY_SPEECH_EMBEDDED_WORKER": "false",
            "PLENARY_RECORDINGS_LIVE_ORIGIN": "false",
            "PLENARY_HEALTH_SAMPLE_SECONDS": "0",
            "PLENARY_SPEECH_CAPACITY": "1",
        }
        (folder / "data").mkdir(parents=True, exist_ok=True)
        self.web = [self._web_server(n) for n in (1, 2)]
        plenary = [sys.executable, "-m", "plenary"]
        worker_url = f"ws://127.0.0.1:{self.port}/ws/speech/worker/"
        self.speech = [
            Program(name, [*plenary, "speech-worker", "--url", worker_url, "--name", name],
                    folder, self.env)
            for name in (f"speech{n}" for n in range(1, speech_workers + 1))
        ]  # fmt: skip
        self.tasks = Program("tasks", [*plenary, "tasks-worker"], folder, self.env)
        self.redis = Program(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            folder,
            self.env,
        )  # fmt: skip
        self.haproxy = Program(
            "haproxy", ["haproxy", "-db", "-f", str(folder / "haproxy.cfg")], folder, self.env
        )

    def _web_server(self, n: int) -> Served:
        """``plenary serve`` with its log in ``web<n>/``, the shared data folder in its env."""
        (self.folder / f"web{n}").mkdir()
        web = Served(self.folder / f"web{n}")
        web.env = dict(self.env)
        return web

    def start(self) -> dict[str, Any]:
        """Start every process; the staged session (``tests.e2e.stage``: opened, so its
        floor is captioned)."""
        self.postgres.start()
        self.redis.start()
        for janus in self.janus:
            janus.start()
        staged = self.web[0].stage()
        servers = "\n".join(
            f"    server web{n} 127.0.0.1:{web.port} check" for n, web in enumerate(self.web, 1)
        )
        (self.folder / "haproxy.cfg").write_text(HAPROXY.format(port=self.port, servers=servers))
        for web in self.web:
            web.start()
        self.haproxy.start()
        until(self._serves, 30, "haproxy to serve")
        self.tasks.start()
        for worker in self.speech:
            worker.start()
        return staged

    def _serves(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/healthz", timeout=2):  # noqa: S310
                return True
        except urllib.error.HTTPError:
            return True  # 503: a component is not ok, but haproxy passes requests
        except OSError:
            return False

    def placed_on(self, session_id: int) -> str:
        rows = self.postgres.query(
            "SELECT s.url FROM media_placement p JOIN media_mediaserver s ON s.id = p.server_id"
            " WHERE p.session_id = %s",
            session_id,
        )
        return str(rows[0][0]) if rows else ""

    def janus_at(self, url: str) -> JanusProcess:
        return next(janus for janus in self.janus if janus.config.url == url)

    def stop(self) -> None:
        for program in (*self.speech, self.tasks, self.haproxy):
            program.stop()
        for web in self.web:
            if web.process is not None and web.process.poll() is None:
                web.stop()
        for janus in self.janus:
            janus.stop()
        self.redis.stop()
        self.postgres.stop()

    def logs(self) -> str:
        parts = [f"--- {p.name}\n{p.log()}" for p in (*self.speech, self.tasks, self.haproxy)]
        parts += [f"--- web{n}\n{web.log()}" for n, web in enumerate(self.web, 1)]
        return "\n".join(parts)
