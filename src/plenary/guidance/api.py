"""Guidance and training API (``/api/v1/guidance/``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from plenary.guidance import services
from plenary.guidance.models import Guideline
from plenary.meetings.models import Meeting

router = Router(tags=["guidance"])


class GuidelineOut(Schema):
    sector: str
    version: int
    in_force_from: dt.date
    text: str
    url: str


class MeetingGuidanceOut(Schema):
    guideline: GuidelineOut | None
    acknowledgement_required: bool
    acknowledged: bool


class CompletionIn(Schema):
    module: str
    results: dict[str, Any] = {}


class CompletionOut(Schema):
    module: str
    completed_at: dt.datetime


def _guideline_out(guideline: Guideline) -> GuidelineOut:
    return GuidelineOut(
        sector=guideline.sector.code,
        version=guideline.version,
        in_force_from=guideline.in_force_from,
        text=guideline.text,
        url=f"/guidance/guidelines/{guideline.sector.code}/v{guideline.version}/",
    )


@router.get("/meetings/{meeting_id}", response=MeetingGuidanceOut)
def meeting_guidance(request: HttpRequest, meeting_id: int) -> MeetingGuidanceOut:
    """The guideline version a meeting links to, and whether the caller must still confirm it."""
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    guideline = services.guideline_for_meeting(meeting)
    pending = services.pending_guideline(request.user, meeting)  # type: ignore[arg-type]
    return MeetingGuidanceOut(
        guideline=_guideline_out(guideline) if guideline else None,
        acknowledgement_required=services.acknowledgement_required(meeting),
        acknowledged=guideline is not None and pending is None,
    )


@router.post("/completions", response={201: CompletionOut})
def record_completion(request: HttpRequest, payload: CompletionIn) -> tuple[int, CompletionOut]:
    completion = services.do_record_completion(
        request.user,  # type: ignore[arg-type]
        payload.module,
        payload.results,
    )
    return 201, CompletionOut(module=completion.module, completed_at=completion.completed_at)
