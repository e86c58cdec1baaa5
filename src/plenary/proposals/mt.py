"""The PMS's one call into machine translation (``plenary.speech.mt``, the speech
plane's choke point: it raises ``ModelMissing`` or ``EngineError`` only).

The PMS only asks for drafts. Without a model for the language pair the
translation simply stays pending and the page says that no MT model is
installed; a model that fails is a clear, translated refusal.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from plenary.core.errors import Refusal
from plenary.speech import mt
from plenary.speech.engines.base import EngineError, ModelMissing


def translate(texts: list[str], source: str, target: str) -> list[str] | None:
    """Machine translations of ``texts``, or ``None`` when no model serves the pair."""
    try:
        return mt.translate_texts(texts, source, target)
    except ModelMissing:
        return None
    except EngineError as error:  # a model failed to load or run
        raise Refusal(
            _("Machine translation failed: %(error)s") % {"error": error}, code="mt_failed"
        ) from None
