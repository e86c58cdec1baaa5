"""Template tags other apps use to show provisioned services."""

from typing import Any

from django import template

register = template.Library()


@register.inclusion_tag("provisioning/_meeting_panel.html", takes_context=True)
def provisioning_panel(context: dict[str, Any], meeting: Any) -> dict[str, Any]:
    """The services of ``meeting`` as the current user may see them (join link, webcast)."""
    return {"meeting": meeting, "request": context.get("request")}
