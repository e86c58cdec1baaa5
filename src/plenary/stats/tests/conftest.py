from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from plenary.meetings.models import Session
from plenary.meetings.tests.factories import MeetingFactory, SessionFactory, sector
from plenary.stats import opendata

YEAR = 2025


@pytest.fixture(autouse=True)
def _fast_and_fresh(settings: Any) -> Iterator[None]:
    # Factories hash a password per person; the default hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Only this app's keys: the cache may be the Redis that other tests share.
    keys = [opendata.cache_key(year) for year in range(YEAR - 10, YEAR + 10)]
    cache.delete_many(keys)
    yield
    cache.delete_many(keys)


def make_session(
    sector_code: str = "T", day: dt.date = dt.date(YEAR, 3, 2), **meeting: object
) -> Session:
    m = MeetingFactory.create(
        sector=sector(sector_code), start_date=day, end_date=day + dt.timedelta(days=1), **meeting
    )
    return SessionFactory.create(meeting=m)
