"""The one call into machine translation (``plenary.speech.mt``, built by the speech app).

The speech plane owns the engines; the PMS only asks for drafts. When the
module or a model for the language pair is missing, the translation simply
stays pending and the page says that no MT model is installed.
"""

from __future__ import annotations

import importlib

from django.utils.translation import gettext as _

from plenary.core.errors import Refusal


def translate(texts: list[str], source: str, target: str) -> list[str] | None:
    """Machine translations of ``texts``, or ``None`` when no model is installed."""
    try:
        engine = importlib.import_module("plenary.speech.mt")
    except ImportError:
        return None
    try:
        result: list[str] = engine.translate_texts(texts, source, target)
    except engine.ModelMissing:
        return None
    except RuntimeError as error:  # the engine's EngineError: a model failed to load or run
        raise Refusal(
            _("Machine translation failed: %(error)s") % {"error": error}, code="mt_failed"
        ) from None
    return result
