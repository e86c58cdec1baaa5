"""Shared helpers for the meetings tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from plenary.core.models import AuditEntry
from plenary.meetings.models import Meeting, Participation, Registration, Session


def _snapshot() -> dict[str, Any]:
    return {
        "meetings": list(Meeting.objects.order_by("pk").values()),
        "sessions": list(Session.objects.order_by("pk").values()),
        "registrations": list(Registration.objects.order_by("pk").values()),
        "participations": list(Participation.objects.order_by("pk").values()),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def db_state() -> Callable[[], dict[str, Any]]:
    """Call it before and after a refused action: the two results must be equal."""
    return _snapshot
