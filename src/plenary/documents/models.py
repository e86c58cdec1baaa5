"""A meeting's documents: numbered series, documents, their languages and file versions.

Nothing here is ever deleted: a document is withdrawn (hidden, with an event
and an audit entry), an earlier revision is superseded, and every uploaded
file stays as a :class:`FileVersion` (no version expires, whatever its age or
number). The models refuse ``delete()`` so that no code path, admin included,
can lose one.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plenary.core.languages import Language
from plenary.documents.storage import document_storage
from plenary.meetings.models import localized, shown_language

F = TypeVar("F", bound="StoredFile")


def newest(files: Iterable[F]) -> F | None:
    """The highest-numbered of ``files`` (versions of one thing), if any."""
    return max(files, key=lambda file: file.number, default=None)


class NeverDeleted(models.Model):
    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Documents and their versions are never deleted; withdraw instead.")


class Series(NeverDeleted):
    """A numbered series of a meeting or group ("SG17-C-", "TD-"), with its deadline."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="document_series",
    )
    code = models.SlugField(_("code"), max_length=16, help_text=_("For example C or TD."))
    names = models.JSONField(_("name in each language"), default=dict)
    prefix = models.CharField(
        _("number prefix"), max_length=32, help_text=_("For example SG17-C- or TD-.")
    )
    digits = models.PositiveSmallIntegerField(
        _("digits"), default=0, help_text=_("Pad numbers with zeros to this many digits (0: none).")
    )
    delegates_submit = models.BooleanField(
        _("delegates submit"),
        default=True,
        help_text=_(
            "Delegates and focal points upload to this series; otherwise only the secretariat."
        ),
    )
    deadline = models.DateTimeField(_("submission deadline"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("document series")
        verbose_name_plural = _("document series")
        ordering = ["meeting", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "code"], name="document_series_unique")
        ]

    def __str__(self) -> str:
        return f"{self.meeting.code} {self.code}"

    @property
    def name(self) -> str:
        return localized(self.names, self.meeting.working_language) or self.code

    def format_number(self, number: int, revision: int = 0) -> str:
        """The document's reference: ``SG17-C-123``, ``TD-045-R1`` (revisions keep the number)."""
        text = f"{self.prefix}{number:0{self.digits}d}" if self.digits else f"{self.prefix}{number}"
        return f"{text}-R{revision}" if revision else text


