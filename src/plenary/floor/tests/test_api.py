from __future__ import annotations

import pytest
from django.test import Client

from plenary.accounts.tests.factories import DelegateFactory
from plenary.floor import services
from plenary.floor.tests.factories import cast
from plenary.meetings.models import Meeting

pytestmark = pytest.mark.django_db


def test_a_participant_reads_the_live_state(client: Client) -> None:
    c = cast()
    services.do_request_floor(c.delegate, c.session.pk, "speak")
    client.force_login(c.chair)
    body = client.get(f"/api/v1/floor/sessions/{c.session.pk}/").json()
    assert (body["type"], body["version"]) == ("snapshot", 1)
    assert body["state"]["queue"][0]["user_id"] == c.delegate.pk
    assert body["presence"] == []


def test_an_outsider_does_not_see_an_unpublished_meeting(client: Client) -> None:
    c = cast()
    Meeting.objects.filter(pk=c.session.meeting_id).update(status=Meeting.Status.DRAFT)
    client.force_login(DelegateFactory.create())
    response = client.get(f"/api/v1/floor/sessions/{c.session.pk}/")
    assert (response.status_code, response.json()["code"]) == (404, "not_found")
