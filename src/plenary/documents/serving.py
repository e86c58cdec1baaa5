"""Handing a stored file to the browser, always after the caller's access check.

Never from a public URL: by the front server where ``DOCUMENT_ACCEL_PREFIX``
is configured (``X-Accel-Redirect``), else streamed by Django.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from plenary.documents.models import StoredFile

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def send(
    storage: Storage, name: str, content_type: str, filename: str | None, *, inline: bool
) -> HttpResponseBase:
    """The stored file ``name``: by the front server where one is configured, else by us."""
    if not storage.exists(name):
        raise Http404(_("This file is not ready yet."))
    response: HttpResponseBase
    if settings.DOCUMENT_ACCEL_PREFIX:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.DOCUMENT_ACCEL_PREFIX.rstrip("/") + "/" + name
    else:
        response = FileResponse(storage.open(name), content_type=content_type)
    disposition = content_disposition_header(not inline, filename) if filename else None
    response["Content-Disposition"] = disposition or "inline"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def send_original(file: StoredFile) -> HttpResponseBase:
    """The file as it was uploaded, under its own name (a PDF opens in the browser)."""
    return send(
        file.file.storage,
        file.file.name or "",
        CONTENT_TYPES[file.kind],
        file.original_name,
        inline=file.kind == StoredFile.Kind.PDF,
    )
