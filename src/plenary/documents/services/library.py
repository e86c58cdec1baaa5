"""A library's documents: adding one, adding a named version, reading, searching.

The library's owner has already decided that the caller may do this (a
workspace checks its readers and writers: see ``services.access``); what is
checked here is the upload itself (kind, size, the uploader's hourly quota)
and the title. Nothing is ever deleted: every version stays, under its
number and its name.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.core.errors import NotFoundRefusal, Refusal
from plenary.core.locking import lock
from plenary.core.search import Index, query_terms, scoped
from plenary.documents.models import Library, LibraryDocument, LibraryFile
from plenary.documents.services.storing import check_quota, store
from plenary.documents.uploads import received

INDEX = Index(
    fts="library_fts",
    table="documents_librarydocument",
    key="id",
    column="search",
    scope="inlibrary",
)
MAX_TITLE = 200


def reindex(document: LibraryDocument) -> None:
    """``search``: the library's word, the title and the newest version's text."""
    newest = document.files.order_by("-number").only("text").first()
    text = "\n".join(part for part in (document.title, newest.text if newest else "") if part)
    LibraryDocument.objects.filter(pk=document.pk).update(
        search=INDEX.stored(document.library_id, text)
    )


def _title(title: str, file_name: str) -> str:
    title = " ".join(title.split()) or file_name.rsplit(".", 1)[0]
    if len(title) > MAX_TITLE:
        raise Refusal(
            _("A title has at most %(count)d characters.") % {"count": MAX_TITLE},
            code="title_too_long",
            field="title",
        )
    return title


def add(
    user: Any,
    library: Library,
    upload: UploadedFile | None,
    *,
    title: str = "",
    label: str = "",
    exempt: bool = False,
) -> LibraryFile:
    """A new document in ``library`` with ``upload`` as its version 1 (``exempt``: the
    owner's staff, whose uploads the hourly quota does not count)."""
    check_quota(user, exempt=exempt)
    with received(upload) as incoming, transaction.atomic():
        document = LibraryDocument.objects.create(
            library=library, title=_title(title, incoming.name), created_by=user
        )
        file = store(LibraryFile(document=document, number=1), user, incoming, label)
        reindex(document)
        return file


def add_version(
    user: Any,
    document: LibraryDocument,
    upload: UploadedFile | None,
    *,
    label: str = "",
    exempt: bool = False,
) -> LibraryFile:
    """``upload`` as the next version of ``document``; the earlier ones stay as they are."""
    check_quota(user, exempt=exempt)
    with received(upload) as incoming, transaction.atomic():
        lock(document)  # two versions at once never take the same number
        last = document.files.aggregate(last=Max("number"))["last"] or 0
        file = store(LibraryFile(document=document, number=last + 1), user, incoming, label)
        LibraryDocument.objects.filter(pk=document.pk).update(updated_at=timezone.now())
        reindex(document)
        return file


def documents(library: Library, query: str = "") -> QuerySet[LibraryDocument]:
    """The library's documents (those that contain every term of ``query``), newest first."""
    found = LibraryDocument.objects.filter(library=library)
    terms = query_terms(query)
    if terms:
        found = scoped(found, INDEX, library.pk, terms)
    return (
        found.select_related("created_by").prefetch_related("files").order_by("-updated_at", "-pk")
    )


def _not_found() -> NotFoundRefusal:
    return NotFoundRefusal(_("There is no such document in this library."))


def get_document(library: Library | None, pk: int) -> LibraryDocument:
    """The document ``pk`` of ``library`` (``None``: a library not made yet, empty)."""
    document = LibraryDocument.objects.filter(library=library, pk=pk).first() if library else None
    if document is None:
        raise _not_found()
    return document


def get_file(library: Library | None, pk: int) -> LibraryFile:
    """A version that may be handed out: clean or honestly unscanned, never a threat."""
    file = (
        LibraryFile.objects.select_related("document")
        .filter(document__library=library, pk=pk)
        .first()
        if library
        else None
    )
    if file is None:
        raise _not_found()
    if not file.servable:
        raise NotFoundRefusal(
            _("This file cannot be downloaded: %(reason)s") % {"reason": file.get_scan_display()}
        )
    return file
