"""The personal start page: what is one's own today, each item a link.

My meetings today (with "Live now") and in the next seven days; the
submission deadlines ahead for the documents and proposals I may submit;
notices (mentions, replies, followed topics) not read yet; documents awaiting
me (the secretariat: submissions to publish; a delegate: my entity's
submissions awaiting the secretariat); my entity's registrations waiting for
me as focal point. Nothing generic: an empty section is not shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils import timezone

from plenary.documents.models import Document, Series
from plenary.documents.services.access import may_manage, submitting_entities
from plenary.meetings.models import Meeting, Registration
from plenary.meetings.queries import MyMeeting, meetings_of, pending_approvals
from plenary.proposals.models import Deadline as ProposalDeadline
from plenary.workspaces import queries
from plenary.workspaces.models import Notification

WEEK = dt.timedelta(days=7)


@dataclass(frozen=True)
class Deadline:
    label: str
    closes_at: dt.datetime
    url: str


@dataclass
class StartPage:
    today: list[MyMeeting] = field(default_factory=list)
    week: list[MyMeeting] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    notices: list[Notification] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    registrations: list[Registration] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            [
                self.today,
                self.week,
                self.deadlines,
                self.notices,
                self.documents,
                self.registrations,
            ]
        )


def _meetings(user: Any, now: dt.datetime, page: StartPage) -> list[Meeting]:
    current = meetings_of(user, now=now).current
    for row in current:
        local_today = now.astimezone(row.meeting.tzinfo).date()
        starts = [s.starts_at.astimezone(row.meeting.tzinfo).date() for s in row.upcoming_sessions]
        if any(way.live for way in row.ways_in) or local_today in starts:
            page.today.append(row)
        elif any(s.starts_at < now + WEEK for s in row.upcoming_sessions):
            page.week.append(row)
    return [row.meeting for row in current]


def _deadlines(user: Any, meetings: list[Meeting], now: dt.datetime) -> list[Deadline]:
    found = []
    for meeting in meetings:
        manager = may_manage(user, meeting)
        if not manager and not submitting_entities(user, meeting):
            continue
        for series in Series.objects.filter(meeting=meeting, deadline__gt=now):
            if manager or series.delegates_submit:
                found.append(
                    Deadline(
                        f"{meeting.title} · {series.prefix}",
                        series.deadline,  # type: ignore[arg-type]
                        reverse("documents:submit", args=[meeting.code]),
                    )
                )
    if user.entity_id:
        for deadline in ProposalDeadline.objects.filter(closes_at__gt=now).select_related(
            "conference"
        ):
            found.append(
                Deadline(
                    f"{deadline.conference.code} · {deadline.get_kind_display()}",
                    deadline.closes_at,
                    reverse("proposals:conferences"),
                )
            )
    return sorted(found, key=lambda d: d.closes_at)


def _documents(user: Any, meetings: list[Meeting]) -> list[Document]:
    submitted = Document.objects.filter(state=Document.State.SUBMITTED).select_related(
        "series__meeting", "entity"
    )
    managed = [m.pk for m in meetings if may_manage(user, m)]
    if user.is_secretariat:
        awaiting = submitted
    elif managed or user.entity_id:
        awaiting = submitted.filter(series__meeting__in=managed) | submitted.filter(
            entity_id=user.entity_id or 0
        )
    else:
        return []
    return list(awaiting.order_by("submitted_at", "pk")[:20])


def start_page(user: Any, now: dt.datetime | None = None) -> StartPage:
    now = now or timezone.now()
    page = StartPage()
    meetings = _meetings(user, now, page)
    page.deadlines = _deadlines(user, meetings, now)
    page.notices = queries.notices(user, unread_only=True, limit=20)
    page.documents = _documents(user, meetings)
    page.registrations = list(pending_approvals(user)[:20])
    return page
