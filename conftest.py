"""Settings for the whole test run (every app and the browser tests)."""

from __future__ import annotations

import pytest

# For speed only: factories give every person a password, and the production
# hasher (PBKDF2) is slow on purpose. One hasher for the whole run also keeps
# the factories' once-per-run cached hash valid in every test.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS
