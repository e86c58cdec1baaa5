import pytest
from django.test import Client

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
