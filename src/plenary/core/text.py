"""Folding text for search: the same on the stored column and on the query."""

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
