"""Consolidated text = base edition + adopted proposals (pure, then stored as an edition)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from plenary.core import audit
from plenary.core.errors import Refusal
from plenary.proposals.models import Action, Conference, Edition, Proposal, Provision
from plenary.proposals.queries import is_secretariat
from plenary.proposals.text import fold


@dataclass
class Node:
    """One provision of a consolidated text; ``source`` names the proposal that changed it."""

    pid: str
    kind: str
    number: str
    parent_pid: str | None
    headings: dict[str, str]
    texts: dict[str, str]
    source: str = ""


def consolidate(provisions: list[Provision], adopted: list[Proposal]) -> list[Node]:
    """Apply adopted MOD/(MOD)/SUP/ADD proposals to ``provisions``.

    MOD replaces the text in the languages the proposal gives; SUP removes the
    provision and everything under it; ADD inserts the new provision right
    after its anchor (and the anchor's subtree), at the anchor's level. NOC
    changes nothing. Returns the nodes in document order (a flat list).
    """
    children: dict[int | None, list[Provision]] = {}
    for provision in sorted(provisions, key=lambda p: p.position):
        children.setdefault(provision.parent_id, []).append(provision)
    changes = {p.provision_id: p for p in adopted if p.action in {"MOD", "(MOD)", "SUP"}}
    additions: dict[int | None, list[Proposal]] = {}
    for proposal in adopted:
        if proposal.action == Action.ADD:
            additions.setdefault(proposal.provision_id, []).append(proposal)
    nodes: list[Node] = []

    def walk(parent_id: int | None, parent_pid: str | None) -> None:
        for provision in children.get(parent_id, []):
            change = changes.get(provision.pk)
            if change is None or change.action != Action.SUP:
                nodes.append(
                    Node(
                        pid=provision.pid,
                        kind=provision.kind,
                        number=provision.number,
                        parent_pid=parent_pid,
                        headings=dict(provision.headings),
                        texts=dict(provision.texts) | (change.texts if change else {}),
                        source=change.identifier if change else "",
                    )
                )
                walk(provision.pk, provision.pid)
            for add in additions.get(provision.pk, []):
                nodes.append(
                    Node(
                        pid=add.new_pid,
                        kind=provision.kind,
                        number=add.new_pid,
                        parent_pid=parent_pid,
                        headings={},
                        texts=dict(add.texts),
                        source=add.identifier,
                    )
                )

    walk(None, None)
    return nodes


def adopted_proposals(conference: Conference, edition: Edition) -> list[Proposal]:
    return list(
        Proposal.objects.filter(
            document__conference=conference,
            edition=edition,
            status=Proposal.Status.ADOPTED,
        ).select_related("document__entity")
    )


def consolidated_text(conference: Conference, edition: Edition) -> list[Node]:
    provisions = list(edition.provisions.order_by("position"))
    return consolidate(provisions, adopted_proposals(conference, edition))


@transaction.atomic
def do_consolidate(
    user: object, conference: Conference, edition: Edition, label: str, date: dt.date
) -> Edition:
    """Store the consolidated text as a new edition of the same instrument."""
    if not is_secretariat(user):
        raise Refusal(_("Only the secretariat may do this."), code="forbidden")
    label = label.strip()
    if not label or Edition.objects.filter(instrument=edition.instrument, label=label).exists():
        raise Refusal(_("Choose a new, unused edition label."), field="label")
    nodes = consolidated_text(conference, edition)
    new = Edition.objects.create(
        instrument=edition.instrument, label=label, date=date, languages=edition.languages
    )
    store_nodes(new, nodes)
    audit.record(user, "pms.edition.consolidated", new, base=edition.pk)
    return new


def store_nodes(edition: Edition, nodes: list[Node]) -> None:
    """Create ``edition``'s provisions from nodes in document order (parents first)."""
    created: dict[str, Provision] = {}
    for position, node in enumerate(nodes, start=1):
        provision = Provision.objects.create(
            edition=edition,
            pid=node.pid,
            kind=node.kind,
            number=node.number,
            parent=created.get(node.parent_pid) if node.parent_pid else None,
            position=position,
            headings=node.headings,
            texts=node.texts,
            search_text=fold(
                " ".join([node.number, *node.headings.values(), *node.texts.values()])
            ),
        )
        created[node.pid] = provision
