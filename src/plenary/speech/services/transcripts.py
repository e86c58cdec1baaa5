"""The stored transcript: reading a session's segments, and the secretariat's
corrections of them."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.core import audit
from plenary.core.errors import NotFoundRefusal
from plenary.meetings.models import Session
from plenary.speech import events
from plenary.speech.models import CaptionSegment, SegmentEdit
from plenary.speech.services.access import check_correct_segment


def transcript(session: Session, language: str) -> QuerySet[CaptionSegment]:
    return CaptionSegment.objects.filter(session=session, language=language).order_by(
        "starts_at", "id"
    )


def recent_segments(session_id: int, language: str, limit: int = 20) -> list[CaptionSegment]:
    newest = CaptionSegment.objects.filter(session_id=session_id, language=language).order_by(
        "-starts_at", "-id"
    )
    return list(reversed(newest[:limit]))


@transaction.atomic
def do_correct_segment(user: Any, segment_id: int, text: str) -> CaptionSegment:
    try:
        segment = (
            CaptionSegment.objects.select_for_update()
            .select_related("session__meeting")
            .get(pk=segment_id)
        )
    except CaptionSegment.DoesNotExist:
        raise NotFoundRefusal(_("This caption segment does not exist.")) from None
    text = check_correct_segment(user, segment, text)
    if text == segment.text:
        return segment
    SegmentEdit.objects.create(
        segment=segment, editor=user, previous_text=segment.text, new_text=text
    )
    segment.text = text
    segment.edited_at = timezone.now()
    segment.save(update_fields=["text", "edited_at"])
    audit.record(user, "speech.segment_corrected", segment.session, segment=segment.pk)
    events.publish_segment(segment, "captions.corrected")
    return segment
