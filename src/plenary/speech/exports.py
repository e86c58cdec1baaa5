"""Transcript exports per language: WebVTT, SRT and a DOCX verbatim-style record.

Cue times count from the session's first caption stream, so subtitles line up
with a recording started with the captions. Gaps are written out, never
skipped, and every export says the text is machine-generated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from plenary.core import docx as core_docx
from plenary.core.languages import AUTONYMS
from plenary.meetings.models import Session
from plenary.speech.models import CaptionSegment, CaptionStream


def origin(session: Session, segments: Sequence[CaptionSegment]) -> dt.datetime:
    first_stream = CaptionStream.objects.filter(session=session).order_by("started_at").first()
    candidates = [s.starts_at for s in segments[:1]]
    if first_stream is not None:
        candidates.append(first_stream.started_at)
    return min(candidates) if candidates else session.starts_at


def _clock(offset: dt.timedelta, separator: str) -> str:
    millis = max(0, int(offset.total_seconds() * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return f"{hours:02}:{minutes:02}:{seconds:02}{separator}{millis:03}"


def _text(segment: CaptionSegment) -> str:
    if segment.kind == CaptionSegment.Kind.GAP:
        seconds = round((segment.ends_at - segment.starts_at).total_seconds())
        return _("[No captions for %(seconds)s seconds]") % {"seconds": seconds}
    speaker = f"{segment.speaker_name}: " if segment.speaker_name else ""
    return f"{speaker}{segment.text}"


def _cues(
    session: Session, segments: Sequence[CaptionSegment], separator: str
) -> list[tuple[str, str, str]]:
    start = origin(session, segments)
    return [
        (_clock(s.starts_at - start, separator), _clock(s.ends_at - start, separator), _text(s))
        for s in segments
    ]


def webvtt(session: Session, segments: Sequence[CaptionSegment]) -> str:
    lines = ["WEBVTT", "", "NOTE " + _("Machine-generated captions; may contain errors."), ""]
    for index, (start, end, text) in enumerate(_cues(session, segments, "."), 1):
        # "-->" inside a cue would end it early.
        lines += [str(index), f"{start} --> {end}", text.replace("-->", "->"), ""]
    return "\n".join(lines)


def srt(session: Session, segments: Sequence[CaptionSegment]) -> str:
    lines: list[str] = []
    for index, (start, end, text) in enumerate(_cues(session, segments, ","), 1):
        lines += [str(index), f"{start} --> {end}", text, ""]
    return "\n".join(lines)


def docx(session: Session, segments: Sequence[CaptionSegment], language: str) -> bytes:
    """A verbatim-style record: heading, notice, then one paragraph per speaker turn."""
    from docx.enum.text import WD_PARAGRAPH_ALIGNMENT

    document = core_docx.new(language, session.title)
    document.add_heading(str(session.meeting.title), level=1)
    document.add_heading(session.title, level=2)
    when = formats.date_format(
        timezone.localtime(session.starts_at, session.meeting.tzinfo), "DATETIME_FORMAT"
    )
    document.add_paragraph(f"{when} — {AUTONYMS.get(language, language)}")
    notice = document.add_paragraph(
        _(
            "Machine-generated transcript; corrections by the secretariat are underlined. "
            "It is not an official record."
        )
    )
    notice.runs[0].italic = True
    current_speaker: str | None = None
    for segment in segments:
        if segment.kind == CaptionSegment.Kind.GAP:
            gap = document.add_paragraph(_text(segment))
            gap.alignment = WD_PARAGRAPH_ALIGNMENT.CENTER
            current_speaker = None
            continue
        if segment.speaker_name != current_speaker or current_speaker is None:
            current_speaker = segment.speaker_name
            paragraph = document.add_paragraph()
            label = segment.speaker_name or _("Speaker")
            paragraph.add_run(f"{label}: ").bold = True
        run = paragraph.add_run(segment.text + " ")
        if segment.edited_at is not None:
            run.underline = True
    return core_docx.save(document, language)
