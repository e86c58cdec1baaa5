"""What happens to a file after upload, in the background: scan, text, PDF, page images.

:func:`process_file` runs as a background job (``plenary.core.tasks``) and keeps the row's
``processing``, ``progress`` and ``step`` current for the pages that poll it.
It never raises: a failure is stored on the row, with the text already
extracted kept. A file whose scan found a threat goes no further. The job is
queued with the row; a worker that dies mid-way leaves it ``running``, and the
next worker runs it again (``core.tasks.requeue_abandoned``): each step is
idempotent (it overwrites its own outputs). A file
whose scanner was down waits, unpublishable, and is tried again every minute
by a task worker (:func:`retry_waiting_scans`).
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_noop

from plenary.core import audit
from plenary.core.tasks import Task, enqueue, every, task
from plenary.documents import conversion, extraction, scanning
from plenary.documents.files import pdf_pages
from plenary.documents.models import FileVersion, LibraryFile, StoredFile

logger = logging.getLogger(__name__)

Processing = StoredFile.Processing
Scan = StoredFile.Scan
# Page images for the screen and the viewer: at most this many pages of one file.
MAX_PAGE_IMAGES = 1000
PAGES_PER_BATCH = 10


def _rows(file: StoredFile) -> Any:
    """An update of ``file``'s own row (processing writes its columns one by one, so that
    a page polling it sees each step)."""
    return type(file)._default_manager.filter(pk=file.pk)


def _progress(file: StoredFile, percent: int, step: str) -> None:
    _rows(file).update(progress=percent, step=step[:120])


@contextmanager
def _local(field: FieldFile, workdir: Path) -> Iterator[Path]:
    """A path to the stored file: the file itself on local storage, else a copy."""
    try:
        yield Path(field.path)
        return
    except NotImplementedError:  # a remote storage (S3): work on a copy
        pass
    copy = workdir / f"source{Path(field.name or '').suffix}"
    with field.open("rb") as source, copy.open("wb") as target:
        shutil.copyfileobj(source, target, 1024 * 1024)
    yield copy


@task()
def process_file(file_id: int) -> None:
    """Process a meeting document's file version."""
    _process(
        FileVersion.objects.select_related("language_version__document").filter(pk=file_id).first()
    )


@task()
def process_library_file(file_id: int) -> None:
    """Process a library document's file version."""
    _process(LibraryFile.objects.select_related("document").filter(pk=file_id).first())


# Every model whose rows are processed here, and its task.
WORK: dict[type[StoredFile], Task[[int], None]] = {
    FileVersion: process_file,
    LibraryFile: process_library_file,
}


def submit(file: StoredFile) -> None:
    """Queue ``file`` for processing (in the transaction that stores it)."""
    enqueue(WORK[type(file)], file.pk)


def _process(file: StoredFile | None) -> None:
    if file is None or file.processing == Processing.DONE:
        return
    _rows(file).update(processing=Processing.RUNNING, error="")
    workdir = Path(tempfile.mkdtemp(prefix=f"plenary-file-{file.pk}-"))
    try:
        with _local(file.file, workdir) as source:
            if not _scan(file, source):
                return
            _progress(file, 10, gettext_noop("Extracting the text"))
            file.text = extraction.extract_text(source, file.kind)
            _rows(file).update(text=file.text)
            file.text_extracted()
            _pages(file, source, workdir)
        _rows(file).update(processing=Processing.DONE, progress=100, step="")
    except Exception as error:  # stored on the row for the page; the worker must go on
        logger.exception("processing %s %s failed", type(file).__name__, file.pk)
        _rows(file).update(processing=Processing.FAILED, error=str(error)[:500], step="")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _scan(file: StoredFile, source: Path) -> bool:
    """Scan where a scanner is configured; whether processing goes on."""
    if file.scan != Scan.PENDING:
        return file.scan != Scan.INFECTED
    _progress(file, 5, gettext_noop("Scanning for viruses"))
    try:
        result = scanning.scan_file(source)
    except scanning.ScannerUnavailable as error:
        _rows(file).update(
            processing=Processing.FAILED,
            step="",
            error=f"virus scanner unavailable: {error}"[:500],
        )
        return False
    _rows(file).update(scan=result.status, scan_detail=result.detail)
    file.scan = result.status
    if result.status == Scan.INFECTED:
        details = {"version": file.number, "signature": result.detail}
        if isinstance(file, FileVersion):
            details["language"] = file.language_version.language
        audit.record(None, "documents.infected", file.owner(), **details)
        _rows(file).update(processing=Processing.DONE, progress=100, step="")
        return False
    return True


def _pages(file: StoredFile, source: Path, workdir: Path) -> None:
    """The PDF (converted from Office files), its page images and the thumbnail."""
    storage = file.file.storage
    if file.kind == StoredFile.Kind.PDF:
        pdf = source
    else:
        _progress(file, 20, gettext_noop("Converting to PDF"))
        pdf = conversion.to_pdf(source, workdir)
        with pdf.open("rb") as handle:
            file.pdf.save(file.pdf_name(), File(handle), save=False)
        _rows(file).update(pdf=file.pdf.name)
    pages = min(pdf_pages(pdf), MAX_PAGE_IMAGES)
    _rows(file).update(page_count=pages)
    for first in range(1, pages + 1, PAGES_PER_BATCH):
        last = min(first + PAGES_PER_BATCH - 1, pages)
        _progress(
            file, 40 + int(55 * (first - 1) / max(pages, 1)), gettext_noop("Drawing the pages")
        )
        batch = workdir / f"pages-{first}"
        for number, image in enumerate(conversion.page_images(pdf, batch, first, last), first):
            _replace(storage, file.page_name(number), image)
        shutil.rmtree(batch, ignore_errors=True)
    if pages:
        _replace(storage, file.thumbnail_name(), conversion.thumbnail(pdf, workdir))


def _replace(storage: Storage, name: str, path: Path) -> None:
    if storage.exists(name):
        storage.delete(name)
    with path.open("rb") as handle:
        saved = storage.save(name, File(handle))
    if saved != name:  # the storage renamed it: a step ran twice at once; keep one
        storage.delete(saved)


def _waiting_for_a_scanner() -> Q:
    return Q(processing=Processing.FAILED, scan=Scan.PENDING)


def _resubmit(files: Q) -> int:
    count = 0
    for model, work in WORK.items():
        ids = list(model._default_manager.filter(files).values_list("pk", flat=True))
        model._default_manager.filter(pk__in=ids).update(processing=Processing.QUEUED)
        for file_id in ids:
            enqueue(work, file_id)
        count += len(ids)
    return count


def retry_scans() -> int:
    """Submit again the files whose scan failed because the scanner was unavailable."""
    return _resubmit(_waiting_for_a_scanner())


@task()
def retry_waiting_scans() -> None:
    retry_scans()


def _scan_retry_seconds() -> float:
    return float(settings.DOCUMENT_SCAN_RETRY_SECONDS) if settings.CLAMD_ADDRESS else 0.0


# Files that wait for a scanner that was down are tried again by a task worker every
# ``PLENARY_DOCUMENT_SCAN_RETRY_SECONDS`` (0, or no scanner: never).
every(_scan_retry_seconds, retry_waiting_scans)
