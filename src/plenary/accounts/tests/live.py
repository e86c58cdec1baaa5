"""A real uvicorn server in a thread, for the tests of accounts that need one.

``tests/conftest.py``'s ``live_url`` serves with uvicorn's defaults; these
tests choose the server's options themselves (the forwarded-header options of
``plenary serve``, ``plenary.core.websocket.server_proxy_options``).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(**options: Any) -> Iterator[str]:
    """Serve the project's ASGI application on loopback; yields its base URL."""
    import uvicorn

    from plenary.config.asgi import application
    from plenary.core.websocket import PROTOCOL

    port = free_port()
    config = uvicorn.Config(
        application,
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        ws=PROTOCOL,
        **options,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
