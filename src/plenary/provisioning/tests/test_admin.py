"""The admin lists and shows services, join links and feeds, read-only."""

from __future__ import annotations

import pytest
from django.test import Client

from plenary.accounts.models import User
from plenary.accounts.tests.helpers import sign_in_verified, staff_with_device
from plenary.meetings.models import Meeting
from plenary.provisioning import services
from plenary.provisioning.models import JoinLink
from plenary.provisioning.services import ServiceSpec

pytestmark = pytest.mark.django_db


def test_admin_pages_open_and_offer_no_add(
    client: Client, organiser: User, meeting: Meeting, delegate: User
) -> None:
    (created,) = services.check_request_services(
        organiser, meeting, [ServiceSpec("remote_participation")]
    )
    link = JoinLink.objects.get(user=delegate)
    feed = services.calendar_feed_for(delegate)
    sign_in_verified(client, staff_with_device(is_superuser=True))
    for model, pk in (
        ("servicerequest", created.pk),
        ("joinlink", link.pk),
        ("calendarfeed", feed.pk),
    ):
        assert client.get(f"/admin/provisioning/{model}/").status_code == 200
        assert client.get(f"/admin/provisioning/{model}/{pk}/change/").status_code == 200
        assert client.get(f"/admin/provisioning/{model}/add/").status_code == 403
