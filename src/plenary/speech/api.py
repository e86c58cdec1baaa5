"""Captions and speech API (``/api/v1/speech/``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from pydantic import Field

from plenary.core.errors import NotFoundRefusal
from plenary.live.services import get_session
from plenary.speech import events, services
from plenary.speech.engines import catalog
from plenary.speech.models import CaptionSegment, CaptionStream, GlossaryTerm

router = Router(tags=["speech"])


class ModelOut(Schema):
    task: str
    name: str
    engine: str
    origin: str
    languages: list[str]
    pairs: list[tuple[str, str]]
    fallback: bool


class StreamIn(Schema):
    channel: str = Field(max_length=16)
    language: str = Field(max_length=8)
    voices: list[str] = Field(default_factory=list, max_length=6)


class CorrectionIn(Schema):
    text: str = Field(max_length=4000)


class GlossaryIn(Schema):
    terms: dict[str, str] = Field(max_length=6)


class EditOut(Schema):
    previous_text: str
    new_text: str
    editor: int | None
    edited_at: str


@router.get("/models", response=list[ModelOut])
def models(request: HttpRequest) -> list[dict[str, Any]]:
    """Installed speech models: recognition, translation (pairs) and voices."""
    return [
        {
            "task": m.task,
            "name": m.name,
            "engine": m.engine,
            "origin": m.origin,
            "languages": list(m.languages),
            "pairs": list(m.pairs),
            "fallback": m.fallback,
        }
        for m in catalog.installed_models()
    ]


@router.get("/sessions/{session_id}/streams")
def streams(request: HttpRequest, session_id: int) -> list[dict[str, Any]]:
    session = get_session(session_id)
    services.check_view_transcript(request.user, session)
    active = CaptionStream.objects.filter(session=session, stopped_at__isnull=True)
    return [events.stream_json(s) for s in active]


@router.post("/sessions/{session_id}/streams", response={201: dict[str, Any]})
def start_stream(request: HttpRequest, session_id: int, body: StreamIn) -> Status:
    """Caption a channel (``floor`` or a booth language); ``voices``: AI voice languages."""
    stream = services.do_start_stream(
        request.user, session_id, body.channel, body.language, body.voices
    )
    return Status(201, events.stream_json(stream))


@router.delete("/streams/{stream_id}")
def stop_stream(request: HttpRequest, stream_id: int) -> dict[str, Any]:
    return events.stream_json(services.do_stop_stream(request.user, stream_id))


@router.get("/sessions/{session_id}/segments")
def segments(request: HttpRequest, session_id: int, language: str) -> list[dict[str, Any]]:
    session = get_session(session_id)
    services.check_view_transcript(request.user, session)
    services.check_language(language)
    return [events.segment_json(s) for s in services.transcript(session, language)]


@router.patch("/segments/{segment_id}")
def correct_segment(request: HttpRequest, segment_id: int, body: CorrectionIn) -> dict[str, Any]:
    """Secretariat correction; the previous text is kept in the segment's history."""
    return events.segment_json(services.do_correct_segment(request.user, segment_id, body.text))


@router.get("/segments/{segment_id}/edits", response=list[EditOut])
def segment_edits(request: HttpRequest, segment_id: int) -> list[dict[str, Any]]:
    segment = (
        CaptionSegment.objects.select_related("session__meeting").filter(pk=segment_id).first()
    )
    if segment is None:
        raise NotFoundRefusal(_("This caption segment does not exist."))
    services.check_view_transcript(request.user, segment.session)
    return [
        {
            "previous_text": e.previous_text,
            "new_text": e.new_text,
            "editor": e.editor_id,
            "edited_at": e.edited_at.isoformat(),
        }
        for e in segment.edits.all()
    ]


@router.get("/meetings/{meeting_id}/glossary")
def glossary(request: HttpRequest, meeting_id: int) -> list[dict[str, Any]]:
    return [
        {"id": t.pk, "terms": t.terms} for t in GlossaryTerm.objects.filter(meeting_id=meeting_id)
    ]


@router.post("/meetings/{meeting_id}/glossary", response={201: dict[str, Any]})
def add_glossary_term(request: HttpRequest, meeting_id: int, body: GlossaryIn) -> Status:
    term = services.do_add_glossary_term(request.user, meeting_id, body.terms)
    return Status(201, {"id": term.pk, "terms": term.terms})


@router.delete("/glossary/{term_id}", response={204: None})
def delete_glossary_term(request: HttpRequest, term_id: int) -> Status:
    services.do_delete_glossary_term(request.user, term_id)
    return Status(204, None)
