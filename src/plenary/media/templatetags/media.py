from dataclasses import dataclass
from typing import Any

from django import template

from plenary.live.standing import standing_for
from plenary.media.services import channels_on_air
from plenary.media.views import channel_choices
from plenary.meetings.models import Participation, Session

register = template.Library()


@register.filter
def media_channels(session: Session) -> list[tuple[str, str]]:
    """The channels a listener may choose in ``session`` (the floor and each language)."""
    return channel_choices(session)


@register.filter
def media_on_air(session: Session) -> list[str]:
    """The language channels of ``session`` someone is heard on now (an interpreter on air)."""
    return channels_on_air(session)


@dataclass(frozen=True)
class MediaAccess:
    """Which media pages of a session the person viewing a page may open."""

    listen: bool = False
    room_feed: bool = False
    console: bool = False


@register.simple_tag(takes_context=True)
def media_access(context: template.Context, session: Session) -> MediaAccess:
    """What the signed-in person may open, decided as the media pages decide it.

    Used by the floor's pages to link only to the pages that would not refuse
    the person (``media:listen``, ``media:room_feed``, ``interpretation:console``).
    """
    request: Any = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return MediaAccess()
    standing = standing_for(user, session)
    if not standing.is_participant:
        return MediaAccess()
    offered = {code for code, _label in channel_choices(session)}
    booths = Participation.objects.filter(
        meeting_id=session.meeting_id, user=user, role=Participation.Role.INTERPRETER
    ).values_list("language", flat=True)
    return MediaAccess(
        listen=True,
        room_feed=Participation.Role.ROOM_OPERATOR in standing.roles,
        console=any(language in offered for language in booths),
    )
