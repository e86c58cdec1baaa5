"""``plenary serve``: the ASGI server (uvicorn) for pages, API and WebSockets.

In the embedded default it also runs its children: Janus (unless external
Janus servers are configured) and one speech worker (unless turned off).
"""

from __future__ import annotations

from typing import Any

import uvicorn
from django.core.management.base import BaseCommand, CommandParser

from plenary.core.websocket import PROTOCOL
from plenary.media import embedded as embedded_janus
from plenary.speech.embedded import start_embedded_worker
from plenary.stats.health import start_sampler


class Command(BaseCommand):
    help = "Serve Plenary (HTTP and WebSockets) with uvicorn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--host",
            default="127.0.0.1",
            help="Address to bind; the embedded default is loopback only.",
        )
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args: Any, host: str, port: int, **options: Any) -> None:
        shown = "localhost" if host == "127.0.0.1" else host
        self.stdout.write(f"Plenary on http://{shown}:{port}/")
        embedded_janus.start()
        start_embedded_worker(host, port)
        start_sampler()
        try:
            uvicorn.run(
                "plenary.config.asgi:application",
                host=host,
                port=port,
                lifespan="off",
                proxy_headers=True,
                log_level="info",
                ws=PROTOCOL,
            )
        finally:
            embedded_janus.stop()
