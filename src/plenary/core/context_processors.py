from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from plenary.core.languages import AUTONYMS, is_rtl


def plenary(request: HttpRequest) -> dict[str, Any]:
    """Values every page needs: the language switcher and text direction."""
    current = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "language_choices": [(code, AUTONYMS[code]) for code, _name in settings.LANGUAGES],
        "text_direction": "rtl" if is_rtl(current) else "ltr",
        "demo_mode": settings.DEMO,
        "oidc_enabled": settings.OIDC_ENABLED,
    }
