"""Pages: live captions of a session, its transcript (corrections), exports."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.http import require_POST

from plenary.core.errors import Refusal, refusals_as_http
from plenary.core.languages import UN_LANGUAGES
from plenary.live.services import get_session
from plenary.meetings.models import Meeting, Session
from plenary.speech import exports, services
from plenary.speech.models import CaptionSegment, GlossaryTerm

EXPORT_FORMATS = frozenset({"vtt", "srt", "docx"})


def _session(request: HttpRequest, session_id: int) -> tuple[Session, bool]:
    with refusals_as_http():
        session = get_session(session_id)
        standing = services.check_view_transcript(request.user, session)
    return session, standing.is_secretariat


def _language(request: HttpRequest, session: Session) -> str:
    languages = session.meeting.languages or [session.meeting.working_language]
    chosen = request.GET.get("language", "")
    if chosen in UN_LANGUAGES:
        return chosen
    # By default the reader's own language where the meeting has it.
    own = translation.get_language()
    return own if own in languages else languages[0]


@login_required
def live_captions(request: HttpRequest, session_id: int) -> HttpResponse:
    session, _secretariat = _session(request, session_id)
    return render(request, "speech/live.html", {"session": session})


@login_required
def transcript(request: HttpRequest, session_id: int) -> HttpResponse:
    session, secretariat = _session(request, session_id)
    language = _language(request, session)
    return render(
        request,
        "speech/transcript.html",
        {
            "session": session,
            "language": language,
            "languages": session.meeting.languages or [session.meeting.working_language],
            "segments": services.transcript(session, language).prefetch_related("edits"),
            "may_correct": secretariat,
        },
    )


@login_required
def export(request: HttpRequest, session_id: int, fmt: str) -> HttpResponse:
    if fmt not in EXPORT_FORMATS:
        raise Http404
    session, _secretariat = _session(request, session_id)
    language = _language(request, session)
    segments = list(services.transcript(session, language))
    name = f"{session.meeting.code}-{session.pk}-{language}"
    if fmt == "vtt":
        response = HttpResponse(
            exports.webvtt(session, segments), content_type="text/vtt; charset=utf-8"
        )
    elif fmt == "srt":
        response = HttpResponse(
            exports.srt(session, segments), content_type="application/x-subrip; charset=utf-8"
        )
    else:
        response = HttpResponse(
            exports.docx(session, segments, language),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
def glossary(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The meeting's glossary: terms per language, used by recognition and translation."""
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    error = ""
    try:
        with refusals_as_http():
            services.check_manage_glossary(request.user, meeting)
            if request.method == "POST" and "delete" in request.POST:
                services.do_delete_glossary_term(request.user, int(request.POST["delete"]))
                return redirect("speech:glossary", meeting_id=meeting.pk)
            if request.method == "POST":
                terms = {code: request.POST.get(code, "") for code in UN_LANGUAGES}
                services.do_add_glossary_term(request.user, meeting.pk, terms)
                return redirect("speech:glossary", meeting_id=meeting.pk)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    except Refusal as refusal:
        error = str(refusal.message)
    return render(
        request,
        "speech/glossary.html",
        {
            "meeting": meeting,
            "languages": UN_LANGUAGES,
            "terms": GlossaryTerm.objects.filter(meeting=meeting),
            "error": error,
            "draft": request.POST if error else {},
        },
        status=400 if error else 200,
    )


@login_required
@require_POST
def correct(request: HttpRequest, segment_id: int) -> HttpResponse:
    """HTMX: save a correction and return the segment's row, with the error if refused.

    A refusal answers 200 so that HTMX swaps the row in and shows the message.
    """
    error = ""
    try:
        with refusals_as_http():
            segment = services.do_correct_segment(
                request.user, segment_id, request.POST.get("text", "")
            )
    except Refusal as refusal:
        error = str(refusal.message)
        segment = CaptionSegment.objects.get(pk=segment_id)
    return render(
        request,
        "speech/_segment.html",
        {
            "segment": segment,
            "may_correct": True,
            "error": error,
            "draft": request.POST.get("text", ""),
        },
    )
