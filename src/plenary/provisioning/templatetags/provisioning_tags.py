"""Template tags other apps use to show provisioned services."""

from typing import Any

from django import template

from plenary.accounts.models import User
from plenary.meetings.models import Meeting
from plenary.provisioning import links, policy, queries, services
from plenary.provisioning.models import Service

register = template.Library()


@register.inclusion_tag("provisioning/_meeting_panel.html", takes_context=True)
def provisioning_panel(context: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    """The services of ``meeting`` as the current user may see them: their join link
    (created on first view), calendar file and feed, the public webcast link, and for
    those who manage the meeting the status of each service."""
    request = context.get("request")
    user = getattr(request, "user", None)
    webcast = queries.provisioned(meeting, Service.WEBCAST)
    panel: dict[str, Any] = {
        "meeting": meeting,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "webcast": webcast if webcast is not None and webcast.public else None,
    }
    if isinstance(user, User) and user.is_authenticated:
        manages = policy.may_manage(user, meeting)
        panel |= {
            "join_link": services.join_link_for(user, meeting),
            "feed_url": links.feed_url(services.calendar_feed_for(user).token),
            "manages": manages,
            "requests": queries.latest_requests(meeting) if manages else [],
        }
    return panel


@register.inclusion_tag("provisioning/_nav_item.html", takes_context=True)
def provisioning_nav_item(context: dict[str, Any]) -> dict[str, Any]:
    """The main menu's entry to the approvers' queue, for those who decide requests."""
    user = context.get("user")
    return {"show": isinstance(user, User) and user.is_authenticated and user.is_secretariat}
