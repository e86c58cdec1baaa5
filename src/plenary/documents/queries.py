"""Reading documents for the pages: the register with its filters, one file version."""

from __future__ import annotations

from typing import Any

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
    documents = search.matching(documents, query)
    return documents.select_related("series__meeting", "entity").prefetch_related(
        Prefetch(
            "languages",
            queryset=LanguageVersion.objects.prefetch_related(
                Prefetch(
                    "files",
                    queryset=FileVersion.objects.only(
                        "pk", "number", "language_version_id", "kind", "scan", "size"
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
