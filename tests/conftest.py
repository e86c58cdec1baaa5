"""Fixtures for browser tests: a real ASGI server and headless Chromium.

``live_url`` serves the project's ASGI application (HTTP and WebSockets) with
uvicorn in a background thread, on a free loopback port, against the test
database. ``page`` is a fresh Chromium tab (Debian's ``/usr/bin/chromium``
driven by Playwright); ``new_page()`` opens more tabs in separate contexts,
e.g. a chair and a delegate side by side.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator

import pytest

CHROMIUM = os.environ.get("PLENARY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--use-fake-ui-for-media-stream",
    "--use-fake-device-for-media-stream",
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def live_url(transactional_db: None) -> Iterator[str]:
    """Base URL of the project served by uvicorn (ASGI, WebSockets included)."""
    import uvicorn

    from plenary.config.asgi import application
    from plenary.core.websocket import PROTOCOL

    port = _free_port()
    config = uvicorn.Config(
        application,
        host="127.0.0.1",
        port=port,
        lifespan="off",
        log_level="warning",
        ws=PROTOCOL,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM
    # calls made by the test itself stay synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium is missing at {CHROMIUM}: run ./scripts/test, which installs it.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser: object) -> Iterator[Callable[..., object]]:
    """Open a tab in a fresh browser context (own cookies); closed after the test."""
    contexts: list[object] = []

    def open_page(**context_options: object) -> object:
        context = browser.new_context(**context_options)  # type: ignore[attr-defined]
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()  # type: ignore[attr-defined]


@pytest.fixture
def page(new_page: Callable[..., object]) -> object:
    return new_page()