class Document(NeverDeleted):
    class Source(models.TextChoices):
        MEMBER_STATE = "member_state", _("Member State")
        SECTOR_MEMBER = "sector_member", _("Sector Member")
        CHAIR = "chair", _("Chair or rapporteur")
        SECRETARIAT = "secretariat", _("Secretariat")
        LIAISON = "liaison", _("Liaison statement")

    class Access(models.TextChoices):
        PUBLIC = "public", _("Public")
        ACCREDITED = "accredited", _("Participants of the meeting")
        STAFF = "staff", _("Secretariat only")

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SUPERSEDED = "superseded", _("Superseded")

    series = models.ForeignKey(
        Series, verbose_name=_("series"), on_delete=models.PROTECT, related_name="documents"
    )
    number = models.PositiveIntegerField(_("number"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    # Kept with the row so that the register lists and searches without formatting.
    reference = models.CharField(_("reference"), max_length=64, db_index=True)
    titles = models.JSONField(_("title in each language"), default=dict)
    abstracts = models.JSONField(_("abstract in each language"), default=dict, blank=True)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=Language.choices
    )
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    entity = models.ForeignKey(
        "accounts.Entity",
        verbose_name=_("submitted for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("The entity whose delegates and focal points may change the document."),
    )
    co_entities = models.ManyToManyField(
        "accounts.Entity", verbose_name=_("also from"), blank=True, related_name="+"
    )
    authors = models.CharField(_("authors"), max_length=500, blank=True)
    agenda_items = models.ManyToManyField(
        "meetings.AgendaItem", verbose_name=_("agenda items"), blank=True, related_name="documents"
    )
    access = models.CharField(
        _("access"), max_length=12, choices=Access.choices, default=Access.ACCREDITED
    )
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["series__position", "series__code", "number", "revision"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "number", "revision"], name="document_number_unique"
            )
        ]
        # Covers the register's query (who may read: state, access; its order: series,
        # number, revision): 50,000 documents are listed without reading their rows.
        indexes = [models.Index(fields=["state", "access", "series", "number", "revision"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def title(self) -> str:
        return localized(self.titles, self.original_language)

    @property
    def title_language(self) -> str:
        return shown_language(self.titles, self.original_language)

    @property
    def abstract(self) -> str:
        return localized(self.abstracts, self.original_language)

    @property
    def abstract_language(self) -> str:
        return shown_language(self.abstracts, self.original_language)


class SearchText(models.Model):
    """A document's searchable text: titles, abstracts and extracted text in every language,
    in the form ``search.searchable`` gives. A row of its own, so that listing and counting
    documents never reads it; the database's full-text index is built on it."""

    document = models.OneToOneField(
        Document, primary_key=True, on_delete=models.CASCADE, related_name="search_text"
    )
    text = models.TextField(default="")

    class Meta:
        verbose_name = _("search text")
        verbose_name_plural = _("search texts")

    def __str__(self) -> str:
        return str(self.document_id)


class DocumentEvent(models.Model):
    """An append-only step in a document's life (submitted, published, withdrawn, …)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        FILE_ADDED = "file_added", _("New file version")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        SUPERSEDED = "superseded", _("Superseded by a revision")
        TRANSLATION = "translation", _("Translation status changed")
        SHOWN = "shown", _("Shown on screen")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("event"), max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("document event")
        verbose_name_plural = _("document events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.document} {self.kind} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Document events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Document events are append-only.")


class LanguageVersion(NeverDeleted):
    """A document in one language, with its translation status and its file versions."""

    class Translation(models.TextChoices):
        ORIGINAL = "original", _("Original")
        REQUESTED = "requested", _("Translation requested")
        IN_PROGRESS = "in_progress", _("Translation in progress")
        DONE = "done", _("Translated")

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="languages")
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    translation = models.CharField(
        _("translation status"),
        max_length=12,
        choices=Translation.choices,
        default=Translation.REQUESTED,
    )
    # A machine translation of the original's text for the translators: a draft, never
    # published as the official version, always shown with its label and engine.
    machine_draft = models.TextField(_("machine translation draft"), blank=True)
    machine_draft_engine = models.CharField(max_length=120, blank=True)
    machine_draft_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("language version")
        verbose_name_plural = _("language versions")
        ordering = ["document", "language"]
        constraints = [
            models.UniqueConstraint(fields=["document", "language"], name="document_language_once")
        ]

    def __str__(self) -> str:
        return f"{self.document} [{self.language}]"

    @property
    def current_file(self) -> FileVersion | None:
        """The newest file version (prefetched ``files`` are used where present)."""
        return newest(self.files.all())


def _stored_name(instance: StoredFile, filename: str) -> str:
    # Never the uploader's name on disk: a random name, the kind as the extension.
    return f"files/{uuid.uuid4().hex}.{instance.kind}"


class StoredFile(NeverDeleted):
    """An uploaded file and what processing makes of it (virus scan, text, PDF, page
    images): a document's :class:`FileVersion` or a library's :class:`LibraryFile`.
    Numbered 1, 2, 3… within what it is a version of, and kept for ever."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        XLSX = "xlsx", "Excel (XLSX)"
        PPTX = "pptx", "PowerPoint (PPTX)"

    class Scan(models.TextChoices):
        PENDING = "pending", _("Waiting for the virus scan")
        CLEAN = "clean", _("Scanned, clean")
        INFECTED = "infected", _("Refused: the virus scan found a threat")
        NOT_SCANNED = "not_scanned", _("Not scanned (no virus scanner is configured)")

    class Processing(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Converting")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Conversion failed")

    # Where this model's PDF and page images are kept (a folder each: keys overlap).
    pdf_folder = "pdf"
    pages_folder = "pages"

    number = models.PositiveSmallIntegerField(_("version"))
    label = models.CharField(
        _("version name"), max_length=120, blank=True, help_text=_("For example “as presented”.")
    )
    file = models.FileField(_("file"), storage=document_storage, upload_to=_stored_name)
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    scan = models.CharField(_("virus scan"), max_length=12, choices=Scan.choices)
    scan_detail = models.CharField(max_length=200, blank=True)
    processing = models.CharField(
        _("conversion"), max_length=8, choices=Processing.choices, default=Processing.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # An untranslated message (gettext_noop): pages translate it into their own language.
    step = models.CharField(max_length=120, blank=True)
    error = models.CharField(max_length=500, blank=True)
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    pdf = models.FileField(storage=document_storage, blank=True)
    page_count = models.PositiveIntegerField(_("pages"), default=0)

    class Meta:
        abstract = True

    @property
    def servable(self) -> bool:
        """Whether anyone but the secretariat may download it (clean, or honestly unscanned)."""
        return self.scan in {self.Scan.CLEAN, self.Scan.NOT_SCANNED}

    def page_name(self, page: int) -> str:
        return f"{self.pages_folder}/{self.pk}/{page}.png"

    def pdf_name(self) -> str:
        return f"{self.pdf_folder}/{self.pk}.pdf"

    def thumbnail_name(self) -> str:
        return f"{self.pages_folder}/{self.pk}/thumb.png"

    def text_extracted(self) -> None:
        """Called by processing once ``text`` is stored: the owner's search index follows."""

    def owner(self) -> models.Model:
        """What the file is a version of (the audit's subject when a scan finds a threat)."""
        raise NotImplementedError


class FileVersion(StoredFile):
    """One uploaded file of a language version."""

    language_version = models.ForeignKey(
        LanguageVersion, on_delete=models.PROTECT, related_name="files"
    )

    class Meta:
        verbose_name = _("file version")
        verbose_name_plural = _("file versions")
        ordering = ["language_version", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["language_version", "number"], name="file_version_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.language_version} v{self.number}"

    def text_extracted(self) -> None:
        from plenary.documents.services.indexing import reindex

        reindex(self.language_version.document)

    def owner(self) -> models.Model:
        return self.language_version.document


class Library(NeverDeleted):
    """A shelf of documents kept for a group between meetings (a workspace's library).

    Who reads and adds to it is the owner's rule (the workspace that points to it
    checks its readers and writers before calling ``services.library``); the files
    are stored and processed as a meeting document's are."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("library")
        verbose_name_plural = _("libraries")

    def __str__(self) -> str:
        return f"library {self.pk}"


class LibraryDocument(NeverDeleted):
    """A document of a library: a title and its numbered, named file versions."""

    library = models.ForeignKey(Library, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now_add=True)
    # The searchable form of the title and the newest version's text, after the
    # library's own word (``Index.scope``); indexed (migration 0003).
    search = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")
        ordering = ["library", "-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def current_file(self) -> LibraryFile | None:
        """The newest version (prefetched ``files`` are used where present)."""
        return newest(self.files.all())


class LibraryFile(StoredFile):
    """One version of a library document."""

    pdf_folder = "library-pdf"
    pages_folder = "library-pages"

    document = models.ForeignKey(LibraryDocument, on_delete=models.PROTECT, related_name="files")

    class Meta:
        verbose_name = _("library file")
        verbose_name_plural = _("library files")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "number"], name="library_file_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    def text_extracted(self) -> None:
        from plenary.documents.services.library import reindex

        reindex(self.document)

    def owner(self) -> models.Model:
        return self.document
