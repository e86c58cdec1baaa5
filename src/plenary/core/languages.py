"""The six official UN languages, the working languages of every meeting."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    """Language codes as Django uses them (``zh-hans`` for Chinese)."""

    ARABIC = "ar", _("Arabic")
    CHINESE = "zh-hans", _("Chinese")
    ENGLISH = "en", _("English")
    FRENCH = "fr", _("French")
    RUSSIAN = "ru", _("Russian")
    SPANISH = "es", _("Spanish")


UN_LANGUAGES: tuple[str, ...] = tuple(Language.values)
RTL_LANGUAGES: frozenset[str] = frozenset({Language.ARABIC})

# Each language's own name, shown in the language switcher so that a reader
# finds their language whatever the page's current language is.
AUTONYMS: dict[str, str] = {
    "ar": "العربية",
    "zh-hans": "中文",
    "en": "English",
    "fr": "Français",
    "ru": "Русский",
    "es": "Español",
}


def is_rtl(code: str) -> bool:
    return code in RTL_LANGUAGES


def validate_languages(codes: list[str]) -> list[str]:
    """Return ``codes`` de-duplicated in UN order; raise ``ValueError`` on an unknown code."""
    unknown = sorted(set(codes) - set(UN_LANGUAGES))
    if unknown:
        raise ValueError(", ".join(unknown))
    return [code for code in UN_LANGUAGES if code in codes]
