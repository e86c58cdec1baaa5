from django import template

from plenary.proposals.changes import in_language

register = template.Library()


@register.filter
def in_lang(texts: dict[str, str], language: str) -> str:
    """The text in ``language``, else English, else any: ``{{ texts|in_lang:"fr" }}``."""
    if not texts:
        return ""
    return in_language(texts, language, "en") or next(iter(texts.values()), "")
