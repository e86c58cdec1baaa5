"""Drafting: documents and their proposals, skeletons, versions and edit conflicts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.accounts.models import User
from plenary.core import audit
from plenary.core.errors import Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.proposals.models import (
    Action,
    AgendaItem,
    Conference,
    Edition,
    Proposal,
    ProposalDocument,
    ProposalVersion,
    Provision,
    Sponsorship,
)
from plenary.proposals.services.access import check_can_draft, check_document_editable
from plenary.proposals.text import fold

CHANGING_ACTIONS = {Action.MOD, Action.EDITORIAL}
TEXT_ACTIONS = {Action.MOD, Action.EDITORIAL, Action.ADD}
MAX_TEXT = 20_000


class EditConflict(Refusal):
    """Someone saved a newer version since the editor loaded theirs."""

    def __init__(self, message: str, changed: list[str], current: dict[str, Any]):
        super().__init__(message, code="conflict")
        self.changed = changed
        self.current = current


# --- documents ---------------------------------------------------------------------


def _agenda_items(conference: Conference, ids: list[int]) -> list[AgendaItem]:
    """Every document addresses at least one agenda item: compilations are built from them."""
    if not ids:
        raise Refusal(_("Choose at least one agenda item."), field="agenda_items")
    items = list(AgendaItem.objects.filter(conference=conference, pk__in=ids))
    if len(items) != len(set(ids)):
        raise Refusal(_("Choose agenda items of this conference."), field="agenda_items")
    return items


def _check_language(code: str, field_name: str = "original_language") -> None:
    if code not in UN_LANGUAGES:
        raise Refusal(_("Unknown language “%(code)s”.") % {"code": code}, field=field_name)


@transaction.atomic
def do_create_document(
    user: User,
    conference: Conference,
    title: str,
    original_language: str,
    agenda_item_ids: list[int],
) -> ProposalDocument:
    """Start a draft for the user's entity, which becomes its originator."""
    entity = check_can_draft(user, conference)
    title = title.strip()
    if not title:
        raise Refusal(_("Give the document a title."), field="title")
    _check_language(original_language)
    items = _agenda_items(conference, agenda_item_ids)
    document = ProposalDocument.objects.create(
        conference=conference,
        entity=entity,
        title=title[:300],
        original_language=original_language,
        created_by=user,
    )
    document.agenda_items.set(items)
    Sponsorship.objects.create(
        document=document,
        entity=entity,
        role=Sponsorship.Role.ORIGINATOR,
        state=Sponsorship.State.SIGNED,
        signed_at=timezone.now(),
    )
    audit.record(user, "pms.document.created", document)
    return document


@transaction.atomic
def do_update_document(
    user: User,
    document: ProposalDocument,
    *,
    version: int,
    title: str,
    original_language: str,
    agenda_item_ids: list[int],
) -> ProposalDocument:
    """Change a draft's title, language or agenda items if ``version`` is still current."""
    check_document_editable(user, document)
    if not title.strip():
        raise Refusal(_("Give the document a title."), field="title")
    _check_language(original_language)
    items = _agenda_items(document.conference, agenda_item_ids)
    updated = ProposalDocument.objects.filter(pk=document.pk, version=version).update(
        title=title.strip()[:300], original_language=original_language, version=version + 1
    )
    if not updated:
        raise Refusal(
            _("Someone else changed this document since you opened it. Reload it and try again."),
            code="conflict",
        )
    document.refresh_from_db()
    document.agenda_items.set(items)
    audit.record(
        user,
        "pms.document.updated",
        document,
        version=document.version,
        title=document.title,
        original_language=original_language,
        agenda_items=[item.number for item in items],
    )
    return document


# --- proposals ---------------------------------------------------------------------


@dataclass
class ProposalInput:
    """What a drafter enters for one proposal; ``pid`` is the target (ADD: follows it)."""

    action: str
    edition_id: int
    pid: str
    new_pid: str = ""
    agenda_item_id: int | None = None
    texts: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)


