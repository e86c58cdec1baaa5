"""The library pages of a workspace: its documents, one document's versions, a download.

Thin, as ``views``: the rules are in ``services.library``. The upload views
put the size limit in place before the body is read (``upload_view``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from plenary.core.errors import refusals_as_http
from plenary.documents import serving
from plenary.documents.uploads import SizeLimit, accepts, upload_view
from plenary.workspaces import pages
from plenary.workspaces.forms import LibraryForm, LibrarySearchForm, VersionForm
from plenary.workspaces.services import library


@require_GET
def index(request: HttpRequest, slug: str) -> HttpResponse:
    place = pages.place(request, slug)
    return _index_page(request, place, LibraryForm())


def _index_page(
    request: HttpRequest, place: library.Place, form: LibraryForm, status: int = 200
) -> HttpResponse:
    search = LibrarySearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_bound and search.is_valid() else ""
    return render(
        request,
        "workspaces/library.html",
        {
            "place": place,
            "workspace": place.workspace,
            "documents": library.documents(place, query)[:200],
            "search": search,
            "query": query,
            "form": form if place.may_write else None,
        },
        status=status,
    )


@require_POST
@upload_view
def add(request: HttpRequest, slug: str, limit: SizeLimit | None) -> HttpResponse:
    place = pages.place(request, slug)
    form = LibraryForm(request.POST, request.FILES)
    if accepts(form, limit):
        file, _reply = pages.attempt(
            request,
            form,
            lambda: library.do_add(
                request.user,
                place,
                form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                label=form.cleaned_data["label"],
            ),
        )
        if file is not None:
            return redirect("workspaces:library_document", slug, file.document_id)
    return _index_page(request, place, form, status=400)


@require_GET
def document(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _document_page(request, pages.place(request, slug), pk, VersionForm())


def _document_page(
    request: HttpRequest, place: library.Place, pk: int, form: VersionForm, status: int = 200
) -> HttpResponse:
    with refusals_as_http():
        found = library.get_document(place, pk)
    return render(
        request,
        "workspaces/library_document.html",
        {
            "place": place,
            "workspace": place.workspace,
            "document": found,
            "versions": found.files.select_related("uploaded_by").order_by("-number"),
            "form": form if place.may_write else None,
        },
        status=status,
    )


@require_POST
@upload_view
def add_version(request: HttpRequest, slug: str, pk: int, limit: SizeLimit | None) -> HttpResponse:
    place = pages.place(request, slug)
    form = VersionForm(request.POST, request.FILES)
    if accepts(form, limit):
        file, _reply = pages.attempt(
            request,
            form,
            lambda: library.do_add_version(
                request.user, place, pk, form.cleaned_data["file"], label=form.cleaned_data["label"]
            ),
        )
        if file is not None:
            return redirect("workspaces:library_document", slug, pk)
    return _document_page(request, place, pk, form, status=400)


@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A library file (a version of a document, or a message's attachment)."""
    with refusals_as_http():
        file = library.get_file(request.user, pk)
    return serving.send_original(file)
