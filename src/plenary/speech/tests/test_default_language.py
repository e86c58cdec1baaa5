"""The transcript opens in the reader's language where the meeting has it."""

from __future__ import annotations

import pytest
from django.test import Client

from plenary.meetings.models import Participation
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory
from plenary.speech.tests.factories import CaptionSegmentFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("reader", "shown"), [("fr", "fr"), ("es", "ar"), ("ar", "ar")])
def test_the_transcript_defaults_to_the_reader_language(reader: str, shown: str) -> None:
    # Arabic first in the list: it used to be the default for everyone.
    session = SessionFactory.create(meeting__languages=["ar", "en", "fr"])
    CaptionSegmentFactory.create(session=session, language="fr", text="Nous appuyons.")
    client = Client()
    client.force_login(
        ParticipationFactory.create(meeting=session.meeting, role=Participation.Role.DELEGATE).user
    )
    client.cookies["django_language"] = reader
    page = client.get(f"/captions/sessions/{session.pk}/transcript/").content.decode()
    assert f'<option value="{shown}" lang="{shown}" selected>' in page
    assert ("Nous appuyons." in page) == (shown == "fr")
