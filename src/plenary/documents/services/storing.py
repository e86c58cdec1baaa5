"""Storing a received upload as a :class:`StoredFile` row, then queueing its processing.

The file goes to storage just before its row and is removed again if the row
cannot be written: a refusal leaves no row, and never a row without its file.
Processing (``services.processing``) starts once the caller's transaction
commits.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.core.errors import Refusal
from plenary.documents.models import StoredFile
from plenary.documents.services import processing
from plenary.documents.uploads import Received

F = TypeVar("F", bound=StoredFile)


def check_quota(user: Any, *, exempt: bool = False) -> None:
    """One person's uploads in the last hour, to meetings and libraries together, stay
    within ``DOCUMENT_UPLOADS_PER_HOUR`` and ``DOCUMENT_BYTES_PER_HOUR``."""
    if exempt or not getattr(user, "is_authenticated", False):
        return
    since = timezone.now() - dt.timedelta(hours=1)
    files = size = 0
    for model in processing.WORK:
        recent = model._default_manager.filter(uploaded_by=user, uploaded_at__gte=since).aggregate(
            files=Count("pk"), size=Sum("size")
        )
        files += recent["files"]
        size += recent["size"] or 0
    if files >= settings.DOCUMENT_UPLOADS_PER_HOUR or size >= settings.DOCUMENT_BYTES_PER_HOUR:
        raise Refusal(
            _("You have uploaded %(files)d files (%(size)s) in the last hour; try again later.")
            % {"files": files, "size": filesizeformat(size)},
            code="quota",
        )


def initial_scan() -> str:
    return StoredFile.Scan.PENDING if settings.CLAMD_ADDRESS else StoredFile.Scan.NOT_SCANNED


def store(file: F, user: Any, incoming: Received, label: str = "") -> F:
    """``file`` (its owner and ``number`` set) saved with ``incoming``'s content."""
    file.label = label.strip()[:120]
    file.kind = incoming.kind
    file.original_name = incoming.name
    file.size = incoming.size
    file.sha256 = incoming.sha256
    file.uploaded_by = user if getattr(user, "is_authenticated", False) else None
    file.scan = initial_scan()
    file.page_count = incoming.pages
    with incoming.path.open("rb") as handle:
        file.file.save(incoming.name, File(handle), save=False)
    try:
        with transaction.atomic():
            file.save()
            processing.submit(file)  # queued with the file, or not at all
    except Exception:
        file.file.storage.delete(file.file.name)
        raise
    return file
