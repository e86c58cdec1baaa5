"""The recordings' template tags: the meeting page's link to its archive, the webcast
page's link to the live stream."""

from __future__ import annotations

from typing import Any

from django import template

from plenary.meetings.models import Meeting, Session
from plenary.recordings import queries
from plenary.recordings.models import Recording

register = template.Library()


@register.inclusion_tag("recordings/_archive_link.html", takes_context=True)
def recordings_link(context: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    """The link to the meeting's recordings, for those who may watch them, once there is one."""
    user = context.get("user")
    shown = queries.of_meeting(meeting).exists() and queries.may_watch(user, meeting)
    return {"meeting": meeting, "shown": shown}


@register.inclusion_tag("recordings/_live_link.html")
def live_link(session: Session | str) -> dict[str, Any]:
    """The link to the session's live HLS webcast (a standard player, any audience),
    while it is recorded and packaged live. The page that shows it decides who sees it."""
    recording = (
        Recording.objects.filter(session=session, status=Recording.Status.RECORDING).first()
        if isinstance(session, Session)
        else None  # no session live: the page passes nothing
    )
    live = recording is not None and (recording.live_folder / "index.m3u8").is_file()
    return {"recording": recording if live else None}
