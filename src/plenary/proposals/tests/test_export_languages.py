"""An export in a language the proposal is not yet translated into says so, and keeps
the original text in its own direction; a published document's proposals do not read
"Submitted"."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from plenary.accounts.models import User
from plenary.proposals import exports
from plenary.proposals.changes import tracked_changes
from plenary.proposals.models import Conference, Proposal
from plenary.proposals.tests.factories import draft_with_mod

pytestmark = pytest.mark.django_db


def test_the_arabic_docx_says_the_translation_is_pending(
    conference: Conference, drafter: User
) -> None:
    document, _ = draft_with_mod(drafter, conference)
    body = (
        zipfile.ZipFile(io.BytesIO(exports.document_docx(document, "ar")))
        .read("word/document.xml")
        .decode()
    )
    assert "الترجمة قيد الانتظار" in body
    paragraphs = body.split("<w:p>")
    notice = next(p for p in paragraphs if "الترجمة قيد الانتظار" in p)
    assert '<w:bidi w:val="1"/>' in notice and "<w:rtl/>" in notice
    # The English text keeps its own direction.
    english = next(p for p in paragraphs if "w:ins" in p or "w:del" in p)
    assert '<w:bidi w:val="0"/>' in english and "<w:rtl/>" not in english


def test_the_arabic_pdf_page_says_the_translation_is_pending(
    conference: Conference, drafter: User
) -> None:
    document, _ = draft_with_mod(drafter, conference)
    changes = [tracked_changes(p, "ar") for p in exports.document_proposals(document)]
    with translation.override("ar"):
        html = render_to_string(
            "proposals/export_document.html",
            {"document": document, "language": "ar", "rtl": True, "changes": changes},
        )
    assert "الترجمة قيد الانتظار" in html
    assert '<p lang="en" dir="ltr">' in html


def test_an_english_export_has_no_pending_notice(conference: Conference, drafter: User) -> None:
    document, _ = draft_with_mod(drafter, conference)
    body = (
        zipfile.ZipFile(io.BytesIO(exports.document_docx(document, "en")))
        .read("word/document.xml")
        .decode()
    )
    assert "Translation pending" not in body


def test_a_submitted_proposal_shows_no_submitted_badge(
    conference: Conference, drafter: User
) -> None:
    _document, proposal = draft_with_mod(drafter, conference)
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.SUBMITTED)
    proposal.refresh_from_db()
    html = render_to_string("proposals/_change.html", {"change": tracked_changes(proposal, "en")})
    assert "Submitted" not in html
    Proposal.objects.filter(pk=proposal.pk).update(status=Proposal.Status.ADOPTED)
    proposal.refresh_from_db()
    html = render_to_string("proposals/_change.html", {"change": tracked_changes(proposal, "en")})
    assert "Adopted" in html