def _clean_texts(texts: dict[str, str], field_name: str) -> dict[str, str]:
    cleaned = {}
    for code, text in texts.items():
        _check_language(code, field_name)
        if len(text) > MAX_TEXT:
            raise Refusal(_("This text is too long."), field=field_name)
        if text.strip():
            cleaned[code] = text.strip()
    return cleaned


def check_proposal_input(
    document: ProposalDocument, data: ProposalInput, exclude: Proposal | None = None
) -> dict[str, Any]:
    """Validate against the base edition; return the model fields to store."""
    if data.action not in Action.values:
        raise Refusal(_("Choose ADD, MOD, (MOD), SUP or NOC."), field="action")
    edition = document.conference.editions.filter(pk=data.edition_id).first()
    if edition is None:
        raise Refusal(_("Choose a base edition of this conference."), field="edition")
    pid = data.pid.strip()
    provision = Provision.objects.filter(edition=edition, pid=pid).first()
    if provision is None:
        raise Refusal(
            _("Provision “%(pid)s” does not exist in %(edition)s.")
            % {"pid": pid, "edition": edition},
            field="pid",
        )
    siblings = document.proposals.all()
    if exclude is not None:
        siblings = siblings.exclude(pk=exclude.pk)
    new_pid = ""
    if data.action == Action.ADD:
        new_pid = _check_new_number(edition, siblings, data.new_pid.strip())
    elif siblings.filter(provision=provision).exclude(action=Action.ADD).exists():
        raise Refusal(
            _("This document already has a proposal on “%(pid)s”.") % {"pid": pid}, field="pid"
        )
    texts = _clean_texts(data.texts, "texts") if data.action in TEXT_ACTIONS else {}
    original = document.original_language
    if data.action in TEXT_ACTIONS and not texts.get(original):
        raise Refusal(_("Enter the new text in the document's original language."), field="texts")
    if (
        data.action in CHANGING_ACTIONS
        and texts.get(original) == provision.text_in(original).strip()
    ):
        raise Refusal(
            _("The new text is identical to the base text: use NOC for no change."), field="texts"
        )
    agenda_items = document.agenda_items.order_by("position")
    if data.agenda_item_id is None:
        agenda_item = agenda_items.first()
    else:
        agenda_item = agenda_items.filter(pk=data.agenda_item_id).first()
        if agenda_item is None:
            raise Refusal(_("Choose one of the document's agenda items."), field="agenda_item")
    return {
        "action": data.action,
        "edition": edition,
        "provision": provision,
        "new_pid": new_pid,
        "agenda_item": agenda_item,
        "texts": texts,
        "reasons": _clean_texts(data.reasons, "reasons"),
    }


def _check_new_number(edition: Edition, siblings: Any, new_pid: str) -> str:
    """An ADD's number must be new to the edition and to the document."""
    if not new_pid:
        raise Refusal(_("Give the number of the new provision."), field="new_pid")
    if Provision.objects.filter(edition=edition, pid=new_pid).exists():
        raise Refusal(
            _("“%(pid)s” already exists in %(edition)s: choose another number or use MOD.")
            % {"pid": new_pid, "edition": edition},
            field="new_pid",
        )
    if siblings.filter(edition=edition, new_pid=new_pid).exists():
        raise Refusal(
            _("This document already adds “%(pid)s”.") % {"pid": new_pid}, field="new_pid"
        )
    return new_pid


def search_text_for(proposal: Proposal) -> str:
    parts = [
        proposal.identifier,
        proposal.target_pid,
        *proposal.texts.values(),
        *proposal.reasons.values(),
    ]
    return fold(" ".join(parts))


def snapshot(proposal: Proposal) -> dict[str, Any]:
    return {
        "action": proposal.action,
        "provision": proposal.provision.pid if proposal.provision else "",
        "new_pid": proposal.new_pid,
        "agenda_item": proposal.agenda_item_id,
        "texts": proposal.texts,
        "reasons": proposal.reasons,
    }


def _record_version(user: User | None, proposal: Proposal) -> None:
    ProposalVersion.objects.create(
        proposal=proposal, version=proposal.version, editor=user, snapshot=snapshot(proposal)
    )


