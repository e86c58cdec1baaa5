"""Groups and payloads of caption events (sent through ``plenary.core.events.publish``).

Captions go to one group per session and language, so that a delegate on a
weak connection receives only the language they chose; stream status goes
to every socket of the session. Everything here is machine output and says so
(``"machine": true``), so that every client labels it.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from plenary.core.events import publish
from plenary.live.events import event, session_group
from plenary.speech.models import CaptionSegment, CaptionStream


def caption_group(session_id: int, language: str) -> str:
    return f"session-{session_id}-captions-{language}"


def worker_group(worker_id: int) -> str:
    return f"speech-worker-{worker_id}"


def segment_json(segment: CaptionSegment) -> dict[str, Any]:
    return {
        "id": segment.pk,
        "channel": segment.channel,
        "language": segment.language,
        "kind": segment.kind,
        "source": segment.source_id,
        "speaker": segment.speaker_name,
        "starts_at": segment.starts_at.isoformat(),
        "ends_at": segment.ends_at.isoformat(),
        "text": segment.text,
        "corrected": segment.edited_at is not None,
        "machine": True,
    }


def stream_json(stream: CaptionStream) -> dict[str, Any]:
    """A stream's state; ``interruption`` (``worker_lost``, ``worker_behind`` or ``""``) and
    ``interrupted_at`` say that its captions stopped and since when, until they resume."""
    return {
        "id": stream.pk,
        "channel": stream.channel,
        "language": stream.language,
        "status": stream.status,
        "detail": stream.detail,
        "voices": sorted(stream.voices),
        "interruption": stream.interruption,
        "interrupted_at": stream.interrupted_at.isoformat() if stream.interrupted_at else None,
    }


# What the caption panel says while a stream is interrupted (its template gives
# these, translated, as ``data-text-…``; the event carries only the code, since
# one frame goes to every socket whatever its language).
INTERRUPTION_TEXTS = {
    CaptionStream.Interruption.WORKER_LOST: _(
        "Captions paused: the speech worker stopped. They resume as soon as a worker "
        "takes over; the transcript marks the gap."
    ),
    CaptionStream.Interruption.WORKER_BEHIND: _(
        "Captions paused: the speech worker fell behind. They resume as soon as another "
        "worker takes over; the transcript marks the gap."
    ),
}


def publish_segment(segment: CaptionSegment, type_: str = "captions.final") -> None:
    publish(
        caption_group(segment.session_id, segment.language),
        event(type_, session=segment.session_id, segment=segment_json(segment)),
    )


def publish_partial(stream: CaptionStream, text: str) -> None:
    publish(
        caption_group(stream.session_id, stream.language),
        event(
            "captions.partial",
            session=stream.session_id,
            stream=stream.pk,
            channel=stream.channel,
            language=stream.language,
            text=text,
            machine=True,
        ),
    )


def publish_stream(stream: CaptionStream, coverage: dict[str, dict[str, str]]) -> None:
    """A stream's state changed; ``coverage`` (``services.caption_coverage``) says what
    each language of the session now gets."""
    publish(
        session_group(stream.session_id),
        event("captions.stream", stream=stream_json(stream), coverage=coverage),
    )


def send_to_worker(worker_id: int, message: dict[str, Any]) -> None:
    publish(worker_group(worker_id), message, handler="speech.command")
