"""Read side: who sees which documents, and the compilations built from them."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from plenary.proposals.models import (
    AgendaItem,
    Conference,
    Proposal,
    ProposalDocument,
    Provision,
    Sponsorship,
)
from plenary.proposals.text import fold

# Sponsors in these states see the document while it is a draft.
ACTIVE_SPONSOR_STATES = (Sponsorship.State.INVITED, Sponsorship.State.SIGNED)
# Documents that count in compilations: submitted (for those who see them) and
# published ones, never drafts nor documents superseded by a revision.
COMPILED_STATUSES = (ProposalDocument.Status.SUBMITTED, ProposalDocument.Status.PUBLISHED)


def is_secretariat(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_secretariat)


def visible_documents(user: Any) -> QuerySet[ProposalDocument]:
    """Published documents (and superseded ones that were published) for everyone;
    submitted ones for the secretariat; drafts only for the originator's and
    invited co-signatories' people."""
    # A published document stays public once a revision supersedes it.
    visible = Q(status=ProposalDocument.Status.PUBLISHED) | Q(
        status=ProposalDocument.Status.SUPERSEDED, published_at__isnull=False
    )
    if is_secretariat(user):
        visible |= ~Q(status=ProposalDocument.Status.DRAFT)
    entity_id = getattr(user, "entity_id", None) if user.is_authenticated else None
    if entity_id is not None:
        sponsored = Sponsorship.objects.filter(entity_id=entity_id, state__in=ACTIVE_SPONSOR_STATES)
        visible |= Q(pk__in=sponsored.values("document_id"))
    return ProposalDocument.objects.filter(visible)


def compiled_proposals(user: Any, conference: Conference) -> QuerySet[Proposal]:
    """Proposals of submitted or published documents that ``user`` may see."""
    documents = visible_documents(user).filter(conference=conference, status__in=COMPILED_STATUSES)
    return (
        Proposal.objects.filter(document__in=documents.values("pk"))
        .select_related("document__entity", "provision__edition__instrument", "agenda_item")
        .order_by("document__number", "document__addendum", "seq")
    )


def agenda_subtree(item: AgendaItem) -> list[int]:
    """``item`` and all its descendants (agenda trees are small)."""
    by_parent: dict[int | None, list[int]] = defaultdict(list)
    for pk, parent_id in AgendaItem.objects.filter(conference_id=item.conference_id).values_list(
        "pk", "parent_id"
    ):
        by_parent[parent_id].append(pk)
    found, stack = [], [item.pk]
    while stack:
        pk = stack.pop()
        found.append(pk)
        stack.extend(by_parent[pk])
    return found


def proposals_for_agenda_item(user: Any, item: AgendaItem) -> QuerySet[Proposal]:
    return compiled_proposals(user, item.conference).filter(agenda_item_id__in=agenda_subtree(item))


@dataclass
class ProposalGroup:
    """Proposals with the same action and the same new text, shown once."""

    action: str
    text: str
    proposals: list[Proposal] = field(default_factory=list)


def proposals_by_provision(
    user: Any, conference: Conference, pid: str, language: str
) -> list[ProposalGroup]:
    """Every proposal on provision ``pid``, identical ones grouped, in document order."""
    compiled = compiled_proposals(user, conference)
    targets = Provision.objects.filter(edition__conferences=conference, pid=pid).values("pk")
    # Two indexed queries rather than one OR across a join, which scans every proposal.
    changes = compiled.filter(provision_id__in=targets).exclude(action="ADD")
    proposals = sorted(
        [*changes, *compiled.filter(new_pid=pid)],
        key=lambda p: (p.document.number or 0, p.document.addendum, p.seq),
    )
    groups: dict[tuple[str, str], ProposalGroup] = {}
    for proposal in proposals:
        text = proposal.texts.get(language) or proposal.texts.get(
            proposal.document.original_language, ""
        )
        key = (proposal.action, " ".join(fold(text).split()))
        groups.setdefault(key, ProposalGroup(proposal.action, text)).proposals.append(proposal)
    return list(groups.values())


def search(
    user: Any, conference: Conference, query: str
) -> tuple[QuerySet[Proposal], QuerySet[Provision]]:
    """Proposals and base-text provisions whose text, in any language, contains ``query``."""
    needle = fold(query.strip())
    if not needle:
        return Proposal.objects.none(), Provision.objects.none()
    proposals = compiled_proposals(user, conference).filter(search_text__contains=needle)
    provisions = (
        Provision.objects.filter(edition__conferences=conference, search_text__contains=needle)
        .select_related("edition__instrument")
        .order_by("edition", "position")
    )
    return proposals, provisions
