"""Fixtures for browser tests: a real ASGI server and headless Chromium.

``live_url`` serves the project's ASGI application (HTTP and WebSockets) with
uvicorn in a background thread, on a free loopback port, against the test
database. ``page`` is a fresh Chromium tab (Debian's ``/usr/bin/chromium``
driven by Playwright); ``new_page()`` opens more tabs in separate contexts,
e.g. a chair and a delegate side by side.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from plenary.core.tests.live import serving

# The database the settings name, before any test database replaces it: still
# this name when a demo module starts, the run has no test database yet.
CONFIGURED_DATABASE = settings.DATABASES["default"]["NAME"]
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


@pytest.fixture
def live_url(transactional_db: None) -> Iterator[str]:
    """Base URL of the project served by uvicorn (ASGI, WebSockets included)."""
    with serving() as url:
        yield url


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


def in_a_thread(load: Callable[[], object]) -> None:
    """Run ``load`` where no event loop runs (Playwright's runs in this thread), on a
    connection of its own, closed afterwards. Passwords are hashed the fast way."""
    from django.db import connection
    from django.test import override_settings

    failure: list[BaseException] = []

    def run() -> None:
        try:
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ):
                load()
        except BaseException as exc:  # re-raised in the test's thread
            failure.append(exc)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]


@pytest.fixture
def task_worker(transactional_db: None) -> Iterator[None]:
    """A background-task worker beside the live server, as ``plenary serve`` runs one:
    the queued jobs run in a thread of their own, on a connection of its own. It
    stops before the database is closed to the test (it needs the database
    fixture set up first, so torn down after it)."""
    from django.db import connection

    from plenary.core.tasks import run_queued

    stop = threading.Event()

    def work() -> None:
        try:
            while not stop.wait(0.2):
                run_queued()
        finally:
            connection.close()

    thread = threading.Thread(target=work, name="test-task-worker", daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(60)


@pytest.fixture(scope="module")
def demo_url(django_db_setup: None, django_db_blocker: Any) -> Iterator[str]:
    """The demo data (``plenary demo``), loaded once and served for a whole module.

    For walks that only read: the data stays from test to test. Tests that
    query the database open it with ``django_db_blocker.unblock()`` (they must
    not ask for ``db``, whose rollback or flush would lose the data). The
    tables are flushed after the module, as a transactional test leaves them.
    """
    from django.core.management import call_command
    from django.db import connection, connections
    from django.test.utils import setup_databases, teardown_databases

    from plenary.demo.loader import load_demo
    from plenary.meetings.models import Sector

    with django_db_blocker.unblock():
        # pytest-django sets the test database up only for tests that ask for ``db``;
        # when no test of the run does, this module sets it up for itself.
        own = None
        if connection.settings_dict["NAME"] == CONFIGURED_DATABASE:
            # Django takes any collection of aliases; the stubs say a mapping.
            own = setup_databases(verbosity=0, interactive=False, aliases={"default"})  # type: ignore[arg-type]
        for code in Sector.Code.values:  # rows of a data migration, gone after a flush
            Sector.objects.get_or_create(code=code)
        in_a_thread(load_demo)
    try:
        with serving() as url:
            yield url
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)
            # Left open, this module's connection would block the test database's
            # drop at the end of the run (PostgreSQL refuses while one is in use).
            connections.close_all()
            if own is not None:
                teardown_databases(own, verbosity=0)


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core's script, installed from npm by ./scripts/test into the virtualenv.

    Inject it with ``page.add_script_tag(path=axe_script)``; see ``tests/e2e/a11y.py``.
    """
    default = Path(sys.prefix) / "node" / "node_modules" / "axe-core" / "axe.min.js"
    path = Path(os.environ.get("PLENARY_AXE", default))
    if not path.is_file():
        pytest.fail(f"axe-core is missing at {path}: run ./scripts/test, which installs it.")
    return path
