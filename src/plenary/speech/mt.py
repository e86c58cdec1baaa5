"""Machine translation for any part of Plenary (captions, proposals, documents).

The contract other apps rely on::

    translate_texts(texts, source, target) -> list[str]   # same length and order
    available_pairs() -> set[tuple[str, str]]              # (source, target) UN codes
    ModelMissing                                           # no model serves the pair

Models are the operator's CTranslate2 conversions and Argos packages (see
:mod:`plenary.speech.engines.catalog`); each loads once per process.
``glossary`` forces a meeting's terms: each source term found in a text is
replaced by the agreed target term before translation, which NMT models
copy through, so the delegates' agreed wording survives.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from plenary.speech.engines import catalog, loader
from plenary.speech.engines.base import ModelMissing

__all__ = ["ModelMissing", "available_pairs", "translate_texts"]


def available_pairs() -> set[tuple[str, str]]:
    """Every (source, target) pair some installed model translates."""
    return {pair for model in catalog.installed_models() for pair in model.pairs}


def _model_for(source: str, target: str) -> catalog.ModelInfo:
    for model in catalog.installed_models():
        if (source, target) in model.pairs:
            return model
    raise ModelMissing(f"No translation model from {source} to {target}.")


def _force_terms(text: str, glossary: Mapping[str, str]) -> str:
    for term in sorted(glossary, key=len, reverse=True):
        if term.strip():
            pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)
            # Escaped, so that backslashes in the agreed term stay literal.
            text = pattern.sub(glossary[term].replace("\\", "\\\\"), text)
    return text


def translate_texts(
    texts: list[str], source: str, target: str, *, glossary: Mapping[str, str] | None = None
) -> list[str]:
    """Translate ``texts`` from ``source`` to ``target`` (UN codes, e.g. ``zh-hans``).

    Returns the texts unchanged when ``source == target``. Raises
    :class:`ModelMissing` when no installed model serves the pair, and
    ``EngineError`` when the model fails to load or decode.
    ``glossary`` maps source terms to the target terms to force.
    """
    if source == target or not texts:
        return list(texts)
    model = loader.translator(_model_for(source, target))
    if glossary:
        texts = [_force_terms(text, glossary) for text in texts]
    return model.translate(texts, source=source, target=target)
