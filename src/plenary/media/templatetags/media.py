from django import template

from plenary.media.views import channel_choices
from plenary.meetings.models import Session

register = template.Library()


@register.filter
def media_channels(session: Session) -> list[tuple[str, str]]:
    """The channels a listener may choose in ``session`` (the floor and each language)."""
    return channel_choices(session)
