"""Reading documents for the pages: the register with its filters, one file version."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from plenary.core.errors import NotFoundRefusal
from plenary.documents import search
from plenary.documents.models import Document, FileVersion, LanguageVersion, Series
from plenary.documents.services.access import get_document, visible_documents
from plenary.meetings.models import AgendaItem, Meeting


def register(
    user: Any,
    meeting: Meeting,
    *,
    query: str = "",
    series: Series | None = None,
    agenda: AgendaItem | None = None,
    language: str = "",
) -> QuerySet[Document]:
    """The meeting's documents that ``user`` may see, filtered, in register order."""
    documents = visible_documents(user, meeting)
    # Filters by subquery, never by join: a join would repeat rows and need DISTINCT.
    if series is not None:
        documents = documents.filter(series=series)
    if agenda is not None:
        documents = documents.filter(
            pk__in=Document.agenda_items.through.objects.filter(agendaitem=agenda).values(
                "document_id"
            )
        )
    if language:
        documents = documents.filter(
            pk__in=LanguageVersion.objects.filter(language=language, files__isnull=False).values(
                "document_id"
            )
        )
    return search.matching(documents, query)


def register_page(
    documents: QuerySet[Document], number: Any, size: int, *, searched: bool
) -> Page[Document]:
    """Page ``number`` of ``documents`` (bad numbers give the first or last page).

    Without a search, a count and a slice, both on the covering index. With one, the
    matching ids in one query and the page's documents in a second: the full-text
    search is evaluated once, not twice (for the count and for the slice)."""
    if not searched:
        return Paginator(_for_listing(documents), size).get_page(number)
    ids: list[Any] = list(documents.values_list("pk", flat=True))
    page = Paginator(ids, size).get_page(number)
    rows = {row.pk: row for row in _for_listing(Document.objects.filter(pk__in=page.object_list))}
    page.object_list = [rows[pk] for pk in page.object_list]
    return page


def _for_listing(documents: QuerySet[Document]) -> QuerySet[Document]:
    return documents.select_related("series__meeting", "entity").prefetch_related(
        Prefetch(
            "languages",
            queryset=LanguageVersion.objects.prefetch_related(
                Prefetch(
                    "files",
                    queryset=FileVersion.objects.only(
                        "pk",
                        "number",
                        "language_version_id",
                        "kind",
                        "scan",
                        "processing",
                        "page_count",
                    ),
                )
            ),
        )
    )


def get_file(user: Any, document_id: int, language: str, number: int) -> FileVersion:
    """File version ``number`` in ``language`` of a document ``user`` may see."""
    document = get_document(user, document_id)
    file = (
        FileVersion.objects.select_related("language_version__document__series__meeting")
        .filter(
            language_version__document=document,
            language_version__language=language,
            number=number,
        )
        .first()
    )
    if file is None:
        raise NotFoundRefusal(_("This file does not exist or is not visible to you."))
    return file
