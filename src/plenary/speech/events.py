"""Groups and payloads of caption events (sent through ``plenary.core.events.publish``).

Captions go to one group per session and language, so that a delegate on a
weak connection receives only the language they chose; stream status goes
to every socket of the session. Everything here is machine output and says so
(``"machine": true``), so that every client labels it.
"""

from __future__ import annotations

from typing import Any

from plenary.core.events import publish
from plenary.floor.events import event, session_group
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
    return {
        "id": stream.pk,
        "channel": stream.channel,
        "language": stream.language,
        "status": stream.status,
        "detail": stream.detail,
        "voices": sorted(stream.voices),
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
