"""How booths are named on pages: one phrase per language, never "%(language)s booth".

Gluing a language name into a sentence gives wrong grammar in most languages
("Cabine Français" instead of "Cabine française", Russian case endings), so
each booth, and the relay from it, has its own translatable phrase.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

BOOTH_NAMES: dict[str, Promise] = {
    "ar": _("Arabic booth"),
    "zh-hans": _("Chinese booth"),
    "en": _("English booth"),
    "fr": _("French booth"),
    "ru": _("Russian booth"),
    "es": _("Spanish booth"),
}

RELAY_NAMES: dict[str, Promise] = {
    "ar": _("Relay from the Arabic booth"),
    "zh-hans": _("Relay from the Chinese booth"),
    "en": _("Relay from the English booth"),
    "fr": _("Relay from the French booth"),
    "ru": _("Relay from the Russian booth"),
    "es": _("Relay from the Spanish booth"),
}


def booth_name(code: str) -> str:
    """The booth interpreting into ``code``, in the active language ("French booth")."""
    name = BOOTH_NAMES.get(code)
    return str(name) if name is not None else code


def relay_name(code: str) -> str:
    """Hearing the booth of ``code`` as a relay, in the active language."""
    name = RELAY_NAMES.get(code)
    return str(name) if name is not None else code
