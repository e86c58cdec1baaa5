import pytest
from django.test import Client

from plenary.meetings.models import Participation
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_an_interpreter_gets_the_console_of_their_booth(client: Client) -> None:
    session = SessionFactory.create(meeting__languages=["en", "fr", "es"])
    interpreter = ParticipationFactory.create(
        meeting=session.meeting, role=Participation.Role.INTERPRETER, language="fr"
    ).user
    client.force_login(interpreter)
    page = client.get(f"/interpretation/sessions/{session.pk}/console/").content.decode()
    assert 'data-language="fr"' in page
    assert 'value="es"' in page  # relay from the Spanish booth
    assert 'value="fr"> Relay' not in page  # never a relay from one's own booth


def test_a_delegate_gets_no_console(client: Client) -> None:
    session = SessionFactory.create()
    client.force_login(ParticipationFactory.create(meeting=session.meeting).user)
    assert client.get(f"/interpretation/sessions/{session.pk}/console/").status_code == 403
