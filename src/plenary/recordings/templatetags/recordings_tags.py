"""The recordings' template tag: the meeting page's link to its archive."""

from __future__ import annotations

from typing import Any

from django import template

from plenary.meetings.models import Meeting
from plenary.recordings import queries

register = template.Library()


@register.inclusion_tag("recordings/_archive_link.html", takes_context=True)
def recordings_link(context: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    """The link to the meeting's recordings, for those who may watch them, once there is one."""
    user = context.get("user")
    shown = queries.of_meeting(meeting).exists() and queries.may_watch(user, meeting)
    return {"meeting": meeting, "shown": shown}
