"""A refused request leaves one line in the log, not a traceback; errors keep theirs."""

from __future__ import annotations

import logging
import sys

import pytest
from django.test import Client
from django.urls import reverse

from plenary.accounts.tests.factories import DelegateFactory
from plenary.core.logfilters import RefusalWithoutTraceback
from plenary.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_a_403_is_logged_without_its_traceback(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    client.force_login(DelegateFactory.create())
    meeting = MeetingFactory.create()
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("meetings:manage", args=[meeting.code]))
    assert response.status_code == 403
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage().startswith("Forbidden")
    assert record.exc_info is None
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback() -> None:
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.LogRecord("django.request", logging.ERROR, __file__, 1, "x", (), None)
        record.exc_info = sys.exc_info()
    record.status_code = 500
    assert RefusalWithoutTraceback().filter(record)
    assert record.exc_info is not None
