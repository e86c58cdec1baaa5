"""Full-text search over documents: SQLite FTS5 on the embedded default, PostgreSQL's
full-text search on the scale-out one, one normalisation for both.

``SearchText.text`` holds the searchable form of a document's titles,
abstracts, authors and extracted text in every language, in a table of its
own (the documents' rows stay small: the register counts and sorts them
without reading any text); the database keeps its own index of that column
(an FTS5 table kept by triggers, or a GIN index on
``to_tsvector('simple', text)``, see migration 0002). Words are
normalised the same way when stored and when asked for:

- case, accents and Arabic diacritics folded (``core.text.fold``);
- Arabic letter variants unified (alef forms, teh marbuta, alef maksura) and
  the article with its attached particles (wa-l, bi-l, fa-l, ka-l, li-l, al)
  taken off, so "al-ittisalat" and "ittisalat" meet;
- Chinese and Japanese characters each made a word of their own (these
  scripts do not separate words), and a query's run of them searched as a
  phrase: the characters side by side, never scattered.

Both engines use their plain tokeniser ("unicode61", "simple"): stemming for
six languages would need six configurations and still miss Arabic and Chinese.
"""

from __future__ import annotations

import re
from typing import TypeVar

from django.db import connection, models
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from plenary.core.text import fold

M = TypeVar("M", bound=models.Model)

# PostgreSQL refuses a tsvector above 1 MB; this much text stays well below it.
MAX_INDEXED_CHARS = 600_000
MAX_QUERY_TERMS = 12

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"([{_CJK}])")
_WORD = re.compile(rf"[{_CJK}]+|[^\W{_CJK}]+")
# Alef with hamza above, below, madda, wasla: alef; teh marbuta: heh; alef maksura: yeh.
_ALEF, _HEH, _YEH = "\u0627", "\u0647", "\u064a"
_ARABIC_VARIANTS = str.maketrans(
    {"\u0623": _ALEF, "\u0625": _ALEF, "\u0622": _ALEF, "\u0671": _ALEF}
    | {"\u0629": _HEH, "\u0649": _YEH}
)
# The article (al-) alone or after wa-, bi-, fa-, ka-; and li-l- (written lam lam).
_ARABIC_ARTICLE = re.compile("^(?:[\u0648\u0628\u0641\u0643]?\u0627\u0644|\u0644\u0644)(?=\\w{2})")
_ARABIC_WORD = re.compile("[\u0600-\u06ff]+")


def _strip_articles(text: str) -> str:
    return _ARABIC_WORD.sub(lambda m: _ARABIC_ARTICLE.sub("", m.group()), text)


def searchable(text: str) -> str:
    """``text`` in the form that is stored and matched."""
    normalised = _strip_articles(fold(text).translate(_ARABIC_VARIANTS))
    return _CJK_CHAR.sub(r" \1 ", normalised)


def query_terms(query: str) -> list[str]:
    """The query's words (a run of CJK characters is one term, matched as a phrase)."""
    normalised = _strip_articles(fold(query).translate(_ARABIC_VARIANTS))
    terms = _WORD.findall(normalised)
    return [" ".join(term) if _CJK_CHAR.match(term) else term for term in terms][:MAX_QUERY_TERMS]


def matching(queryset: QuerySet[M], query: str) -> QuerySet[M]:
    """Those of ``queryset`` (documents) that contain every term of ``query``."""
    terms = query_terms(query)
    if not terms:
        return queryset
    if connection.vendor == "sqlite":
        # FTS5 query syntax: each term a quoted string ("a b" is a phrase); all must match.
        match = " ".join('"' + term.replace('"', '""') + '"' for term in terms)
        ids = RawSQL("SELECT rowid FROM documents_fts WHERE documents_fts MATCH %s", [match])
    elif connection.vendor == "postgresql":
        tsquery = " && ".join(["phraseto_tsquery('simple', %s)"] * len(terms))
        ids = RawSQL(  # noqa: S611 - fixed SQL, the terms are parameters
            "SELECT document_id FROM documents_searchtext "  # noqa: S608 - placeholders only
            f"WHERE to_tsvector('simple', text) @@ ({tsquery})",
            terms,
        )
    else:  # another database: a plain scan, correct and slow
        for term in terms:
            queryset = queryset.filter(search_text__text__contains=term)
        return queryset
    return queryset.filter(pk__in=ids)
