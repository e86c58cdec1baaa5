"""Downloads: a document as DOCX, PDF or Akoma Ntoso, a conference's proposals as CSV,
an edition as Akoma Ntoso."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from plenary.core.languages import UN_LANGUAGES
from plenary.proposals import akn, exports, queries
from plenary.proposals.models import Edition
from plenary.proposals.views.common import _conference, _document, _language


def document_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    document = _document(request, pk)
    language = request.GET.get("language", document.original_language)
    if language not in UN_LANGUAGES:
        raise Http404
    name = f"{document.reference}-{language}".replace(" ", "_")
    if fmt == "docx":
        response = HttpResponse(
            exports.document_docx(document, language),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    elif fmt == "xml":
        response = HttpResponse(akn.export_document(document), content_type="application/akn+xml")
    elif fmt == "pdf":
        response = HttpResponse(
            exports.document_pdf(document, language), content_type="application/pdf"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def proposals_csv(request: HttpRequest, code: str) -> HttpResponse:
    conference = _conference(code)
    language = request.GET.get("language", _language())
    proposals = queries.compiled_proposals(request.user, conference)
    response = HttpResponse(
        exports.proposals_csv(proposals, language), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{conference.code}-proposals.csv"'
    return response


def edition_akn(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk, conferences__code=code)
    response = HttpResponse(akn.export_edition(edition), content_type="application/akn+xml")
    response["Content-Disposition"] = (
        f'attachment; filename="{edition.instrument.code}-{edition.label}.xml"'
    )
    return response
