"""The document on the room's screen: shown, paged and cleared by the chair or secretariat.

The screen is part of the session's live state (``plenary.floor.state``,
key ``document``): each change is an event of the session's log, so late
joiners get the page in their snapshot, reconnecting clients resync, and the
log (and the recordings made from it) say which document was discussed when.
Only a published document that every participant may read goes on the
screen, and only a file whose pages are drawn; each viewer's browser fetches
the page images through the access-checked view, so a public webcast viewer
sees pages of public documents only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.documents.models import Document, DocumentEvent, FileVersion
from plenary.floor import services as floor
from plenary.live.services import get_session
from plenary.live.standing import Standing
from plenary.meetings.models import Meeting, Session

MAX_PAGE = 100_000
SHOWABLE_ACCESS = (Document.Access.PUBLIC, Document.Access.ACCREDITED)


@dataclass(frozen=True)
class Showable:
    """A file the screen can show: a published document's newest drawn file in a language."""

    document: Document
    file: FileVersion

    @property
    def language(self) -> str:
        return self.file.language_version.language


def showable(meeting: Meeting, document_id: int | None = None) -> list[Showable]:
    """The files of ``meeting`` (of one document) that may go on the screen, in register
    order."""
    files = (
        FileVersion.objects.filter(
            language_version__document__series__meeting=meeting,
            language_version__document__state=Document.State.PUBLISHED,
            language_version__document__access__in=SHOWABLE_ACCESS,
            processing=FileVersion.Processing.DONE,
            scan__in=[FileVersion.Scan.CLEAN, FileVersion.Scan.NOT_SCANNED],
            page_count__gt=0,
            **({} if document_id is None else {"language_version__document": document_id}),
        )
        .select_related("language_version__document__series")
        .order_by(
            "language_version__document__series__position",
            "language_version__document__number",
            "language_version__document__revision",
            "language_version__language",
            "-number",
        )
    )
    newest: dict[tuple[int, str], Showable] = {}
    for file in files:
        key = (file.language_version.document_id, file.language_version.language)
        newest.setdefault(key, Showable(file.language_version.document, file))
    return list(newest.values())


def _may_present(standing: Standing, state: dict[str, Any]) -> None:
    if not (standing.presides(state) or standing.is_secretariat):
        raise PermissionRefusal(_("Only the chair and the secretariat put documents on screen."))


def _shown_data(session: Session, document_id: int, language: str, page: int) -> dict[str, Any]:
    choice = next(
        (
            item
            for item in showable(session.meeting, document_id)
            if not language or item.language == language
        ),
        None,
    )
    if choice is None:
        raise NotFoundRefusal(
            _(
                "This document cannot go on screen: it is not published for the participants, "
                "or its pages are not ready."
            )
        )
    document, file = choice.document, choice.file
    if not 1 <= page <= file.page_count:
        raise Refusal(
            _("Choose a page from 1 to %(pages)d.") % {"pages": file.page_count}, code="page"
        )
    path = reverse("documents:viewer", args=[document.pk, choice.language, file.number])
    return {
        "document_id": document.pk,
        "reference": document.reference,
        "title": document.title,
        "title_language": document.title_language,
        "language": choice.language,
        "number": file.number,
        "pages": file.page_count,
        "page": page,
        "path": path,
        "public": document.access == Document.Access.PUBLIC,
    }


def do_show(user: Any, session_id: int, document_id: int, language: str = "", page: int = 1) -> int:
    """Put a document (the file in ``language``, else the first one ready) on the screen."""
    session = get_session(session_id)

    def check(standing: Standing, state: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        _may_present(standing, state)
        return [("document.shown", _shown_data(session, document_id, language, page))]

    with transaction.atomic():
        version = floor.do_record(user, session_id, check)
        DocumentEvent.objects.create(
            document_id=document_id,
            kind=DocumentEvent.Kind.SHOWN,
            actor=user if getattr(user, "is_authenticated", False) else None,
            note=str(session)[:500],
        )
    return version


def do_page(user: Any, session_id: int, page: int) -> int:
    """Turn the screen's document to ``page`` (every follower's screen turns with it)."""

    def check(standing: Standing, state: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        _may_present(standing, state)
        shown = state.get("document")
        if not shown:
            raise Refusal(_("No document is on screen."), code="no_document")
        if not 1 <= page <= shown["pages"]:
            raise Refusal(
                _("Choose a page from 1 to %(pages)d.") % {"pages": shown["pages"]}, code="page"
            )
        if page == shown["page"]:
            return []
        return [("document.page", {"page": page})]

    return floor.do_record(user, session_id, check)


def do_clear(user: Any, session_id: int) -> int:
    """Take the document off the screen."""

    def check(standing: Standing, state: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
        _may_present(standing, state)
        return [("document.cleared", {})] if state.get("document") else []

    return floor.do_record(user, session_id, check)


def panel_context(standing: Standing, session: Session) -> dict[str, Any]:
    """What the room page's screen panel needs: whether this person presents (the chair,
    the vice-chairs, the secretariat; the server checks each command again) and, if so,
    what they may show."""
    presents = standing.is_secretariat or bool(standing.roles & {"chair", "vice_chair"})
    return {"presents": presents, "choices": showable(session.meeting) if presents else []}
