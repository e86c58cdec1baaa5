"""Settings for the whole test run (every app and the browser tests)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

# For speed only: factories give every person a password, and the production
# hasher (PBKDF2) is slow on purpose. One hasher for the whole run also keeps
# the factories' once-per-run cached hash valid in every test.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last, after pytest-django's own ordering.

    Playwright's sync API keeps an event loop running in the main thread for
    the rest of the session once a browser has started, so an async test that
    ran after it would fail; browser tests also leave server threads behind.
    """
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


@pytest.fixture(autouse=True)
def fresh_channel_layer() -> Iterator[None]:
    """Give each test its own channel layer instance.

    A Redis layer's locks and connections belong to the event loop that first
    used them, and every async test has its own loop: a layer shared across
    tests fails with "bound to a different event loop" (the server has one
    loop, so this is a test-only concern).
    """
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    """Start each test with an empty cache.

    Rows' ids repeat between tests (a rolled-back SQLite transaction) and
    between runs (a new PostgreSQL test database against a Redis that lives
    on), so a decision the cache keeps per session id (who is heard, whether
    the speaker may present) would otherwise reach another test's session.
    """
    from django.core.cache import cache

    cache.clear()
