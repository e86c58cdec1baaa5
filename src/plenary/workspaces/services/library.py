"""A workspace's library: its documents, each with numbered, named versions kept for ever.

The files are documents (``documents.services.library``: the same upload
checks, virus scan, text extraction and PDF as a meeting's documents); this
module adds the workspace's rule: whoever reads the workspace reads its
library, whoever writes in it adds documents and versions (the hourly upload
quota of ``PLENARY_DOCUMENT_UPLOADS_PER_HOUR`` counts, but not for the
secretariat). A file posted with a message becomes a document of the library.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet

from plenary.core.locking import lock
from plenary.documents.models import Library, LibraryDocument, LibraryFile
from plenary.documents.services import library
from plenary.workspaces.models import Workspace
from plenary.workspaces.services.access import Place, check_write, get_place


def _library(place: Place) -> Library:
    """The workspace's library, made on first use (under a lock on the workspace's row)."""
    if place.workspace.library is not None:
        return place.workspace.library
    with transaction.atomic():
        workspace = lock(Workspace(pk=place.workspace.pk))
        if workspace.library is None:
            workspace.library = Library.objects.create()
            workspace.save(update_fields=["library"])
        place.workspace.library = workspace.library
        return workspace.library


def documents(place: Place, query: str = "") -> QuerySet[LibraryDocument]:
    if place.workspace.library is None:
        return LibraryDocument.objects.none()
    return library.documents(place.workspace.library, query)


def get_document(place: Place, pk: int) -> LibraryDocument:
    return library.get_document(place.workspace.library, pk)


def do_add(
    user: Any, place: Place, upload: UploadedFile | None, *, title: str = "", label: str = ""
) -> LibraryFile:
    """A new document in the library (inside the caller's transaction, if any)."""
    check_write(place)
    return library.add(
        user, _library(place), upload, title=title, label=label, exempt=place.secretariat
    )


def do_add_version(
    user: Any, place: Place, document_id: int, upload: UploadedFile | None, *, label: str = ""
) -> LibraryFile:
    check_write(place)
    document = get_document(place, document_id)
    return library.add_version(user, document, upload, label=label, exempt=place.secretariat)


def get_file(user: Any, file_id: int) -> LibraryFile:
    """A library file to download: found only for a reader of its workspace."""
    workspace_id = (
        Workspace.objects.filter(library__documents__files=file_id)
        .values_list("pk", flat=True)
        .first()
    )
    place = get_place(user, pk=workspace_id or 0)
    return library.get_file(place.workspace.library, file_id)
