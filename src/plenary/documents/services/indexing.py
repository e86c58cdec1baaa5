"""Keeping a document's ``SearchText`` (the search index's source) up to date."""

from __future__ import annotations

from plenary.documents.models import Document, SearchText
from plenary.documents.search import MAX_INDEXED_CHARS, searchable


def search_text_for(document: Document) -> str:
    """Reference, titles, abstracts, authors, entities, and each language's newest text."""
    parts = [document.reference, document.authors]
    parts += document.titles.values()
    parts += document.abstracts.values()
    if document.entity_id:
        parts.append(document.entity.name)  # type: ignore[union-attr]
    for version in document.languages.prefetch_related("files"):
        newest = version.current_file
        if newest is not None and newest.text:
            parts.append(newest.text)
    return searchable("\n".join(part for part in parts if part))[:MAX_INDEXED_CHARS]


def reindex(document: Document) -> None:
    SearchText.objects.update_or_create(
        document_id=document.pk, defaults={"text": search_text_for(document)}
    )
