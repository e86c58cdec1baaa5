"""Helpers the demo's meeting builders share."""

from __future__ import annotations

import datetime as dt

from plenary.meetings.models import Meeting, Room
from plenary.meetings.services import meetings as meeting_services


def session_data(
    meeting: Meeting, day: int, start: str, end: str, title: str, *, room: str | None = None
) -> meeting_services.SessionData:
    """A session on the meeting's ``day``-th day, ``start``-``end`` in its local time."""
    date = meeting.start_date + dt.timedelta(days=day)
    return meeting_services.SessionData(
        title=title,
        starts=dt.datetime.combine(date, dt.time.fromisoformat(start)),
        ends=dt.datetime.combine(date, dt.time.fromisoformat(end)),
        room=Room.objects.get(site=meeting.site, name=room) if room else None,
    )
