"""Full-text search over documents (the engines and the normal form: ``core.search``).

``SearchText.text`` holds the searchable form of a document's titles,
abstracts, authors and extracted text in every language, in a table of its
own (the documents' rows stay small: the register counts and sorts them
without reading any text); the database keeps its own index of that column
(an FTS5 table kept by triggers, or a GIN index on
``to_tsvector('simple', text)``, see migration 0002).
"""

from __future__ import annotations

from typing import TypeVar

from django.db import models
from django.db.models import QuerySet

from plenary.core.search import MAX_INDEXED_CHARS, Index, containing, query_terms, searchable

M = TypeVar("M", bound=models.Model)

INDEX = Index(fts="documents_fts", table="documents_searchtext", key="document_id")
__all__ = ["MAX_INDEXED_CHARS", "matching", "searchable"]


def matching(queryset: QuerySet[M], query: str) -> QuerySet[M]:
    """Those of ``queryset`` (documents) that contain every term of ``query``."""
    terms = query_terms(query)
    return containing(queryset, INDEX, terms, "search_text__text") if terms else queryset
