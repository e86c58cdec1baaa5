"""What happened when, on a recording's timeline: chapters from the floor's events, the
transcript from the captions, and WebVTT from the same lines (a download, and the
HLS subtitle renditions).

Read at request time, so a caption the secretariat corrected after the session
shows corrected; what falls in a part the secretariat cut is left out. Everything
is placed on the recording's timeline from its own wall-clock time
(``Recording.origin``), as the audio was.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from plenary.floor.models import SessionEvent
from plenary.recordings.models import Recording
from plenary.speech.models import CaptionSegment

# A floor ended and given again within this is one hand-over, not a turn of the chair.
HANDOVER = dt.timedelta(seconds=2)
_FLOOR_EVENTS = ("floor.given", "floor.ended", "session.suspended", "session.closed")


@dataclass(frozen=True)
class Chapter:
    at: float  # seconds from the recording's start
    kind: str  # a request kind ("speak", "point_of_order", ...) or "chair"
    who: str  # the delegation, else the person ("" for the chair)

    @property
    def title(self) -> str:
        """The chapter's name in the active language."""
        if self.kind == "chair":
            return _("Chair")
        titles = {
            "point_of_order": _("Point of order — %(who)s"),
            "right_of_reply": _("Right of reply — %(who)s"),
            "contribution": _("Contribution — %(who)s"),
        }
        return titles.get(self.kind, "%(who)s") % {"who": self.who}


@dataclass(frozen=True)
class Line:
    at: float
    end: float
    text: str
    speaker: str


def _span(recording: Recording) -> tuple[dt.datetime, dt.datetime] | None:
    if recording.origin is None or recording.duration_s is None:
        return None
    return recording.origin, recording.origin + dt.timedelta(seconds=recording.duration_s)


def _seconds(recording: Recording, moment: dt.datetime) -> float:
    assert recording.origin is not None  # noqa: S101 - callers hold a span
    return round(max((moment - recording.origin).total_seconds(), 0.0), 1)


def chapters(recording: Recording) -> list[Chapter]:
    """A chapter per turn on the floor, and the chair's between them; the first is the
    turn under way when the recording started."""
    span = _span(recording)
    if span is None:
        return []
    events = list(
        SessionEvent.objects.filter(
            session_id=recording.session_id, kind__in=_FLOOR_EVENTS, at__lte=span[1]
        )
        .order_by("seq")
        .values_list("kind", "data", "at")
    )
    turns: list[tuple[dt.datetime, str, str]] = []  # when, kind, who
    for index, (kind, data, at) in enumerate(events):
        if kind == "floor.given":
            request = data.get("request", {})
            who = str(request.get("entity") or request.get("name") or "")
            turns.append((at, str(request.get("kind", "speak")), who))
            continue
        following = events[index + 1] if index + 1 < len(events) else None
        if not (following and following[0] == "floor.given" and following[2] - at < HANDOVER):
            turns.append((at, "chair", ""))
    before = [turn for turn in turns if turn[0] < span[0]]
    first = before[-1] if before else (span[0], "chair", "")
    found = [Chapter(0.0, first[1], first[2])]
    for at, kind, who in turns:
        if at >= span[0] and (kind, who) != (found[-1].kind, found[-1].who):
            found.append(Chapter(_seconds(recording, at), kind, who))
    return [chapter for chapter in found if not _in_cut(recording, chapter.at, chapter.at)]


def _in_cut(recording: Recording, start: float, end: float) -> bool:
    """Whether ``start`` to ``end`` (seconds) touches a part the secretariat cut."""
    return any(cut["start"] <= end and start <= cut["end"] for cut in recording.cuts)


def transcript(recording: Recording, language: str) -> list[Line]:
    """The captions in ``language`` (recognised or translated) during the recording."""
    span = _span(recording)
    if span is None:
        return []
    segments = (
        CaptionSegment.objects.filter(
            session_id=recording.session_id,
            language=language,
            starts_at__lt=span[1],
            ends_at__gt=span[0],
        )
        .exclude(kind=CaptionSegment.Kind.GAP)
        .exclude(text="")
        .order_by("starts_at", "id")
        .values_list("starts_at", "ends_at", "text", "speaker_name")
    )
    lines = [
        Line(_seconds(recording, start), _seconds(recording, end), text, speaker)
        for start, end, text, speaker in segments
    ]
    return [line for line in lines if not _in_cut(recording, line.at, line.end)]


def _cue_time(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{round((seconds - whole) * 1000):03d}"


def _escaped(text: str) -> str:
    """Cue text as WebVTT reads it: ``&``, ``<`` and ``>`` as character references."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def subtitle_playlist(seconds: float, webvtt_uri: str) -> str:
    """An HLS subtitle playlist of one WebVTT file covering the whole recording."""
    length = max(seconds, 1.0)
    return "\n".join(
        [
            "#EXTM3U",
            "#EXT-X-VERSION:3",
            f"#EXT-X-TARGETDURATION:{math.ceil(length)}",
            "#EXT-X-PLAYLIST-TYPE:VOD",
            f"#EXTINF:{length:.3f},",
            webvtt_uri,
            "#EXT-X-ENDLIST",
            "",
        ]
    )


def webvtt(lines: list[Line]) -> str:
    """The lines as a WebVTT file (a cue per line, the speaker as its voice)."""
    cues = ["WEBVTT", ""]
    for line in lines:
        text = _escaped(line.text.replace("\n", " ").strip())
        voice = _escaped(line.speaker.strip())
        cues.append(f"{_cue_time(line.at)} --> {_cue_time(max(line.end, line.at + 0.5))}")
        cues.append(f"<v {voice}>{text}" if voice else text)
        cues.append("")
    return "\n".join(cues)
