"""Transcript pages, exports, corrections over HTTP, the API and ``plenary models``."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from docx.oxml.ns import qn

from plenary.accounts.tests.factories import DelegateFactory, StaffFactory
from plenary.meetings.models import Participation, Session
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory
from plenary.speech.models import CaptionSegment, CaptionStream, SegmentEdit
from plenary.speech.tests.factories import CaptionSegmentFactory, CaptionStreamFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def session() -> Session:
    session = SessionFactory.create(meeting__languages=["en", "fr"])
    stream = CaptionStreamFactory.create(session=session)
    first = CaptionSegmentFactory.create(
        session=session,
        stream=stream,
        starts_at=stream.started_at + dt.timedelta(seconds=1),
        speaker_name="Brazil",
        text="We support the proposal --> fully.",
    )
    CaptionSegmentFactory.create(
        session=session,
        stream=stream,
        kind=CaptionSegment.Kind.GAP,
        text="",
        starts_at=first.ends_at,
        ends_at=first.ends_at + dt.timedelta(seconds=12),
    )
    CaptionSegmentFactory.create(
        session=session,
        stream=stream,
        language="fr",
        kind=CaptionSegment.Kind.TRANSLATED,
        source=first,
        text="Nous appuyons la proposition.",
        starts_at=first.starts_at,
    )
    return session


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _participant(session: Session) -> Any:
    return ParticipationFactory.create(
        meeting=session.meeting, role=Participation.Role.DELEGATE
    ).user


def test_webvtt_export_times_from_the_first_stream_and_marks_gaps(session: Session) -> None:
    response = _client(_participant(session)).get(
        f"/captions/sessions/{session.pk}/transcript.vtt?language=en"
    )
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith("WEBVTT")
    assert "00:00:01.000 --> 00:00:04.000\nBrazil: We support the proposal -> fully." in body
    assert "[No captions for 12 seconds]" in body


def test_srt_export_uses_commas(session: Session) -> None:
    response = _client(_participant(session)).get(
        f"/captions/sessions/{session.pk}/transcript.srt?language=fr"
    )
    assert (
        "00:00:01,000 --> 00:00:04,000\nNous appuyons la proposition." in response.content.decode()
    )


def test_docx_export_is_a_word_document(session: Session) -> None:
    from docx import Document

    response = _client(_participant(session)).get(
        f"/captions/sessions/{session.pk}/transcript.docx?language=en"
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "Brazil: We support the proposal" in text and "Machine-generated" in text


def test_an_arabic_transcript_docx_is_right_to_left(session: Session) -> None:
    from docx import Document

    response = _client(_participant(session)).get(
        f"/captions/sessions/{session.pk}/transcript.docx?language=ar"
    )
    paragraphs = [p for p in Document(io.BytesIO(response.content)).paragraphs if p.text]
    assert paragraphs
    for paragraph in paragraphs:
        properties = paragraph._p.pPr
        assert properties is not None
        assert properties.find(qn("w:bidi")).get(qn("w:val")) == "1"


def test_unknown_export_format_is_not_found(session: Session) -> None:
    assert (
        _client(_participant(session))
        .get(f"/captions/sessions/{session.pk}/transcript.exe")
        .status_code
        == 404
    )


def test_outsider_may_not_read_a_draft_meetings_transcript(session: Session) -> None:
    session.meeting.status = "draft"
    session.meeting.save()
    response = _client(DelegateFactory.create()).get(f"/captions/sessions/{session.pk}/transcript/")
    assert response.status_code == 403


def test_transcript_page_offers_corrections_to_the_secretariat_only(session: Session) -> None:
    url = f"/captions/sessions/{session.pk}/transcript/?language=en"
    assert "Save correction" in _client(StaffFactory.create()).get(url).content.decode()
    page = _client(_participant(session)).get(url).content.decode()
    assert "We support the proposal" in page and "Save correction" not in page


def test_correction_form_saves_and_shows_refusals(session: Session) -> None:
    segment = CaptionSegment.objects.get(language="en", kind="asr")
    staff = _client(StaffFactory.create())
    refused = staff.post(f"/captions/segments/{segment.pk}/correct/", {"text": "  "})
    assert "may not be empty" in refused.content.decode()
    saved = staff.post(
        f"/captions/segments/{segment.pk}/correct/", {"text": "We support the proposal fully."}
    )
    assert saved.status_code == 200 and "corrected" in saved.content.decode()
    assert SegmentEdit.objects.get().previous_text == "We support the proposal --> fully."


def test_delegate_correction_is_forbidden(session: Session) -> None:
    segment = CaptionSegment.objects.get(language="en", kind="asr")
    response = _client(_participant(session)).post(
        f"/captions/segments/{segment.pk}/correct/", {"text": "x"}
    )
    assert response.status_code == 403


def test_api_lists_segments_and_refuses_a_bad_language(session: Session) -> None:
    client = _client(_participant(session))
    listed = client.get(f"/api/v1/speech/sessions/{session.pk}/segments?language=fr").json()
    assert [s["text"] for s in listed] == ["Nous appuyons la proposition."] and listed[0]["machine"]
    assert (
        client.get(f"/api/v1/speech/sessions/{session.pk}/segments?language=xx").status_code == 400
    )


def test_api_starts_a_stream_for_the_chair(session: Session) -> None:
    CaptionStream.objects.update(stopped_at=session.starts_at)
    chair = ParticipationFactory.create(meeting=session.meeting, role=Participation.Role.CHAIR).user
    client = _client(chair)
    url = f"/api/v1/speech/sessions/{session.pk}/streams"
    created = client.post(
        url,
        {"channel": "floor", "language": "en", "voices": ["fr"]},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["voices"] == ["fr"]
    again = client.post(
        url, {"channel": "floor", "language": "en"}, content_type="application/json"
    )
    assert again.status_code == 400 and again.json()["code"] == "conflict"


def test_models_command_lists_packaged_models() -> None:
    out = io.StringIO()
    call_command("models", "--json", stdout=out)
    names = {m["name"] for m in json.loads(out.getvalue())}
    assert {"whisper-tiny.en", "whisper-base", "en_US-joe-medium"} <= names


def test_healthz_reports_speech(client: Client) -> None:
    speech = client.get("/healthz").json()["components"]["speech"]
    assert speech["ok"] and "en" in speech["data"]["languages"]["asr"]


def test_organiser_keeps_the_meeting_glossary(session: Session) -> None:
    from plenary.speech.models import GlossaryTerm

    client = _client(session.meeting.organiser)
    url = f"/captions/meetings/{session.meeting.pk}/glossary/"
    added = client.post(url, {"en": "Radio Regulations", "fr": "Règlement des radiocommunications"})
    assert added.status_code == 302
    page = client.get(url).content.decode()
    assert "Règlement des radiocommunications" in page
    refused = client.post(url, {"en": "ITU"})
    assert refused.status_code == 400 and "at least two languages" in refused.content.decode()
    term = GlossaryTerm.objects.get()
    assert client.post(url, {"delete": term.pk}).status_code == 302
    assert not GlossaryTerm.objects.exists()


def test_delegate_may_not_edit_the_glossary(session: Session) -> None:
    url = f"/captions/meetings/{session.meeting.pk}/glossary/"
    assert _client(_participant(session)).get(url).status_code == 403
