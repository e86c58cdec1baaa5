"""Booth names and on-air booths for pages of other apps (captions, listen pages)."""

from __future__ import annotations

from django import template

from plenary.interpretation import booths, services
from plenary.meetings.models import Session

register = template.Library()


@register.filter
def booth_name(code: str) -> str:
    """``{{ "fr"|booth_name }}``: "French booth" in the page's language."""
    return booths.booth_name(code)


@register.simple_tag
def booths_on_air(session: Session) -> str:
    """The languages whose booth has an interpreter on air now, comma-separated
    (pages keep it current from the session's ``booth.state`` events)."""
    return ",".join(services.languages_on_air(session))
