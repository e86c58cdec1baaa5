"""Text as people type it: kept clean (``typed``), and folded for search (``fold``)."""

from __future__ import annotations

import unicodedata

TATWEEL = "\u0640"


def fold(text: str) -> str:
    """Casefold and strip accents and Arabic diacritics, for portable ``icontains``.

    The same folding is applied to the stored search column and to the query,
    so "Règlement" matches "reglement", Russian yo matches ie, and vocalised Arabic
    matches unvocalised Arabic, on SQLite and PostgreSQL alike.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace(TATWEEL, ""))
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return unicodedata.normalize("NFC", stripped)


def typed(text: str) -> str:
    """What someone typed, as it is kept: line breaks as ``\\n``, no control characters
    (tabs and line breaks aside), trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(
        ch for ch in text if ch in "\n\t" or not unicodedata.category(ch).startswith("C")
    ).strip()
