"""Pages across a conference's documents: compilations by agenda item, provision and
entity, search, and an edition's base or consolidated text."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from plenary.accounts.models import Entity
from plenary.core.errors import Refusal
from plenary.proposals import consolidation, queries
from plenary.proposals.changes import tracked_changes
from plenary.proposals.forms import ConsolidateForm
from plenary.proposals.models import AgendaItem, Edition, Provision, Sponsorship
from plenary.proposals.views.common import PAGE_SIZE, _conference, _language


def agenda_compilation(request: HttpRequest, code: str, item_pk: int) -> HttpResponse:
    conference = _conference(code)
    item = get_object_or_404(AgendaItem, pk=item_pk, conference=conference)
    language = _language()
    page = Paginator(queries.proposals_for_agenda_item(request.user, item), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "proposals/compilation.html",
        {
            "conference": conference,
            "item": item,
            "page": page,
            "changes": [tracked_changes(p, language) for p in page],
        },
    )


def by_provision(request: HttpRequest, code: str, pid: str) -> HttpResponse:
    conference = _conference(code)
    language = _language()
    groups = queries.proposals_by_provision(request.user, conference, pid, language)
    provision = Provision.objects.filter(edition__conferences=conference, pid=pid).first()
    return render(
        request,
        "proposals/by_provision.html",
        {
            "conference": conference,
            "pid": pid,
            "provision": provision,
            "groups": [(group, tracked_changes(group.proposals[0], language)) for group in groups],
        },
    )


def by_entity(request: HttpRequest, code: str, entity_code: str) -> HttpResponse:
    conference = _conference(code)
    entity = get_object_or_404(Entity, code=entity_code)
    language = _language()
    proposals = queries.compiled_proposals(request.user, conference).filter(
        document__sponsorships__entity=entity,
        document__sponsorships__state=Sponsorship.State.SIGNED,
    )
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/by_entity.html",
        {
            "conference": conference,
            "entity": entity,
            "page": page,
            "changes": [tracked_changes(p, language) for p in page],
        },
    )


def search(request: HttpRequest, code: str) -> HttpResponse:
    conference = _conference(code)
    query = request.GET.get("q", "").strip()
    proposals, provisions = (None, None)
    if query:
        found = queries.search(request.user, conference, query)
        proposals, provisions = found[0][:200], found[1][:200]
    return render(
        request,
        "proposals/search.html",
        {
            "conference": conference,
            "query": query,
            "proposals": proposals,
            "provisions": provisions,
        },
    )


def edition_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    conference = _conference(code)
    edition = get_object_or_404(Edition, pk=pk, conferences=conference)
    consolidated = request.GET.get("consolidated") == "1"
    nodes = (
        consolidation.consolidated_text(conference, edition)
        if consolidated
        else consolidation.consolidate(list(edition.provisions.all()), [])
    )
    form = ConsolidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = consolidation.do_consolidate(
                request.user,
                conference,
                edition,
                form.cleaned_data["label"],
                form.cleaned_data["date"],
            )
        except Refusal as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(
                request, _("Consolidated edition %(edition)s saved.") % {"edition": new}
            )
            return redirect("proposals:edition", code=code, pk=pk)
    return render(
        request,
        "proposals/edition.html",
        {
            "conference": conference,
            "edition": edition,
            "nodes": nodes,
            "language": _language(),
            "consolidated": consolidated,
            "form": form,
            "is_secretariat": queries.is_secretariat(request.user),
        },
    )
