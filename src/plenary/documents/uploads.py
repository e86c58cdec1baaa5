"""Receiving an uploaded file: a size limit while it streams, then a checked file on disk.

Django writes uploads above ``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a temporary
file as they arrive, so a large upload is never whole in memory; the
:class:`SizeLimit` handler, put first for the document views, stops reading
once the configured size is passed. :func:`received` then hands the services
a path to sniff, with the size and SHA-256 computed in one streaming pass.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import HttpRequest, HttpResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from plenary.core.errors import Refusal
from plenary.documents.files import sniff

HASH_CHUNK_BYTES = 1024 * 1024


class SizeLimit(FileUploadHandler):
    """Stops an upload that passes ``DOCUMENT_MAX_BYTES``; ``exceeded`` tells the view."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received = start + len(raw_data)
        if self.received > settings.DOCUMENT_MAX_BYTES:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def limit_uploads(request: HttpRequest) -> SizeLimit:
    """Put the size limit before Django's own handlers; call before reading ``FILES``."""
    limit = SizeLimit(request)
    request.upload_handlers = [limit, *request.upload_handlers]
    return limit


def too_large() -> Refusal:
    return Refusal(
        _("The file is larger than %(size)s, the largest accepted.")
        % {"size": filesizeformat(settings.DOCUMENT_MAX_BYTES)},
        code="too_large",
        field="file",
    )


@dataclass(frozen=True)
class Received:
    path: Path
    name: str
    kind: str
    size: int
    sha256: str
    pages: int


@contextmanager
def received(upload: UploadedFile | None) -> Iterator[Received]:
    """The upload as a checked file on disk (its kind sniffed), or a translated refusal."""
    name = Path(upload.name or "").name[:255] if upload is not None else ""
    if upload is None or not name:
        raise Refusal(_("Choose a file to upload."), code="no_file", field="file")
    if (upload.size or 0) > settings.DOCUMENT_MAX_BYTES:
        raise too_large()
    own_copy: Path | None = None
    path_of: Any = getattr(upload, "temporary_file_path", None)
    if path_of is not None:
        path = Path(path_of())
    else:  # a small upload kept in memory: give the checks a file
        with tempfile.NamedTemporaryFile(delete=False, prefix="plenary-upload-") as handle:
            upload.seek(0)
            shutil.copyfileobj(upload, handle)
        own_copy = path = Path(handle.name)
    try:
        size, digest = _size_and_digest(path)
        if size == 0:
            raise Refusal(_("The file is empty."), code="empty", field="file")
        sniffed = sniff(path, name)
        yield Received(path, name, sniffed.kind, size, digest, sniffed.pages)
    finally:
        if own_copy is not None:
            own_copy.unlink(missing_ok=True)
        upload.seek(0)


def _size_and_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK_BYTES):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def upload_view(inner: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A signed-in view that receives a file: the size limit goes in before the body is
    read, then CSRF is checked (``inner`` gets the limit as ``limit``)."""
    protected = csrf_protect(inner)

    @wraps(inner)
    def outer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        limit = limit_uploads(request) if request.method == "POST" else None
        return protected(request, *args, limit=limit, **kwargs)

    return login_required(csrf_exempt(outer))


def accepts(form: Any, limit: SizeLimit | None) -> bool:
    """The form is valid and its file within the size limit (else the form says why)."""
    if limit is not None and limit.exceeded:
        form.is_valid()
        form.add_error("file", str(too_large()))
        return False
    return bool(form.is_valid())
