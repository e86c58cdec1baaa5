"""Shared fixtures of the provisioning tests: a meeting at headquarters with its people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail

from plenary.accounts.models import User
from plenary.accounts.tests.factories import DelegateFactory, OrganiserFactory, StaffFactory
from plenary.core.models import AuditEntry
from plenary.meetings.models import Meeting, Participation
from plenary.meetings.tests.factories import (
    MeetingFactory,
    ParticipationFactory,
    RoomFactory,
    SessionFactory,
    SiteFactory,
)
from plenary.provisioning.models import CalendarFeed, JoinLink, ServiceRequest
from plenary.provisioning.tests.factories import ConferenceStaffFactory


@pytest.fixture
def organiser() -> User:
    return OrganiserFactory.create(preferred_language="es")


@pytest.fixture
def secretariat() -> User:
    return StaffFactory.create()


@pytest.fixture
def conference() -> User:
    return ConferenceStaffFactory.create(preferred_language="fr")


@pytest.fixture
def meeting(organiser: User) -> Meeting:
    """At headquarters (which offers everything), in English, French and Spanish, two
    sessions in a room with three booths."""
    meeting = MeetingFactory.create(organiser=organiser, languages=["en", "fr", "es"])
    room = RoomFactory.create(site=SiteFactory.create(), name="Room A", interpretation_booths=3)
    SessionFactory.create(meeting=meeting, room=room, title="Opening plenary")
    SessionFactory.create(
        meeting=meeting,
        room=room,
        title="Closing plenary",
        starts_at=dt.datetime.combine(meeting.end_date, dt.time(14, 0), meeting.tzinfo),
        ends_at=dt.datetime.combine(meeting.end_date, dt.time(17, 0), meeting.tzinfo),
    )
    return meeting


@pytest.fixture
def delegate(meeting: Meeting) -> User:
    """An approved remote delegate of ``meeting``, reading Arabic."""
    user = DelegateFactory.create(preferred_language="ar")
    ParticipationFactory.create(meeting=meeting, user=user, role=Participation.Role.DELEGATE)
    return user


def _snapshot() -> dict[str, Any]:
    return {
        "requests": list(ServiceRequest.objects.order_by("pk").values()),
        "links": list(JoinLink.objects.order_by("pk").values()),
        "feeds": list(CalendarFeed.objects.order_by("pk").values()),
        "audit": AuditEntry.objects.count(),
        "mail": len(mail.outbox),
    }


@pytest.fixture
def db_state() -> Callable[[], dict[str, Any]]:
    """Call it before and after a refused action: the two results must be equal."""
    return _snapshot
