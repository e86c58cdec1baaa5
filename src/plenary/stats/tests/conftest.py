from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from plenary.meetings.models import Sector, Session
from plenary.meetings.tests.factories import MeetingFactory, SessionFactory

YEAR = 2025


@pytest.fixture(autouse=True)
def _fast_and_fresh(settings: Any) -> Iterator[None]:
    # Factories hash a password per person; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # A cache of its own per test: figures are cached, and the shared cache
    # (Redis in CI) must neither leak into nor be flushed by these tests.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": uuid.uuid4().hex,
        }
    }
    yield


def make_session(
    sector_code: str = "T", day: dt.date = dt.date(YEAR, 3, 2), **meeting: object
) -> Session:
    # get_or_create: a transactional test before this one may have flushed the
    # sectors that a data migration creates.
    m = MeetingFactory.create(
        sector=Sector.objects.get_or_create(code=sector_code)[0],
        start_date=day,
        end_date=day + dt.timedelta(days=1),
        **meeting,
    )
    return SessionFactory.create(meeting=m)
