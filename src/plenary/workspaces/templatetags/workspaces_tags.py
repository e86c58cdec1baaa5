"""The workspaces' template tags: the header's link with its unread count, and times."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from plenary.workspaces.events import unread_notices

register = template.Library()


@register.inclusion_tag("workspaces/_nav_item.html", takes_context=True)
def workspaces_nav_item(context: dict[str, Any]) -> dict[str, Any]:
    """The header's "My day" (signed in) and "Workspaces" links, the latter with the
    reader's unread notices."""
    user = context.get("user")
    signed_in = bool(getattr(user, "is_authenticated", False))
    return {
        "signed_in": signed_in,
        "unread": unread_notices(user.pk) if signed_in and user is not None else 0,
    }


@register.filter
def moment(value: str) -> dt.datetime | str:
    """An ISO 8601 time (as the sockets carry it) as a local datetime for ``|date``."""
    try:
        return timezone.localtime(dt.datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return ""
