"""The document pages: a meeting's register and feed, submission, one document, its files.

Views are thin: the rules are in ``services``, reading in ``queries``. The
upload views read their body only after the size limit is in place (CSRF is
checked by an inner view for that reason: the middleware would otherwise read
the body first). Files are always served by ``serving``, after the access
check, never from a public URL.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal, refusals_as_http
from plenary.documents import queries, serving
from plenary.documents.forms import (
    FileForm,
    RegisterFilter,
    ReviseForm,
    SubmitForm,
    TranslationForm,
)
from plenary.documents.models import Document, FileVersion
from plenary.documents.services import access, secretariat, submission
from plenary.documents.uploads import SizeLimit, accepts, upload_view
from plenary.meetings.models import Meeting
from plenary.meetings.queries import visible_meeting

PAGE_SIZE = 50


def _meeting(request: HttpRequest, code: str) -> Meeting:
    with refusals_as_http():
        return visible_meeting(request.user, code)


def _document(request: HttpRequest, pk: int) -> Document:
    with refusals_as_http():
        return access.get_document(request.user, pk)


@require_GET
def register(request: HttpRequest, code: str) -> HttpResponse:
    meeting = _meeting(request, code)
    filters = RegisterFilter(request.GET or None, meeting=meeting)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    documents = queries.register(
        request.user,
        meeting,
        query=chosen.get("q", ""),
        series=chosen.get("series"),
        agenda=chosen.get("agenda"),
        language=chosen.get("language", ""),
    )
    page = queries.register_page(
        documents, request.GET.get("page"), PAGE_SIZE, searched=bool(chosen.get("q"))
    )
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "documents/register.html",
        {
            "meeting": meeting,
            "filters": filters,
            "page": page,
            "query_string": kept.urlencode(),
            "may_submit": bool(_open_series(request, meeting)),
            "manages": access.may_manage(request.user, meeting),
        },
    )


def _open_series(request: HttpRequest, meeting: Any) -> list[Any]:
    """The series ``request.user`` may submit to now (the form offers these)."""
    manager = access.may_manage(request.user, meeting)
    if not manager and not access.submitting_entities(request.user, meeting):
        return []
    open_series = []
    for series in meeting.document_series.all():
        if not manager and not series.delegates_submit:
            continue
        try:
            submission.check_deadline(request.user, series)
        except Refusal:
            continue
        open_series.append(series)
    return open_series


@upload_view
def submit(request: HttpRequest, code: str, limit: SizeLimit | None) -> HttpResponse:
    meeting = _meeting(request, code)
    series = _open_series(request, meeting)
    manager = access.may_manage(request.user, meeting)
    if not series:
        return render(request, "documents/closed.html", {"meeting": meeting}, status=403)
    form = SubmitForm(
        request.POST or None,
        request.FILES or None,
        meeting=meeting,
        series=series,
        entities=access.submitting_entities(request.user, meeting),
        manager=manager,
    )
    if request.method == "POST" and accepts(form, limit):
        chosen = form.cleaned_data["series"]
        document = _attempt(
            form,
            lambda: submission.submit(
                request.user, chosen, form.submission(), form.cleaned_data["file"]
            ),
        )
        if document is not None:
            messages.success(
                request,
                _("%(reference)s is submitted. The secretariat publishes it.")
                % {"reference": document.reference},
            )
            return redirect("documents:detail", pk=document.pk)
    return render(
        request, "documents/submit.html", {"meeting": meeting, "form": form, "series": series}
    )


def _attempt(form: Any, action: Callable[[], Any]) -> Any:
    """Run a service call; a refusal goes to the form (in the reader's language)."""
    with refusals_as_http():
        try:
            return action()
        except (PermissionRefusal, NotFoundRefusal):
            raise  # to refusals_as_http: 403 and 404
        except Refusal as refusal:
            if refusal.field in form.fields:
                form.add_error(refusal.field, str(refusal))
            else:
                form.add_error(None, str(refusal))
    return None


def detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    return _detail(request, document)


def _detail(
    request: HttpRequest,
    document: Document,
    *,
    file_form: FileForm | None = None,
    revise_form: ReviseForm | None = None,
    status: int = 200,
) -> HttpResponse:
    meeting = document.series.meeting
    manages = access.may_manage(request.user, meeting)
    writes = access.may_write(request.user, document)
    languages = list(document.languages.prefetch_related("files"))
    revisions = Document.objects.filter(series=document.series_id, number=document.number).exclude(
        pk=document.pk
    )
    visible = access.visible_documents(request.user, meeting)
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "meeting": meeting,
            "languages": languages,
            "revisions": revisions.filter(pk__in=visible.values("pk")).order_by("revision"),
            "events": document.events.select_related("actor") if manages else [],
            "manages": manages,
            "writes": writes,
            "file_form": file_form or FileForm(initial={"language": document.original_language}),
            "revise_form": revise_form or ReviseForm(),
            "translation_form": TranslationForm(),
            "deadline": submission.local_deadline(document.series),
        },
        status=status,
    )


