"""``plenary serve``: the ASGI server (uvicorn) for pages, API and WebSockets.

It also runs what the apps registered with ``plenary.core.children``: in the
embedded default Janus and one speech worker, supervised (restarted with
backoff when they die), and the start-up steps that must run before the
first client is served. Ctrl-C or SIGTERM stops the server and its children.
"""

from __future__ import annotations

import os
import signal
from types import FrameType
from typing import Any

import uvicorn
from django.core.management.base import BaseCommand, CommandParser

from plenary.core import children
from plenary.core.websocket import PROTOCOL, server_proxy_options


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # uvicorn re-raises the signal it stopped on once it has shut down: this
    # handler then turns it into an exit that runs the ``finally`` below.
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = "Serve Plenary (HTTP and WebSockets) with uvicorn, with its supervised children."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to bind; the embedded default is loopback only.",
        )
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        shown = "localhost" if host == "127.0.0.1" else host
        pid = os.getpid()
        self.stdout.write(
            f"Plenary on http://{shown}:{port}/ (pid {pid}: stop with Ctrl-C or kill {pid})"
        )
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
        supervisor = children.Supervisor(children.planned(host, port))
        supervisor.start()
        try:
            children.run_startup_steps()
            uvicorn.run(
                "plenary.config.asgi:application",
                host=host,
                port=port,
                lifespan="off",
                log_level="info",
                ws=PROTOCOL,
                **server_proxy_options(),
            )
        finally:
            supervisor.stop()
