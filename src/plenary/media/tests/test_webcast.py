"""The public webcast socket: token checked on connect, listening commands only."""

from __future__ import annotations

import datetime as dt

import pytest
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from plenary.config.asgi import application
from plenary.meetings.models import Sector, Session
from plenary.meetings.tests.factories import SessionFactory
from plenary.provisioning.models import Service, ServiceRequest

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = [(b"origin", b"http://localhost")]


@pytest.fixture
def session() -> Session:
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
        webcast_token="public-token",
    )
    return session


async def test_a_wrong_token_is_refused(session: Session) -> None:
    socket = WebsocketCommunicator(application, f"/ws/media/webcast/nope/{session.pk}/", ORIGIN)
    connected, code = await socket.connect()
    assert (connected, code) == (False, 4404)


async def test_the_public_may_only_listen(session: Session) -> None:
    socket = WebsocketCommunicator(
        application, f"/ws/media/webcast/public-token/{session.pk}/", ORIGIN
    )
    connected, _ = await socket.connect()
    assert connected
    await socket.send_json_to({"v": 1, "id": "1", "type": "media.nonce"})
    assert (await socket.receive_json_from())["type"] == "media.nonce"
    await socket.send_json_to({"v": 1, "id": "2", "type": "media.speak", "nonce": "x", "sdp": ""})
    reply = await socket.receive_json_from()
    assert (reply["type"], reply["code"]) == ("error", "unknown_type")
    await socket.disconnect()


def test_the_webcast_page_embeds_the_player_of_the_live_session(
    session: Session, client: Client
) -> None:
    page = client.get("/services/webcast/public-token/").content.decode()
    assert f'data-socket="/ws/media/webcast/public-token/{session.pk}/"' in page
    assert 'name="channel" value="fr"' in page
