"""Exports of proposals: DOCX with real Word tracked changes, PDF, CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from plenary.core import docx
from plenary.core.languages import Language, is_rtl
from plenary.proposals.changes import Change, tracked_changes
from plenary.proposals.models import Proposal, ProposalDocument

AUTHOR = "Plenary PMS"


class _TrackedChanges:
    """Appends ``w:ins``/``w:del`` revisions, which Word shows as tracked changes."""

    def __init__(self) -> None:
        self.next_id = 1
        self.date = timezone.now().replace(microsecond=0).isoformat()

    def paragraph(self, paragraph: object, change: Change, rtl: bool) -> None:
        """The change's text in its own direction (``rtl``), whatever the document's."""
        docx.set_direction(paragraph, rtl)
        element = paragraph._p  # type: ignore[attr-defined]
        for chunk in change.chunks:
            if chunk.op == "equal":
                element.append(docx.run_element("w:t", chunk.text, rtl))
                continue
            wrapper = OxmlElement("w:ins" if chunk.op == "insert" else "w:del")
            wrapper.set(qn("w:id"), str(self.next_id))
            wrapper.set(qn("w:author"), AUTHOR)
            wrapper.set(qn("w:date"), self.date)
            self.next_id += 1
            tag = "w:t" if chunk.op == "insert" else "w:delText"
            wrapper.append(docx.run_element(tag, chunk.text, rtl))
            element.append(wrapper)


def pending_notice(original: str) -> str:
    """Says, in the active language, that a proposal is not yet translated."""
    notice = _(
        "Translation pending: this proposal is shown in its original language, %(original)s."
    )
    return notice % {"original": Language(original).label}


def proposals_docx(title: str, proposals: Iterable[Proposal], language: str) -> bytes:
    """One DOCX: each proposal's identifier, action and target, tracked text, reasons.

    A proposal not yet translated into ``language`` comes in its original language,
    in that language's direction, under a notice saying so."""
    output = docx.new(language, title)
    tracker = _TrackedChanges()
    # python-docx scans every style each time a style is applied by name or
    # object; set the style id directly so that 1,000 proposals take seconds.
    heading = output.styles["Heading 3"].style_id
    with translation.override(language):
        output.add_heading(title, level=1)
        for proposal in proposals:
            change = tracked_changes(proposal, language)
            title_paragraph = output.add_paragraph()
            title_paragraph._p.style = heading
            title_paragraph.add_run(
                f"{proposal.action}    {proposal.identifier}    {proposal.target_pid}"
            )
            if change.language != language:
                pending = output.add_paragraph()
                pending.add_run(pending_notice(change.language)).italic = True
            # The text's own direction: an untranslated English text stays left to right.
            tracker.paragraph(output.add_paragraph(), change, is_rtl(change.language))
            if change.reasons:
                reasons = output.add_paragraph()
                reasons.add_run(_("Reasons:") + " ").bold = True
                reasons.add_run(change.reasons)
    return docx.save(output, language)


def document_proposals(document: ProposalDocument) -> list[Proposal]:
    return list(
        document.proposals.select_related("document__entity", "provision", "edition__instrument")
    )


def document_docx(document: ProposalDocument, language: str) -> bytes:
    title = f"{document.reference} — {document.entity.name}: {document.title}"
    return proposals_docx(title, document_proposals(document), language)


def document_pdf(document: ProposalDocument, language: str) -> bytes:
    import weasyprint  # heavy; only loaded when a PDF is asked for

    with translation.override(language):
        html = render_to_string(
            "proposals/export_document.html",
            {
                "document": document,
                "language": language,
                "rtl": is_rtl(language),
                "changes": [tracked_changes(p, language) for p in document_proposals(document)],
            },
        )
    return bytes(weasyprint.HTML(string=html).write_pdf())


CSV_COLUMNS = [
    "identifier",
    "document",
    "entity",
    "action",
    "provision",
    "agenda_item",
    "status",
    "text",
    "reasons",
]


def _cell(value: str) -> str:
    """Spreadsheets run cells that start with these as formulas (CSV injection)."""
    return "'" + value if value[:1] in {"=", "+", "-", "@"} else value


def proposals_csv(proposals: Iterable[Proposal], language: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for proposal in proposals:
        original = proposal.document.original_language
        writer.writerow(
            _cell(value)
            for value in [
                proposal.identifier,
                proposal.document.reference,
                proposal.document.entity.code,
                proposal.action,
                proposal.target_pid,
                proposal.agenda_item.number if proposal.agenda_item else "",
                proposal.status,
                proposal.texts.get(language) or proposal.texts.get(original, ""),
                proposal.reasons.get(language) or proposal.reasons.get(original, ""),
            ]
        )
    return buffer.getvalue()
