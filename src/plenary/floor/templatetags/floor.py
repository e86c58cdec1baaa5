"""Template tags of the floor, for pages of apps that may not import it (the public webcast)."""

from __future__ import annotations

from django import template
from django.utils.html import json_script
from django.utils.safestring import SafeString

from plenary.floor.views import live_texts

register = template.Library()


@register.simple_tag
def live_texts_script() -> SafeString:
    """``live.js``'s texts in the page's language, as the ``live-texts`` JSON script."""
    return json_script(live_texts(), "live-texts")
