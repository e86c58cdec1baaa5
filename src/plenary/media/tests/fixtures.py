"""Fixtures shared by the media and interpretation tests that run without Janus."""

from __future__ import annotations

import socket
from typing import Any

import pytest
from django.core.cache import cache

from plenary.core.languages import UN_LANGUAGES
from plenary.meetings.models import Session
from plenary.meetings.tests.factories import SessionFactory


@pytest.fixture(autouse=True)
def janus_down(settings: Any) -> None:
    """Point the media app at a closed port: every Janus call fails fast."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        settings.JANUS_PORT = sock.getsockname()[1]
    settings.JANUS_URLS = []


@pytest.fixture
def session() -> Session:
    session = SessionFactory.create(meeting__languages=["en", "fr"])
    # Booth and moderation state live in the cache by session id, and SQLite
    # reuses the ids of rolled-back rows: start this session's state afresh.
    for channel in ("floor", *UN_LANGUAGES):
        cache.delete(f"media:heard:{session.pk}:{channel}")
        cache.delete(f"interpretation:booth:{session.pk}:{channel}")
    return session
