"""Proposals Management System API (``/api/v1/pms/``).

Reads follow the same visibility as the pages (published documents for
everyone, drafts only for their sponsors); writes call the same services.
A stale ``version`` on a proposal update answers 400 with ``code: conflict``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.responses import Status

from plenary.core.errors import NotFoundRefusal
from plenary.proposals import queries, services
from plenary.proposals.changes import tracked_changes
from plenary.proposals.models import AgendaItem, Conference, Proposal, ProposalDocument, Provision

router = Router(tags=["pms"])


class ConferenceOut(Schema):
    code: str
    title: str
    time_zone: str
    languages: list[str]


class ProvisionOut(Schema):
    edition: int
    pid: str
    kind: str
    number: str
    texts: dict[str, str]


class ProposalOut(Schema):
    id: int
    identifier: str
    document: int
    action: str
    provision: str
    agenda_item: str | None
    texts: dict[str, str]
    reasons: dict[str, str]
    status: str
    version: int


class DocumentOut(Schema):
    id: int
    reference: str
    conference: str
    entity: str
    title: str
    original_language: str
    status: str
    sponsors: list[dict[str, str]]
    proposals: list[ProposalOut]


class DocumentIn(Schema):
    title: str
    original_language: str = "en"
    agenda_items: list[int] = []


class ProposalIn(Schema):
    action: str
    edition: int
    pid: str
    new_pid: str = ""
    agenda_item: int | None = None
    texts: dict[str, str] = {}
    reasons: dict[str, str] = {}


class ProposalUpdateIn(ProposalIn):
    version: int


class DiffOut(Schema):
    identifier: str
    language: str
    chunks: list[dict[str, str]]


class GroupOut(Schema):
    action: str
    text: str
    proposals: list[str]


class SearchOut(Schema):
    proposals: list[ProposalOut]
    provisions: list[ProvisionOut]


def _actor(request: HttpRequest) -> Any:
    """The signed-in user; services check what the user may do."""
    return request.user


def _proposal_out(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "identifier": proposal.identifier,
        "document": proposal.document_id,
        "action": proposal.action,
        "provision": proposal.target_pid,
        "agenda_item": proposal.agenda_item.number if proposal.agenda_item else None,
        "texts": proposal.texts,
        "reasons": proposal.reasons,
        "status": proposal.status,
        "version": proposal.version,
    }


def _provision_out(provision: Provision) -> dict[str, Any]:
    return {
        "edition": provision.edition_id,
        "pid": provision.pid,
        "kind": provision.kind,
        "number": provision.number,
        "texts": provision.texts,
    }


def _document_out(document: ProposalDocument) -> dict[str, Any]:
    return {
        "id": document.pk,
        "reference": document.reference,
        "conference": document.conference.code,
        "entity": document.entity.code,
        "title": document.title,
        "original_language": document.original_language,
        "status": document.status,
        "sponsors": [
            {"entity": s.entity.code, "role": s.role, "state": s.state}
            for s in document.sponsorships.select_related("entity")
        ],
        "proposals": [
            _proposal_out(p)
            for p in document.proposals.select_related(
                "document__entity", "provision", "agenda_item"
            )
        ],
    }


def _conference(code: str) -> Conference:
    conference = Conference.objects.filter(code=code).first()
    if conference is None:
        raise NotFoundRefusal(_("This conference does not exist."))
    return conference


@router.get("/conferences", response=list[ConferenceOut], auth=None)
def list_conferences(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"code": c.code, "title": c.title, "time_zone": c.time_zone, "languages": c.languages}
        for c in Conference.objects.all()
    ]


@router.get("/conferences/{code}/provisions/{pid}", response=list[ProvisionOut], auth=None)
def provision(request: HttpRequest, code: str, pid: str) -> list[dict[str, Any]]:
    """The provision ``pid`` in each base edition of the conference (for MOD skeletons)."""
    found = Provision.objects.filter(edition__conferences=_conference(code), pid=pid)
    if not found:
        raise NotFoundRefusal(_("No such provision in the base editions."))
    return [_provision_out(p) for p in found]


@router.get("/conferences/{code}/documents", response=list[DocumentOut], auth=None)
def list_documents(request: HttpRequest, code: str) -> list[dict[str, Any]]:
    documents = queries.visible_documents(request.user).filter(conference=_conference(code))
    return [_document_out(d) for d in documents.select_related("conference", "entity")]


@router.post("/conferences/{code}/documents", response={201: DocumentOut})
def create_document(request: HttpRequest, code: str, payload: DocumentIn) -> Status[dict[str, Any]]:
    document = services.do_create_document(
        _actor(request),
        _conference(code),
        payload.title,
        payload.original_language,
        payload.agenda_items,
    )
    return Status(201, _document_out(document))


@router.get("/documents/{pk}", response=DocumentOut, auth=None)
def get_document(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _document_out(services.get_document(request.user, pk))


def _input(payload: ProposalIn) -> services.ProposalInput:
    return services.ProposalInput(
        action=payload.action,
        edition_id=payload.edition,
        pid=payload.pid,
        new_pid=payload.new_pid,
        agenda_item_id=payload.agenda_item,
        texts=payload.texts,
        reasons=payload.reasons,
    )


@router.post("/documents/{pk}/proposals", response={201: ProposalOut})
def add_proposal(request: HttpRequest, pk: int, payload: ProposalIn) -> Status[dict[str, Any]]:
    document = services.get_document(request.user, pk)
    proposal = services.do_add_proposal(_actor(request), document, _input(payload))
    return Status(201, _proposal_out(proposal))


@router.put("/proposals/{pk}", response=ProposalOut)
def update_proposal(request: HttpRequest, pk: int, payload: ProposalUpdateIn) -> dict[str, Any]:
    proposal = services.get_proposal(request.user, pk)
    updated = services.do_update_proposal(
        _actor(request),
        proposal,
        payload.version,
        _input(payload),
    )
    return _proposal_out(updated)


@router.get("/proposals/{pk}/diff", response=DiffOut, auth=None)
def proposal_diff(request: HttpRequest, pk: int, language: str = "en") -> dict[str, Any]:
    proposal = services.get_proposal(request.user, pk)
    change = tracked_changes(proposal, language)
    return {
        "identifier": proposal.identifier,
        "language": change.language,
        "chunks": [{"op": c.op, "text": c.text} for c in change.chunks],
    }


@router.post("/documents/{pk}/{step}", response=DocumentOut)
def document_step(request: HttpRequest, pk: int, step: str) -> dict[str, Any]:
    """Workflow steps without a body: ``submit``, ``publish``, ``sign``, ``decline``."""
    user: Any = request.user
    document = services.get_document(user, pk)
    steps = {
        "submit": lambda: services.do_submit(user, document),
        "publish": lambda: services.do_publish(user, document),
        "sign": lambda: services.do_answer_invitation(user, document, True),
        "decline": lambda: services.do_answer_invitation(user, document, False),
    }
    if step not in steps:
        raise NotFoundRefusal(_("Unknown step."))
    steps[step]()
    document.refresh_from_db()
    return _document_out(document)


@router.get("/conferences/{code}/agenda/{item}/proposals", response=list[ProposalOut], auth=None)
def agenda_proposals(request: HttpRequest, code: str, item: int) -> list[dict[str, Any]]:
    agenda_item = get_object_or_404(AgendaItem, pk=item, conference=_conference(code))
    return [_proposal_out(p) for p in queries.proposals_for_agenda_item(request.user, agenda_item)]


@router.get("/conferences/{code}/provisions/{pid}/proposals", response=list[GroupOut], auth=None)
def provision_proposals(
    request: HttpRequest, code: str, pid: str, language: str = "en"
) -> list[dict[str, Any]]:
    groups = queries.proposals_by_provision(request.user, _conference(code), pid, language)
    return [
        {"action": g.action, "text": g.text, "proposals": [p.identifier for p in g.proposals]}
        for g in groups
    ]


@router.get("/conferences/{code}/search", response=SearchOut, auth=None)
def search(request: HttpRequest, code: str, q: str) -> dict[str, Any]:
    proposals, provisions = queries.search(request.user, _conference(code), q)
    return {
        "proposals": [_proposal_out(p) for p in proposals[:200]],
        "provisions": [_provision_out(p) for p in provisions[:200]],
    }
