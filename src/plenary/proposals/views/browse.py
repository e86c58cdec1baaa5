"""Reading pages: the conference list, a conference, a document and a proposal."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from plenary.core.errors import Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.proposals import exports, queries, services
from plenary.proposals.changes import tracked_changes
from plenary.proposals.forms import DeadlineForm, EventForm
from plenary.proposals.models import Conference, Sponsorship
from plenary.proposals.views.common import _conference, _document, _language, _proposal


def conference_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "proposals/conference_list.html", {"conferences": Conference.objects.all()}
    )


def conference_detail(request: HttpRequest, code: str) -> HttpResponse:
    conference = _conference(code)
    documents = queries.visible_documents(request.user).filter(conference=conference)
    return render(
        request,
        "proposals/conference_detail.html",
        {
            "conference": conference,
            "agenda": conference.agenda_items.all(),
            "committees": conference.committees.all(),
            "deadlines": conference.deadlines.all(),
            "documents": documents.select_related("entity").order_by("number", "addendum", "id"),
            "editions": conference.editions.select_related("instrument"),
            "can_draft": _can_draft(request, conference),
            "deadline_form": DeadlineForm() if queries.is_secretariat(request.user) else None,
        },
    )


def _can_draft(request: HttpRequest, conference: Conference) -> bool:
    try:
        services.check_can_draft(request.user, conference)
    except Refusal:
        return False
    return True


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    user = request.user
    language = _language()
    proposals = exports.document_proposals(document)
    sponsorships = document.sponsorships.select_related("entity")
    entity_id = getattr(user, "entity_id", None)
    invited = (
        sponsorships.filter(
            entity_id=entity_id,
            role=Sponsorship.Role.CO_SIGNATORY,
            state__in=queries.ACTIVE_SPONSOR_STATES,
        ).first()
        if entity_id is not None
        else None
    )
    editions = list(document.conference.editions.select_related("instrument"))
    return render(
        request,
        "proposals/document_detail.html",
        {
            "document": document,
            "changes": [tracked_changes(p, language) for p in proposals],
            "sponsorships": sponsorships,
            "invitation": invited if document.is_draft else None,
            "is_drafter": services.is_drafter(user, document),
            "is_secretariat": queries.is_secretariat(user),
            "editions": editions,
            "event_form": EventForm(document),
            "translations": document.translations.all(),
            "deadline": services.applicable_deadline(document),
            "languages": UN_LANGUAGES,
        },
    )


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    language = _language()
    return render(
        request,
        "proposals/proposal_detail.html",
        {
            "proposal": proposal,
            "document": proposal.document,
            "change": tracked_changes(proposal, language),
            "versions": proposal.versions.select_related("editor"),
            "events": proposal.events.select_related("actor", "committee"),
            "is_drafter": services.is_drafter(request.user, proposal.document),
        },
    )