@transaction.atomic
def do_add_proposal(user: User, document: ProposalDocument, data: ProposalInput) -> Proposal:
    check_document_editable(user, document)
    ProposalDocument.objects.select_for_update().filter(pk=document.pk).first()
    values = check_proposal_input(document, data)
    seq = (document.proposals.aggregate(m=Max("seq"))["m"] or 0) + 1
    proposal = Proposal(document=document, seq=seq, **values)
    proposal.search_text = search_text_for(proposal)
    proposal.save()
    _record_version(user, proposal)
    audit.record(user, "pms.proposal.added", proposal)
    return proposal


def _changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    labels = {
        "action": _("action"),
        "provision": _("provision"),
        "new_pid": _("new provision number"),
        "agenda_item": _("agenda item"),
        "texts": _("text"),
        "reasons": _("reasons"),
    }
    return [str(label) for key, label in labels.items() if before.get(key) != after.get(key)]


@transaction.atomic
def do_update_proposal(
    user: User, proposal: Proposal, version: int, data: ProposalInput
) -> Proposal:
    """Save a new version if ``version`` is still current, else raise :class:`EditConflict`."""
    document = proposal.document
    check_document_editable(user, document)
    current = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if current.version != version:
        raise _conflict(current, version)
    values = check_proposal_input(document, data, exclude=current)
    for name, value in values.items():
        setattr(current, name, value)
    current.version = version + 1
    current.search_text = search_text_for(current)
    current.save()
    _record_version(user, current)
    audit.record(user, "pms.proposal.updated", current, version=current.version)
    return current


def _conflict(current: Proposal, seen_version: int) -> EditConflict:
    seen = ProposalVersion.objects.filter(proposal=current, version=seen_version).first()
    latest = current.versions.select_related("editor").order_by("-version").first()
    now = snapshot(current)
    changed = _changed_fields(seen.snapshot if seen else {}, now)
    who = latest.editor.display_name if latest and latest.editor else "?"
    when = timezone.localtime(latest.saved_at).strftime("%Y-%m-%d %H:%M") if latest else "?"
    message = _(
        "%(who)s saved this proposal at %(when)s, after you opened it (changed: %(fields)s). "
        "Nothing was overwritten: your text is still in the form; compare it with the "
        "current version below and save again."
    ) % {"who": who, "when": when, "fields": ", ".join(changed) or "—"}
    return EditConflict(message, changed, now | {"version": current.version})


@transaction.atomic
def do_delete_proposal(user: User, proposal: Proposal) -> None:
    check_document_editable(user, proposal.document)
    audit.record(user, "pms.proposal.deleted", proposal, snapshot=snapshot(proposal))
    proposal.delete()


@transaction.atomic
def do_add_skeleton(
    user: User, document: ProposalDocument, edition_id: int, pid: str
) -> list[Proposal]:
    """NOC proposals, prefilled with the base text, for every provision under ``pid``.

    Drafters then switch only the provisions they change to MOD or SUP.
    """
    check_document_editable(user, document)
    edition = document.conference.editions.filter(pk=edition_id).first()
    root = Provision.objects.filter(edition=edition, pid=pid.strip()).first()
    if edition is None or root is None:
        raise Refusal(
            _("Provision “%(pid)s” does not exist in the base edition.") % {"pid": pid}, field="pid"
        )
    taken = set(document.proposals.values_list("provision_id", flat=True))
    descendants = _subtree(root)
    created = []
    for provision in descendants:
        if provision.pk in taken or provision.kind in {"article", "section"}:
            continue
        created.append(
            do_add_proposal(
                user,
                document,
                ProposalInput(
                    action=Action.NOC,
                    edition_id=edition.pk,
                    pid=provision.pid,
                ),
            )
        )
    if not created:
        raise Refusal(_("Every provision there already has a proposal."), field="pid")
    return created


def _subtree(root: Provision) -> list[Provision]:
    nodes = list(Provision.objects.filter(edition_id=root.edition_id).order_by("position"))
    inside = {root.pk}
    found = [root]
    for node in nodes:
        if node.parent_id in inside:
            inside.add(node.pk)
            found.append(node)
    return found
