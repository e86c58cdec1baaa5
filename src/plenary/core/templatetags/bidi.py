"""Isolate user-entered text from the text around it, for right-to-left pages."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def bdi(value: object) -> SafeString:
    """``value`` escaped inside ``<bdi>``: a Latin title keeps its place in an
    Arabic sentence, e.g. ``{% blocktranslate with title=meeting.title|bdi %}``."""
    return format_html("<bdi>{}</bdi>", value)
