"""iCalendar files: one meeting, or a person's feed of all their meetings.

Each session is one event in the meeting's local time zone (with its
VTIMEZONE), located in its room and site, or "Online" for a fully virtual
meeting; a participant's own join link goes into the description.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from plenary.accounts.models import User
from plenary.meetings.models import Meeting, Session
from plenary.provisioning import links, services
from plenary.provisioning.queries import meetings_of

PRODID = "-//Plenary//Meetings//EN"


def _location(session: Session) -> str:
    meeting = session.meeting
    if meeting.site is None:
        return _("Online")
    if session.room is not None:
        return f"{session.room.name}, {meeting.site.name}, {meeting.site.city}"
    return f"{meeting.site.name}, {meeting.site.city}"


def _events(meeting: Meeting, user: User | None) -> Iterable[Event]:
    link = services.join_link_for(user, meeting) if user is not None else None
    url = links.meeting_url(meeting)
    host = settings.BASE_URL.split("://", 1)[-1]
    for session in meeting.sessions.select_related("room"):
        event = Event()
        event.add("uid", f"session-{session.pk}@{host}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", session.local_start())
        event.add("dtend", session.local_end())
        event.add("summary", f"{meeting.title}: {session.title}")
        event.add("location", _location(session))
        event.add("url", url)
        description = [meeting.code, url]
        if link is not None:
            description.append(_("Join remotely: %(url)s") % {"url": links.join_url(link.token)})
        event.add("description", "\n".join(description))
        yield event


def _calendar(name: str, meetings: Iterable[Meeting], user: User | None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    # Subscribed calendar apps fetch the feed again after this long.
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for meeting in meetings:
        for event in _events(meeting, user):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def meeting_calendar(meeting: Meeting, user: User | None) -> bytes:
    """The meeting's sessions; with ``user``'s join link where they have one."""
    return _calendar(meeting.title, [meeting], user)


def user_calendar(user: User) -> bytes:
    """Every meeting ``user`` takes part in or organises, in their preferred language."""
    with translation.override(user.preferred_language):
        return _calendar(_("My meetings"), meetings_of(user), user)
