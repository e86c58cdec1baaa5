"""Fixtures shared by the media and interpretation tests that run without Janus."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connections
from django.utils import timezone

from plenary.core.languages import UN_LANGUAGES
from plenary.floor import services as floor
from plenary.meetings.models import Participation, Sector, Session
from plenary.meetings.tests.factories import SessionFactory
from plenary.provisioning.models import Service, ServiceRequest

WEBCAST_TOKEN = "public-token"


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
    # Moderation state lives in the cache by session id, and SQLite reuses the
    # ids of rolled-back rows: start this session's state afresh.
    for channel in ("floor", *UN_LANGUAGES):
        cache.delete(f"media:heard:{session.pk}:{channel}")
    return session


def public_webcast_session() -> Session:
    """A session live now, of a meeting with a public webcast at ``WEBCAST_TOKEN``."""
    for code in Sector.Code.values:  # rows of a data migration, gone after a flush
        Sector.objects.get_or_create(code=code)
    now = timezone.now()
    session = SessionFactory.create(
        meeting__languages=["en", "fr"],
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
    )
    ServiceRequest.objects.create(
        meeting=session.meeting,
        service=Service.WEBCAST,
        public=True,
        status=ServiceRequest.Status.PROVISIONED,
        requested_by=session.meeting.organiser,
        webcast_token=WEBCAST_TOKEN,
    )
    # Live is the floor's state, not the clock: the chair opens the session.
    chair = session.meeting.organiser
    Participation.objects.create(meeting=session.meeting, user=chair, role=Participation.Role.CHAIR)
    outside_any_event_loop(floor.do_set_status, chair, session.pk, "open", 0)
    return session


def outside_any_event_loop(function: Any, *args: Any) -> None:
    """Call ``function`` here, or in a thread where this one runs an event loop
    (Playwright's, in browser tests): publishing after commit needs a loop-free thread."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        function(*args)
        return

    def run() -> None:
        try:
            function(*args)
        finally:
            connections.close_all()  # this thread's connection

    with ThreadPoolExecutor(1) as pool:
        pool.submit(run).result()
