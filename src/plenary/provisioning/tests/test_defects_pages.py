"""The services page shows what is stored and offers only what is left; the public
webcast is live when the chair opened a session, not when the clock says."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plenary.accounts.models import User
from plenary.accounts.tests.helpers import sign_in_verified
from plenary.floor import services as floor
from plenary.media import services as media
from plenary.meetings.models import Meeting, Participation
from plenary.meetings.tests.factories import ParticipationFactory
from plenary.provisioning import services
from plenary.provisioning.models import Service, ServiceRequest
from plenary.provisioning.services import ServiceSpec

pytestmark = pytest.mark.django_db


def _provision(organiser: User, meeting: Meeting, service: str, **fields: Any) -> ServiceRequest:
    (created,) = services.check_request_services(
        organiser, meeting, [ServiceSpec(service, **fields)]
    )
    return created


def _page(client: Client, meeting: Meeting) -> str:
    response = client.get(reverse("provisioning:request", kwargs={"code": meeting.code}))
    assert response.status_code == 200
    return response.content.decode()


def test_a_stored_public_webcast_shows_as_public(
    client: Client, organiser: User, meeting: Meeting
) -> None:
    sign_in_verified(client, organiser)
    _provision(organiser, meeting, Service.WEBCAST, public=True)
    page = _page(client, meeting)
    assert "Public: anyone may listen without signing in." in page
    # The webcast is requested: its "public" box is no longer offered.
    assert 'name="public"' not in page


def test_the_public_box_is_ticked_from_the_stored_choice(
    client: Client, organiser: User, meeting: Meeting, secretariat: User
) -> None:
    sign_in_verified(client, organiser)
    webcast = _provision(organiser, meeting, Service.WEBCAST, public=True)
    services.check_cancel(organiser, webcast)
    page = _page(client, meeting)
    assert 'name="public" id="id_public" checked' in page


def test_once_everything_is_requested_nothing_more_is_offered(
    client: Client, organiser: User, meeting: Meeting
) -> None:
    sign_in_verified(client, organiser)
    url = reverse("provisioning:request", kwargs={"code": meeting.code})
    client.post(
        url,
        {
            "services": [s.value for s in Service],
            "languages": ["fr", "es"],
            "public": "on",
        },
    )
    assert {r.service for r in meeting.service_requests.all()} == set(Service.values)
    page = _page(client, meeting)
    assert "Request the chosen services" not in page
    assert 'name="services"' not in page
    assert 'name="languages"' not in page
    assert "Every service offered for this meeting is requested." in page


def test_the_webcast_is_described_as_audio_only(
    client: Client, organiser: User, meeting: Meeting
) -> None:
    sign_in_verified(client, organiser)
    page = _page(client, meeting)
    assert "audio and video" not in page
    assert "A one-way audio stream of the sessions" in page


@pytest.fixture
def webcast_token(organiser: User, meeting: Meeting, secretariat: User) -> str:
    pending = _provision(organiser, meeting, Service.WEBCAST, public=True)
    token = services.check_decide(secretariat, pending, approve=True).webcast_token
    assert token
    return token


def test_a_session_scheduled_now_is_not_live_until_the_chair_opens_it(
    client: Client, meeting: Meeting, webcast_token: str
) -> None:
    session = meeting.sessions.first()
    assert session is not None
    now = timezone.now()
    session.starts_at, session.ends_at = now - dt.timedelta(hours=1), now + dt.timedelta(hours=1)
    session.save()
    url = reverse("provisioning:webcast", kwargs={"token": webcast_token})
    assert "Live now" not in client.get(url).content.decode()

    chair = ParticipationFactory.create(meeting=meeting, role=Participation.Role.CHAIR).user
    floor.do_set_status(chair, session.pk, "open", 0)
    page = client.get(url).content.decode()
    assert "Live now" in page
    assert f'data-session="{session.pk}"' in page  # the player of the open session


def test_the_player_knows_which_channels_have_an_interpreter_on_air(
    client: Client, meeting: Meeting, webcast_token: str
) -> None:
    session = meeting.sessions.first()
    assert session is not None
    chair = ParticipationFactory.create(meeting=meeting, role=Participation.Role.CHAIR).user
    floor.do_set_status(chair, session.pk, "open", 0)
    for channel in ("fr", "es"):
        cache.delete(f"media:heard:{session.pk}:{channel}")
    cache.set(f"media:heard:{session.pk}:fr", [chair.pk])  # what set_heard stores
    assert media.heard(session.pk, "fr") == frozenset({chair.pk})
    page = client.get(reverse("provisioning:webcast", kwargs={"token": webcast_token}))
    html = page.content.decode()
    assert 'data-on-air="fr"' in html
    assert "No interpreter is on air on this channel" in html
