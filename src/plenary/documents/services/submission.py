"""Submitting documents, adding file versions and languages, revising.

Every check runs before anything is written; the rows are written in one
transaction, the series row locked so that two submissions never take the
same number. The file goes to storage just before its row and is removed
again if the row cannot be written: a refusal leaves no row, and never a row
without its file (a rollback later in the same transaction could leave an
unreferenced file in storage, which harms nothing). Scanning, text
extraction and conversion run after commit, in the background
(``services.processing``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.accounts.models import Entity
from plenary.core import audit
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.documents.models import Document, DocumentEvent, FileVersion, LanguageVersion, Series
from plenary.documents.services import storing
from plenary.documents.services.access import (
    check_write,
    may_manage,
    submitting_entities,
)
from plenary.documents.services.indexing import reindex
from plenary.documents.services.storing import store
from plenary.documents.uploads import Received, received
from plenary.meetings.models import AgendaItem, Meeting

_SOURCE_FOR_CATEGORY: dict[str, str] = {
    Entity.Category.MEMBER_STATE: Document.Source.MEMBER_STATE,
    Entity.Category.REGIONAL_ORGANISATION: Document.Source.MEMBER_STATE,
}


@dataclass
class Submission:
    """What a submitter says about a new document (the form's cleaned data)."""

    title: str
    language: str
    abstract: str = ""
    authors: str = ""
    agenda_items: Sequence[AgendaItem] = field(default_factory=list)
    access: str = Document.Access.ACCREDITED
    entity: Entity | None = None
    # The secretariat only: the source of a document that is not an entity's, and a number.
    source: str = ""
    number: int | None = None


def local_deadline(series: Series) -> dt.datetime | None:
    if series.deadline is None:
        return None
    return series.deadline.astimezone(series.meeting.tzinfo)


def check_quota(user: Any, meeting: Meeting) -> None:
    """One person's uploads in the last hour stay within the limits (the secretariat's do not
    count: it uploads for everyone)."""
    storing.check_quota(user, exempt=may_manage(user, meeting))


def check_deadline(user: Any, series: Series) -> None:
    """Delegates upload until the series' deadline (the secretariat also after it)."""
    if may_manage(user, series.meeting) or series.deadline is None:
        return
    if timezone.now() > series.deadline:
        meeting = series.meeting
        when = series.deadline.astimezone(meeting.tzinfo)
        raise Refusal(
            _("The deadline for %(series)s passed on %(when)s (%(zone)s).")
            % {
                "series": series.name,
                "when": when.strftime("%Y-%m-%d %H:%M"),
                "zone": meeting.time_zone_label,
            },
            code="deadline",
        )


def check_submit(user: Any, series: Series, submission: Submission) -> tuple[Entity | None, str]:
    """The entity and source of the new document, or a refusal (nothing is written)."""
    meeting = series.meeting
    manager = may_manage(user, meeting)
    if not manager and not series.delegates_submit:
        raise PermissionRefusal(_("Only the secretariat issues documents in this series."))
    entities = submitting_entities(user, meeting)
    if not manager and not entities:
        raise PermissionRefusal(
            _("Only delegates of this meeting and focal points submit documents.")
        )
    check_deadline(user, series)
    check_quota(user, meeting)
    if not submission.title.strip():
        raise Refusal(_("Give the document a title."), code="title", field="title")
    if submission.language not in UN_LANGUAGES:
        raise Refusal(_("Choose one of the six languages."), code="language", field="language")
    if submission.access not in Document.Access.values:
        raise Refusal(_("Choose who may read the document."), code="access", field="access")
    if any(item.meeting_id != meeting.pk for item in submission.agenda_items):
        raise Refusal(_("Choose agenda items of this meeting."), field="agenda_items")
    if submission.number is not None and not manager:
        raise PermissionRefusal(_("Only the secretariat chooses a document's number."))
    return _entity_and_source(submission, entities, manager=manager)


def _entity_and_source(
    submission: Submission, entities: list[Entity], *, manager: bool
) -> tuple[Entity | None, str]:
    entity = submission.entity
    if entity is not None and entity.pk not in {e.pk for e in entities} and not manager:
        raise PermissionRefusal(
            _("You may not submit documents for %(entity)s.") % {"entity": entity.name}
        )
    if entity is None and not manager:
        entity = entities[0]
    if manager and submission.source:
        if submission.source not in Document.Source.values:
            raise Refusal(_("Choose the document's source."), field="source")
        source = submission.source
    elif entity is not None:
        source = _SOURCE_FOR_CATEGORY.get(entity.category, Document.Source.SECTOR_MEMBER)
    else:
        source = Document.Source.SECRETARIAT
    return entity, source


def _add_file(user: Any, version: LanguageVersion, incoming: Received, label: str) -> FileVersion:
    """A new file version of ``version`` (inside the caller's transaction)."""
    last = version.files.aggregate(last=Max("number"))["last"] or 0
    return store(FileVersion(language_version=version, number=last + 1), user, incoming, label)


def submit(user: Any, series: Series, submission: Submission, upload: UploadedFile) -> Document:
    """A new document in ``series``, numbered, with its first file in the original language."""
    entity, source = check_submit(user, series, submission)
    with received(upload) as incoming:
        try:
            return _create(
                user, series, submission, entity=entity, source=source, incoming=incoming
            )
        except IntegrityError:
            raise Refusal(
                _("Number %(number)s is already taken in this series.")
                % {"number": submission.number},
                code="number_taken",
                field="number",
            ) from None


@transaction.atomic
def _create(
    user: Any,
    series: Series,
    submission: Submission,
    *,
    entity: Entity | None,
    source: str,
    incoming: Received,
) -> Document:
    series = Series.objects.select_for_update().select_related("meeting").get(pk=series.pk)
    number = submission.number
    if number is None:
        number = (series.documents.aggregate(last=Max("number"))["last"] or 0) + 1
    elif series.documents.filter(number=number).exists():
        raise IntegrityError("number taken")
    language = submission.language
    document = Document.objects.create(
        series=series,
        number=number,
        reference=series.format_number(number),
        titles={language: submission.title.strip()[:500]},
        abstracts={language: submission.abstract.strip()[:5000]} if submission.abstract else {},
        original_language=language,
        source=source,
        entity=entity,
        authors=submission.authors.strip()[:500],
        access=submission.access,
        submitted_by=user,
    )
    document.agenda_items.set(submission.agenda_items)
    version = LanguageVersion.objects.create(
        document=document, language=language, translation=LanguageVersion.Translation.ORIGINAL
    )
    _add_file(user, version, incoming, "")
    DocumentEvent.objects.create(document=document, kind=DocumentEvent.Kind.SUBMITTED, actor=user)
    audit.record(user, "documents.submitted", document, reference=document.reference)
    reindex(document)
    return document


def add_file(
    user: Any, document: Document, language: str, upload: UploadedFile, label: str = ""
) -> FileVersion:
    """A new file version in ``language`` (a new language version where there was none)."""
    check_write(user, document)
    check_deadline(user, document.series)
    check_quota(user, document.series.meeting)
    if language not in UN_LANGUAGES:
        raise Refusal(_("Choose one of the six languages."), code="language", field="language")
    with received(upload) as incoming, transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
        check_write(user, locked)
        version, _created = LanguageVersion.objects.get_or_create(
            document=locked,
            language=language,
            defaults={"translation": LanguageVersion.Translation.DONE},
        )
        file = _add_file(user, version, incoming, label)
        DocumentEvent.objects.create(
            document=locked,
            kind=DocumentEvent.Kind.FILE_ADDED,
            actor=user,
            note=f"{language} v{file.number}",
        )
        audit.record(user, "documents.file_added", locked, language=language, version=file.number)
        return file


def revise(user: Any, document: Document, upload: UploadedFile, title: str = "") -> Document:
    """Revision k+1 of ``document``: the same number, its own files; once published, the
    earlier revision is superseded (``secretariat.publish``)."""
    check_write(user, document)
    check_deadline(user, document.series)
    check_quota(user, document.series.meeting)
    if document.state == Document.State.WITHDRAWN:
        raise Refusal(_("A withdrawn document cannot be revised."), code="withdrawn")
    with received(upload) as incoming, transaction.atomic():
        Series.objects.select_for_update().get(pk=document.series_id)
        latest = (
            Document.objects.filter(series=document.series_id, number=document.number)
            .order_by("-revision")
            .first()
        )
        if latest is not None and latest.pk != document.pk:
            raise Refusal(
                _("%(reference)s has a newer revision; revise that one.")
                % {"reference": latest.reference},
                code="not_latest",
            )
        language = document.original_language
        revision = Document.objects.create(
            series=document.series,
            number=document.number,
            revision=document.revision + 1,
            reference=document.series.format_number(document.number, document.revision + 1),
            titles={
                **document.titles,
                **({language: title.strip()[:500]} if title.strip() else {}),
            },
            abstracts=document.abstracts,
            original_language=language,
            source=document.source,
            entity=document.entity,
            authors=document.authors,
            access=document.access,
            submitted_by=user,
        )
        revision.agenda_items.set(document.agenda_items.all())
        revision.co_entities.set(document.co_entities.all())
        version = LanguageVersion.objects.create(
            document=revision, language=language, translation=LanguageVersion.Translation.ORIGINAL
        )
        _add_file(user, version, incoming, "")
        DocumentEvent.objects.create(
            document=revision,
            kind=DocumentEvent.Kind.SUBMITTED,
            actor=user,
            note=_("Revision of %(reference)s") % {"reference": document.reference},
        )
        audit.record(user, "documents.revised", revision, of=document.reference)
        reindex(revision)
        return revision
