"""The secretariat's steps: publish, withdraw, translation status, machine drafts."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.core import audit
from plenary.core.errors import Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.documents.models import Document, DocumentEvent, FileVersion, LanguageVersion
from plenary.documents.services.access import check_manage
from plenary.proposals import mt

State = Document.State


def _original_file(document: Document) -> FileVersion | None:
    """The newest file of the document's original language."""
    original = document.languages.filter(language=document.original_language).first()
    return original.current_file if original else None


def _check_other_language(document: Document, language: str) -> None:
    if language not in UN_LANGUAGES or language == document.original_language:
        raise Refusal(_("Choose a language other than the original."), field="language")


@transaction.atomic
def publish(user: Any, document: Document) -> Document:
    """Publish a submitted document once its original file is clean (or honestly unscanned);
    an earlier revision of the same number becomes superseded."""
    check_manage(user, document.series.meeting)
    document = Document.objects.select_for_update().select_related("series").get(pk=document.pk)
    if document.state != State.SUBMITTED:
        raise Refusal(
            _("Only a submitted document can be published; this one is %(state)s.")
            % {"state": document.get_state_display()},
            code="state",
        )
    newest = _original_file(document)
    if newest is None:
        raise Refusal(_("The document has no file in its original language."), code="no_file")
    if newest.scan == FileVersion.Scan.PENDING:
        raise Refusal(
            _("The file is waiting for the virus scan; publish it once it is scanned."),
            code="scan_pending",
        )
    if newest.scan == FileVersion.Scan.INFECTED:
        raise Refusal(
            _("The virus scan found a threat in the file; it cannot be published."),
            code="infected",
        )
    document.state = State.PUBLISHED
    document.published_at = timezone.now()
    document.save(update_fields=["state", "published_at"])
    DocumentEvent.objects.create(document=document, kind=DocumentEvent.Kind.PUBLISHED, actor=user)
    audit.record(user, "documents.published", document, reference=document.reference)
    earlier = Document.objects.filter(
        series=document.series_id,
        number=document.number,
        revision__lt=document.revision,
        state=State.PUBLISHED,
    )
    for old in earlier.select_for_update():
        old.state = State.SUPERSEDED
        old.save(update_fields=["state"])
        DocumentEvent.objects.create(
            document=old, kind=DocumentEvent.Kind.SUPERSEDED, actor=user, note=document.reference
        )
        audit.record(user, "documents.superseded", old, by=document.reference)
    return document


@transaction.atomic
def withdraw(user: Any, document: Document, reason: str = "") -> Document:
    """Hide a document from everyone but the secretariat; its files and history stay."""
    check_manage(user, document.series.meeting)
    document = Document.objects.select_for_update().get(pk=document.pk)
    if document.state == State.WITHDRAWN:
        raise Refusal(_("The document is already withdrawn."), code="state")
    document.state = State.WITHDRAWN
    document.save(update_fields=["state"])
    DocumentEvent.objects.create(
        document=document, kind=DocumentEvent.Kind.WITHDRAWN, actor=user, note=reason[:500]
    )
    audit.record(user, "documents.withdrawn", document, reason=reason[:500])
    return document


@transaction.atomic
def set_translation(user: Any, document: Document, language: str, status: str) -> LanguageVersion:
    """Request a translation, or mark one in progress or done."""
    check_manage(user, document.series.meeting)
    _check_other_language(document, language)
    allowed = {choice for choice in LanguageVersion.Translation.values if choice != "original"}
    if status not in allowed:
        raise Refusal(_("Choose a translation status."), field="status")
    version, _created = LanguageVersion.objects.select_for_update().get_or_create(
        document=document, language=language
    )
    version.translation = status
    version.save(update_fields=["translation"])
    DocumentEvent.objects.create(
        document=document,
        kind=DocumentEvent.Kind.TRANSLATION,
        actor=user,
        note=f"{language}: {status}",
    )
    audit.record(user, "documents.translation", document, language=language, status=status)
    return version


# At most this much of the original's text goes to the model for one draft.
MT_MAX_CHARS = 50_000


def machine_draft(user: Any, document: Document, language: str) -> LanguageVersion | None:
    """A machine translation of the original's text for the translators (``None`` when no
    model serves the pair): stored apart from the files, labelled, never published."""
    check_manage(user, document.series.meeting)
    _check_other_language(document, language)
    newest = _original_file(document)
    if newest is None or not newest.text.strip():
        raise Refusal(
            _("The original has no text yet (it is still being converted, or has none)."),
            code="no_text",
        )
    lines = [line for line in newest.text[:MT_MAX_CHARS].splitlines() if line.strip()]
    translated = mt.translate(lines, document.original_language, language)
    if translated is None:
        return None
    with transaction.atomic():
        version, _created = LanguageVersion.objects.get_or_create(
            document=document, language=language
        )
        version.machine_draft = "\n".join(translated)
        version.machine_draft_engine = "plenary.speech.mt"
        version.machine_draft_at = timezone.now()
        version.save(update_fields=["machine_draft", "machine_draft_engine", "machine_draft_at"])
        audit.record(user, "documents.machine_draft", document, language=language)
    return version
