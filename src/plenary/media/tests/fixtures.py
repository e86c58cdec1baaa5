"""Fixtures shared by the media and interpretation tests that run without Janus."""

from __future__ import annotations

import datetime as dt
import socket
from typing import Any

import pytest
from django.core.cache import cache
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
    # Booth and moderation state live in the cache by session id, and SQLite
    # reuses the ids of rolled-back rows: start this session's state afresh.
    for channel in ("floor", *UN_LANGUAGES):
        cache.delete(f"media:heard:{session.pk}:{channel}")
        cache.delete(f"interpretation:booth:{session.pk}:{channel}")
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
    floor.do_set_status(chair, session.pk, "open", 0)
    return session
