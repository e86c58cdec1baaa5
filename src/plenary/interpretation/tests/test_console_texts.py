"""The console speaks proper language: booth names per language, channel names rather
than codes, and only the meeting's languages."""

from __future__ import annotations

import json
import re

import pytest
from django.template import Context, Template
from django.test import Client

from plenary.interpretation import services
from plenary.meetings.models import Participation, Session
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session() -> Session:
    return SessionFactory.create(meeting__languages=["en", "fr", "es"])


def _console(
    client: Client, session: Session, language: str = "fr", page_language: str = "fr"
) -> str:
    interpreter = ParticipationFactory.create(
        meeting=session.meeting, role=Participation.Role.INTERPRETER, language=language
    ).user
    client.force_login(interpreter)
    client.cookies["django_language"] = page_language
    response = client.get(f"/interpretation/sessions/{session.pk}/console/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_booth_is_named_in_good_french(client: Client, session: Session) -> None:
    page = _console(client, session)
    assert "<h1>Cabine française</h1>" in page
    assert "Cabine Français" not in page
    assert "Relais de la cabine espagnole" in page


def test_the_booths_are_named_per_language_in_russian(client: Client, session: Session) -> None:
    page = _console(client, session, page_language="ru")
    assert "<h1>Французская кабина</h1>" in page


def test_only_the_meeting_languages_are_offered(client: Client, session: Session) -> None:
    page = _console(client, session, page_language="en")
    covered = re.findall(r'name="passive" value="([^"]+)"', page)
    assert covered == ["en", "fr", "es"]
    spoken = re.findall(
        r'<option value="([^"]+)"', page.split('id="floor-language"')[1].split("</select>")[0]
    )
    assert spoken == ["en", "fr", "es"]


def test_the_hearing_status_names_the_channel(client: Client, session: Session) -> None:
    page = _console(client, session, page_language="fr")
    assert 'data-msg-listening="Écoute : %(channel)s"' in page
    channels = page.split('id="console-channels" type="application/json">')[1].split("</script>")[0]
    assert json.loads(channels) == {
        "floor": "Original (salle)",
        "en": "Anglais",
        "fr": "Français",
        "es": "Espagnol",
    }


def test_the_caption_panel_knows_which_booths_are_on_air(session: Session) -> None:
    interpreter = ParticipationFactory.create(
        meeting=session.meeting, role=Participation.Role.INTERPRETER, language="fr"
    ).user
    template = Template("{% load interpretation %}[{% booths_on_air session %}]")
    assert template.render(Context({"session": session})) == "[]"
    services.do_take_air(interpreter, session, "fr")
    assert template.render(Context({"session": session})) == "[fr]"
