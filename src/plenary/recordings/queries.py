"""Who may watch a recording, and the recordings a page lists.

A recording follows its meeting's webcast policy: anyone may watch it where
the meeting has a public webcast; otherwise those who may enter its sessions
(``meetings.queries.has_way_in``: its participants, its secretariat and those
who manage it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TypeVar, cast

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from plenary.core.errors import NotFoundRefusal
from plenary.core.languages import UN_LANGUAGES
from plenary.meetings.models import Meeting
from plenary.meetings.queries import has_way_in
from plenary.provisioning.models import Service, ServiceRequest
from plenary.recordings.models import Recording
from plenary.speech.models import CaptionSegment

T = TypeVar("T")


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


class Moment:
    """Answers remembered by this process for ``seconds``: every listener of a live
    webcast asks about twice a second, and a change (the recording stops, the webcast
    is withdrawn) may take that long to apply."""

    def __init__(self, seconds: float = 2.0, most: int = 10_000):
        self.seconds = seconds
        self._most = most
        self._known: dict[Hashable, tuple[float, Any]] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        now = time.monotonic()
        known = self._known.get(key)
        if known is not None and known[0] > now:
            return cast(T, known[1])
        value = compute()
        if len(self._known) >= self._most:  # many viewers signed in: start afresh
            self._known.clear()
        self._known[key] = (now + self.seconds, value)
        return value

    def clear(self) -> None:
        self._known.clear()


_live_folders = Moment()
LIVE_STATUSES = (Recording.Status.RECORDING, Recording.Status.QUEUED, Recording.Status.PACKAGING)


def live_folder_for(session_key: str, recording_id: int) -> tuple[Path, bool] | None:
    """The live folder of a recording, live or just ended, and whether its webcast is
    public, if the holder of the browser session ``session_key`` ("" without one) may
    hear it; ``None`` otherwise. Decided for a moment."""

    def decide() -> tuple[Path, bool] | None:
        from django.contrib.auth import get_user
        from django.contrib.sessions.backends.base import SessionBase
        from django.utils.module_loading import import_string

        store: type[SessionBase] = import_string(f"{settings.SESSION_ENGINE}.SessionStore")
        user = get_user(SimpleNamespace(session=store(session_key or None)))  # type: ignore[arg-type]
        try:
            recording = watchable(user, recording_id)
        except NotFoundRefusal:
            return None
        if recording.status not in LIVE_STATUSES:
            return None
        return recording.live_folder, has_public_webcast(recording.session.meeting)

    return _live_folders.get((session_key, recording_id), decide)


def forget_live_decisions() -> None:
    """Decide afresh in this process (a change that must apply at once; tests)."""
    _live_folders.clear()


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
