"""``{% guidance_gate meeting %}``: the guideline link and "I have read" step for join pages."""

from __future__ import annotations

from typing import Any

from django import template

from plenary.guidance import services
from plenary.meetings.models import Meeting

register = template.Library()


@register.inclusion_tag("guidance/_gate.html", takes_context=True)
def guidance_gate(context: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    """Show the guideline in force for ``meeting`` and, if still needed, the confirmation form.

    Join pages should also call ``services.pending_guideline`` on the server
    and refuse to join while it returns a guideline.
    """
    request = context["request"]
    user = request.user
    pending = services.pending_guideline(user, meeting) if user.is_authenticated else None
    return {
        "meeting": meeting,
        "guideline": services.guideline_for_meeting(meeting),
        "pending": pending,
        "required": services.acknowledgement_required(meeting),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("guidance/_meeting_setting.html", takes_context=True)
def guidance_setting(context: dict[str, Any], meeting: Meeting) -> dict[str, Any]:
    """The organiser's switch for the "I have read" step, for meeting settings pages."""
    request = context["request"]
    return {
        "meeting": meeting,
        "required": services.acknowledgement_required(meeting),
        "guideline": services.guideline_for_meeting(meeting),
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
