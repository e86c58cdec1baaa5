import pytest
from django.test import Client
from django.urls import reverse

from plenary.meetings.models import Participation
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_a_delegate_may_listen_to_every_channel_and_speak(client: Client) -> None:
    session = SessionFactory.create(meeting__languages=["en", "fr"])
    client.force_login(ParticipationFactory.create(meeting=session.meeting).user)
    page = client.get(f"/media/sessions/{session.pk}/listen/").content.decode()
    for channel in ("floor", "en", "fr"):
        assert f'name="channel" value="{channel}"' in page
    assert 'id="speak-start"' in page


def test_an_observer_listens_but_has_no_microphone(client: Client) -> None:
    session = SessionFactory.create()
    observer = ParticipationFactory.create(
        meeting=session.meeting, role=Participation.Role.OBSERVER
    ).user
    client.force_login(observer)
    page = client.get(f"/media/sessions/{session.pk}/listen/").content.decode()
    assert 'id="listen-start"' in page
    assert 'id="speak-start"' not in page


def test_outsiders_and_non_operators_are_refused(client: Client) -> None:
    session = SessionFactory.create()
    client.force_login(ParticipationFactory.create().user)  # another meeting
    assert client.get(f"/media/sessions/{session.pk}/listen/").status_code == 403
    client.force_login(ParticipationFactory.create(meeting=session.meeting).user)
    assert client.get(f"/media/sessions/{session.pk}/room-feed/").status_code == 403


def _media_links(client: Client, url: str) -> set[str]:
    """The media pages a floor page links to."""
    page = client.get(url).content.decode()
    return {
        name
        for name, path in (
            ("listen", "/listen/"),
            ("room_feed", "/room-feed/"),
            ("console", "/console/"),
        )
        if path in page
    }


@pytest.mark.parametrize(
    ("role", "language", "expected"),
    [
        (Participation.Role.DELEGATE, "", {"listen"}),
        (Participation.Role.ROOM_OPERATOR, "", {"listen", "room_feed"}),
        (Participation.Role.INTERPRETER, "fr", {"listen", "console"}),
        (Participation.Role.INTERPRETER, "ru", {"listen"}),  # a booth the meeting does not offer
    ],
)
def test_the_floor_pages_lead_each_role_to_its_media_pages(
    client: Client, role: str, language: str, expected: set[str]
) -> None:
    session = SessionFactory.create(meeting__languages=["en", "fr"])
    user = ParticipationFactory.create(meeting=session.meeting, role=role, language=language).user
    client.force_login(user)
    assert _media_links(client, reverse("room:session", args=[session.pk])) == expected
    assert _media_links(client, reverse("floor:screen", args=[session.pk])) == expected
    for name in expected:  # and the pages linked to do open for them
        path = {"listen": "listen", "room_feed": "room-feed", "console": "console"}[name]
        prefix = "interpretation" if name == "console" else "media"
        assert client.get(f"/{prefix}/sessions/{session.pk}/{path}/").status_code == 200


def test_the_public_room_screen_links_to_no_media_page(client: Client) -> None:
    session = SessionFactory.create()
    assert _media_links(client, reverse("floor:screen", args=[session.pk])) == set()
    client.force_login(ParticipationFactory.create().user)  # a participant of another meeting
    assert _media_links(client, reverse("floor:screen", args=[session.pk])) == set()
