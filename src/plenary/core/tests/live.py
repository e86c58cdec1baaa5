"""The project served by a real uvicorn in a thread of the test process.

One helper for every test that needs a server on loopback (the browser tests'
``live_url``, the speech workers' ``live_server_url``, the sign-in and token
tests, the socket shutdown and reconnect tests): the project's ASGI
application with Plenary's WebSocket protocol, against the test database.
Options are uvicorn's (e.g. the forwarded-header options of ``plenary serve``,
``plenary.core.websocket.server_proxy_options``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


def free_port() -> int:
    """A loopback port free now (a server started soon after may take it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThreadedServer:
    """Starts and stops on demand, on the same port each time (a restart, as a deploy)."""

    def __init__(self, port: int | None = None, **options: Any) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: uvicorn.Server | None = None
        self._options = options
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        from plenary.config.asgi import application
        from plenary.core.websocket import PROTOCOL

        options = {"lifespan": "off", "log_level": "warning", "ws": PROTOCOL, **self._options}
        config = uvicorn.Config(application, host="127.0.0.1", port=self.port, **options)
        self.server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self.server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self.url

    def stop(self) -> None:
        """A graceful shutdown, as on a deploy: open sockets are closed with 1012."""
        if self.server is not None and self._thread is not None:
            self.server.should_exit = True
            self._thread.join(timeout=15)


@contextmanager
def serving(**options: Any) -> Iterator[str]:
    """Serve until the block ends; yields the base URL."""
    server = ThreadedServer(**options)
    try:
        yield server.start()
    finally:
        server.stop()