@require_POST
@upload_view
def add_file(request: HttpRequest, pk: int, limit: SizeLimit | None) -> HttpResponse:
    document = _document(request, pk)
    form = FileForm(request.POST, request.FILES)
    if accepts(form, limit):
        data = form.cleaned_data
        added = _attempt(
            form,
            lambda: submission.add_file(
                request.user, document, data["language"], data["file"], data["label"]
            ),
        )
        if added is not None:
            messages.success(request, _("The new version is uploaded."))
            return redirect("documents:detail", pk=document.pk)
    return _detail(request, document, file_form=form, status=400)


@require_POST
@upload_view
def revise(request: HttpRequest, pk: int, limit: SizeLimit | None) -> HttpResponse:
    document = _document(request, pk)
    form = ReviseForm(request.POST, request.FILES)
    if accepts(form, limit):
        data = form.cleaned_data
        revision = _attempt(
            form, lambda: submission.revise(request.user, document, data["file"], data["title"])
        )
        if revision is not None:
            messages.success(
                request,
                _("%(reference)s is submitted.") % {"reference": revision.reference},
            )
            return redirect("documents:detail", pk=revision.pk)
    return _detail(request, document, revise_form=form, status=400)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The secretariat's buttons: publish, withdraw, translation status."""
    document = _document(request, pk)
    steps: dict[str, Callable[[], Any]] = {
        "publish": lambda: secretariat.publish(request.user, document),
        "withdraw": lambda: secretariat.withdraw(
            request.user, document, request.POST.get("reason", "")
        ),
        "translation": lambda: secretariat.set_translation(
            request.user,
            document,
            request.POST.get("language", ""),
            request.POST.get("status", ""),
        ),
        "machine_draft": lambda: _machine_draft(request, document),
    }
    if action not in steps:
        raise Http404
    with refusals_as_http():
        try:
            steps[action]()
        except (PermissionRefusal, NotFoundRefusal):
            raise  # to refusals_as_http: 403 and 404
        except Refusal as refusal:
            messages.error(request, str(refusal))
        else:
            done = {
                "publish": _("Published."),
                "withdraw": _("Withdrawn: only the secretariat sees it now."),
                "translation": _("Translation status saved."),
                "machine_draft": "",
            }[action]
            if done:
                messages.success(request, done)
    return redirect("documents:detail", pk=document.pk)


def _machine_draft(request: HttpRequest, document: Document) -> None:
    language = request.POST.get("language", "")
    version = secretariat.machine_draft(request.user, document, language)
    if version is None:
        messages.warning(
            request, _("No machine translation model is installed for this pair of languages.")
        )
    else:
        messages.success(
            request, _("A machine translation draft is ready for the translators (not official).")
        )


# --- files ------------------------------------------------------------------------


def _file(request: HttpRequest, pk: int, language: str, number: int) -> FileVersion:
    with refusals_as_http():
        file = queries.get_file(request.user, pk, language, number)
    if not access.may_download(request.user, file):
        raise Http404(_("This file is not available: it waits for the virus scan or was refused."))
    return file


@require_GET
def download(request: HttpRequest, pk: int, language: str, number: int) -> HttpResponseBase:
    return serving.send_original(_file(request, pk, language, number))


@require_GET
def pdf(request: HttpRequest, pk: int, language: str, number: int) -> HttpResponseBase:
    file = _file(request, pk, language, number)
    name = file.pdf.name or (file.file.name if file.kind == "pdf" else "")
    if not name:
        raise Http404(_("This file is not ready yet."))
    stem = file.original_name.rsplit(".", 1)[0]
    return serving.send(file.file.storage, name, "application/pdf", f"{stem}.pdf", inline=True)


@require_GET
def page_image(
    request: HttpRequest, pk: int, language: str, number: int, page: int
) -> HttpResponseBase:
    file = _file(request, pk, language, number)
    if not 1 <= page <= file.page_count:
        raise Http404(_("There is no such page."))
    return serving.send(file.file.storage, file.page_name(page), "image/png", None, inline=True)


@require_GET
def thumbnail(request: HttpRequest, pk: int, language: str, number: int) -> HttpResponseBase:
    file = _file(request, pk, language, number)
    return serving.send(file.file.storage, file.thumbnail_name(), "image/png", None, inline=True)


@require_GET
def status(request: HttpRequest, pk: int, language: str, number: int) -> JsonResponse:
    """A file's processing, for the detail page to follow without reloading."""
    with refusals_as_http():
        file = queries.get_file(request.user, pk, language, number)
    return JsonResponse(
        {
            "processing": file.processing,
            "processing_label": file.get_processing_display(),
            "progress": file.progress,
            "step": _(file.step) if file.step else "",
            "scan": file.scan,
            "scan_label": file.get_scan_display(),
            "pages": file.page_count,
        }
    )


@require_GET
def viewer(request: HttpRequest, pk: int, language: str, number: int) -> HttpResponse:
    """The pages as images, one under the other: reads on a phone without a PDF reader."""
    file = _file(request, pk, language, number)
    return render(
        request,
        "documents/viewer.html",
        {
            "document": file.language_version.document,
            "file": file,
            "pages": range(1, file.page_count + 1)
            if file.processing == FileVersion.Processing.DONE
            else range(0),
        },
    )
