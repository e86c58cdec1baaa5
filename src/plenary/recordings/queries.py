"""Who may watch a recording, and the recordings a page lists.

A recording follows its meeting's webcast policy: anyone may watch it where
the meeting has a public webcast; otherwise those who may enter its sessions
(``meetings.queries.has_way_in``: its participants, its secretariat and those
who manage it).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from plenary.core.errors import NotFoundRefusal
from plenary.core.languages import UN_LANGUAGES
from plenary.meetings.models import Meeting
from plenary.meetings.queries import has_way_in
from plenary.provisioning.models import Service, ServiceRequest
from plenary.recordings.models import Recording
from plenary.speech.models import CaptionSegment


def has_public_webcast(meeting: Meeting) -> bool:
    return (
        meeting.status == Meeting.Status.PUBLISHED
        and ServiceRequest.objects.filter(
            meeting=meeting,
            service=Service.WEBCAST,
            status=ServiceRequest.Status.PROVISIONED,
            public=True,
        ).exists()
    )


def may_watch(user: Any, meeting: Meeting) -> bool:
    return has_way_in(user, meeting) or has_public_webcast(meeting)


def watchable(user: Any, recording_id: int) -> Recording:
    """The recording, if ``user`` may watch it; not found otherwise (whether it
    exists is not told to those who may not see it)."""
    recording = Recording.objects.select_related("session__meeting").filter(pk=recording_id).first()
    if recording is None or not may_watch(user, recording.session.meeting):
        raise NotFoundRefusal(_("There is no recording at this address."))
    return recording


def of_meeting(meeting: Meeting) -> QuerySet[Recording]:
    """The meeting's recordings, session by session."""
    return (
        Recording.objects.filter(session__meeting=meeting)
        .select_related("session")
        .order_by("session__starts_at", "started_at")
    )


def transcript_languages(recording: Recording) -> list[str]:
    """The languages the session's captions are in, in UN order."""
    found = set(
        CaptionSegment.objects.filter(session_id=recording.session_id)
        .exclude(kind=CaptionSegment.Kind.GAP)
        .values_list("language", flat=True)
        .distinct()
    )
    return [code for code in UN_LANGUAGES if code in found]
