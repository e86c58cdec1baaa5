"""Business operations of the PMS: ``check_*`` authorise and validate, ``do_*`` write.

Every ``do_*`` function runs in one transaction: a refusal leaves nothing
half-written. Edits use optimistic locking (a ``version`` number that must
match); a stale save raises :class:`EditConflict` naming what changed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.accounts.models import Entity, User
from plenary.core import audit
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.proposals import mt
from plenary.proposals.models import (
    Action,
    AgendaItem,
    Committee,
    Conference,
    Deadline,
    Edition,
    Proposal,
    ProposalDocument,
    ProposalVersion,
    Provision,
    Sponsorship,
    StatusEvent,
    Translation,
)
from plenary.proposals.queries import ACTIVE_SPONSOR_STATES, is_secretariat, visible_documents
from plenary.proposals.text import fold

Status = ProposalDocument.Status
# Who may originate proposals to a conference, and who may co-sign them.
ORIGINATOR_CATEGORIES = {Entity.Category.MEMBER_STATE, Entity.Category.REGIONAL_ORGANISATION}
CO_SIGNATORY_CATEGORIES = {Entity.Category.MEMBER_STATE}
CHANGING_ACTIONS = {Action.MOD, Action.EDITORIAL}
TEXT_ACTIONS = {Action.MOD, Action.EDITORIAL, Action.ADD}
MAX_TEXT = 20_000


class EditConflict(Refusal):
    """Someone saved a newer version since the editor loaded theirs."""

    def __init__(self, message: str, changed: list[str], current: dict[str, Any]):
        super().__init__(message, code="conflict")
        self.changed = changed
        self.current = current


# --- reading one object, with visibility --------------------------------------------


def get_document(user: Any, pk: int) -> ProposalDocument:
    """The document if ``user`` may see it; otherwise "not found" (no existence leak)."""
    document = (
        visible_documents(user)
        .select_related("conference", "entity", "parent", "committee")
        .filter(pk=pk)
        .first()
    )
    if document is None:
        raise NotFoundRefusal(_("This proposal document does not exist or is not visible to you."))
    return document


def get_proposal(user: Any, pk: int) -> Proposal:
    proposal = (
        Proposal.objects.select_related("document", "provision", "edition").filter(pk=pk).first()
    )
    if proposal is None or not visible_documents(user).filter(pk=proposal.document_id).exists():
        raise NotFoundRefusal(_("This proposal does not exist or is not visible to you."))
    return proposal


# --- authorisation -----------------------------------------------------------------


def is_drafter(user: Any, document: ProposalDocument) -> bool:
    """People of the originating entity draft and submit its documents."""
    return bool(user.is_authenticated and user.entity_id == document.entity_id)


def check_secretariat(user: Any) -> None:
    if not is_secretariat(user):
        raise PermissionRefusal(_("Only the secretariat may do this."))


def check_can_draft(user: Any, conference: Conference) -> Entity:
    if not user.is_authenticated or user.entity is None:
        raise PermissionRefusal(_("Only people who represent an entity may draft proposals."))
    if user.entity.category not in ORIGINATOR_CATEGORIES:
        raise PermissionRefusal(
            _("Only Member States and regional organisations may submit proposals.")
        )
    return user.entity


def check_document_editable(user: Any, document: ProposalDocument) -> None:
    if not is_drafter(user, document):
        raise PermissionRefusal(_("Only the originating entity's drafters may edit this document."))
    if not document.is_draft:
        raise Refusal(
            _("A submitted document can no longer be edited; start a revision to change it."),
            code="submitted",
        )


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
    who = (
        latest.editor.get_full_name() or latest.editor.username if latest and latest.editor else "?"
    )
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


# --- co-signatories ------------------------------------------------------------------


@transaction.atomic
def do_invite_co_signatory(user: User, document: ProposalDocument, entity_code: str) -> Sponsorship:
    check_document_editable(user, document)
    entity = Entity.objects.filter(code=entity_code.strip()).first()
    if entity is None or entity.category not in CO_SIGNATORY_CATEGORIES:
        raise Refusal(
            _("“%(code)s” is not a Member State that may co-sign proposals.")
            % {"code": entity_code},
            field="entity",
        )
    if document.sponsorships.filter(entity=entity).exists():
        raise Refusal(
            _("%(entity)s is already a sponsor of this document.") % {"entity": entity},
            field="entity",
        )
    sponsorship = Sponsorship.objects.create(
        document=document,
        entity=entity,
        role=Sponsorship.Role.CO_SIGNATORY,
        state=Sponsorship.State.INVITED,
    )
    audit.record(user, "pms.cosignatory.invited", document, entity=entity.code)
    return sponsorship


@transaction.atomic
def do_answer_invitation(user: User, document: ProposalDocument, sign: bool) -> Sponsorship:
    """The invited entity signs or declines; a signatory may later withdraw before submission."""
    if not document.is_draft:
        raise Refusal(_("The document has been submitted; sponsorships can no longer change."))
    if user.entity_id is None:
        raise PermissionRefusal(_("Your entity is not invited to co-sign this document."))
    sponsorship = document.sponsorships.filter(
        entity_id=user.entity_id,
        role=Sponsorship.Role.CO_SIGNATORY,
        state__in=ACTIVE_SPONSOR_STATES,
    ).first()
    if sponsorship is None:
        raise PermissionRefusal(_("Your entity is not invited to co-sign this document."))
    if sign:
        sponsorship.state, sponsorship.signed_at = Sponsorship.State.SIGNED, timezone.now()
    elif sponsorship.state == Sponsorship.State.SIGNED:
        sponsorship.state, sponsorship.withdrawn_at = Sponsorship.State.WITHDRAWN, timezone.now()
    else:
        sponsorship.state = Sponsorship.State.DECLINED
    sponsorship.save()
    audit.record(user, f"pms.cosignatory.{sponsorship.state}", document)
    return sponsorship


# --- deadlines and submission ---------------------------------------------------------


def applicable_deadline(document: ProposalDocument) -> Deadline | None:
    """The earliest deadline that applies to what the document proposes to change."""
    kinds = [Deadline.Kind.PROPOSALS]
    if document.proposals.filter(
        edition__instrument__kind__in=["constitution", "convention"]
    ).exists():
        kinds.append(Deadline.Kind.BASIC_TEXTS)
    return document.conference.deadlines.filter(kind__in=kinds).order_by("closes_at").first()


def local_deadline(deadline: Deadline) -> dt.datetime:
    return deadline.closes_at.astimezone(deadline.conference.tzinfo)


def check_submit(user: User, document: ProposalDocument) -> None:
    check_document_editable(user, document)
    proposals = list(document.proposals.all())
    if not proposals:
        raise Refusal(_("Add at least one proposal before submitting."))
    language = document.original_language
    missing = [p.identifier for p in proposals if not p.reasons.get(language)]
    if missing:
        raise Refusal(
            _("Give the reasons for every proposal (missing for %(ids)s).")
            % {"ids": ", ".join(missing)}
        )
    pending = document.sponsorships.filter(state=Sponsorship.State.INVITED)
    if pending.exists():
        raise Refusal(
            _("Waiting for co-signatories to answer: %(codes)s.")
            % {"codes": ", ".join(pending.values_list("entity__code", flat=True))}
        )
    deadline = applicable_deadline(document)
    if deadline is not None and timezone.now() > deadline.closes_at:
        raise Refusal(
            _("The deadline for these proposals passed on %(when)s (%(zone)s).")
            % {
                "when": local_deadline(deadline).strftime("%Y-%m-%d %H:%M"),
                "zone": document.conference.time_zone,
            },
            code="deadline",
        )


@transaction.atomic
def do_submit(user: User, document: ProposalDocument) -> ProposalDocument:
    """Submit a draft: number it, open translations, mark its proposals submitted."""
    # Lock the conference row so that two submissions never get the same number.
    conference = Conference.objects.select_for_update().get(pk=document.conference_id)
    document = ProposalDocument.objects.select_for_update().get(pk=document.pk)
    check_submit(user, document)
    parent = document.parent
    documents = conference.documents.exclude(number=None)
    if parent is None:
        document.number = (documents.aggregate(m=Max("number"))["m"] or 0) + 1
    elif document.derivation == ProposalDocument.Derivation.ADDENDUM:
        document.number = parent.number
        document.addendum = (
            documents.filter(number=parent.number).aggregate(m=Max("addendum"))["m"] or 0
        ) + 1
    else:
        document.number, document.addendum = parent.number, parent.addendum
        document.revision = parent.revision + 1
        parent.status = Status.SUPERSEDED
        parent.save(update_fields=["status"])
    document.status = Status.SUBMITTED
    document.submitted_at = timezone.now()
    document.version += 1
    document.save()
    proposals = list(document.proposals.select_related("document__entity"))
    for proposal in proposals:
        proposal.status = Proposal.Status.SUBMITTED
        proposal.search_text = search_text_for(proposal)
    Proposal.objects.bulk_update(proposals, ["status", "search_text"])
    StatusEvent.objects.bulk_create(
        StatusEvent(proposal=p, kind=Proposal.Status.SUBMITTED, actor=user) for p in proposals
    )
    Translation.objects.bulk_create(
        Translation(
            document=document,
            language=code,
            status=(
                Translation.Status.REVISED
                if code == document.original_language
                else Translation.Status.PENDING
            ),
        )
        for code in conference.languages or UN_LANGUAGES
    )
    audit.record(user, "pms.document.submitted", document, number=document.reference)
    return document


def _derive(user: User, document: ProposalDocument, derivation: str) -> ProposalDocument:
    if not is_drafter(user, document):
        raise PermissionRefusal(_("Only the originating entity's drafters may do this."))
    if document.status not in {Status.SUBMITTED, Status.PUBLISHED}:
        raise Refusal(_("Only a submitted document can have an addendum or a revision."))
    if document.derived.filter(status=Status.DRAFT, derivation=derivation).exists():
        raise Refusal(_("A draft of this already exists; continue that one."))
    draft = ProposalDocument.objects.create(
        conference=document.conference,
        entity=document.entity,
        title=document.title,
        original_language=document.original_language,
        parent=document,
        derivation=derivation,
        created_by=user,
    )
    draft.agenda_items.set(document.agenda_items.all())
    for sponsorship in document.sponsorships.filter(state=Sponsorship.State.SIGNED):
        Sponsorship.objects.create(
            document=draft,
            entity=sponsorship.entity,
            role=sponsorship.role,
            state=Sponsorship.State.SIGNED,
            signed_at=sponsorship.signed_at,
        )
    return draft


@transaction.atomic
def do_start_revision(user: User, document: ProposalDocument) -> ProposalDocument:
    """A draft copy to change a submitted document; on submission it supersedes it."""
    draft = _derive(user, document, ProposalDocument.Derivation.REVISION)
    for proposal in document.proposals.all():
        copy = Proposal.objects.create(
            document=draft,
            seq=proposal.seq,
            action=proposal.action,
            edition_id=proposal.edition_id,
            provision_id=proposal.provision_id,
            new_pid=proposal.new_pid,
            agenda_item_id=proposal.agenda_item_id,
            texts=proposal.texts,
            reasons=proposal.reasons,
            search_text=proposal.search_text,
        )
        _record_version(user, copy)
    audit.record(user, "pms.document.revision_started", draft, of=document.pk)
    return draft


@transaction.atomic
def do_start_addendum(user: User, document: ProposalDocument) -> ProposalDocument:
    draft = _derive(user, document, ProposalDocument.Derivation.ADDENDUM)
    audit.record(user, "pms.document.addendum_started", draft, of=document.pk)
    return draft


# --- secretariat processing ----------------------------------------------------------


def _check_processable(user: User, document: ProposalDocument) -> None:
    check_secretariat(user)
    if document.status not in {Status.SUBMITTED, Status.PUBLISHED}:
        raise Refusal(_("Only submitted documents are processed by the secretariat."))


@transaction.atomic
def do_publish(user: User, document: ProposalDocument) -> ProposalDocument:
    _check_processable(user, document)
    if document.status == Status.PUBLISHED:
        raise Refusal(_("This document is already published."))
    document.status = Status.PUBLISHED
    document.published_at = timezone.now()
    document.save(update_fields=["status", "published_at"])
    document.translations.filter(language=document.original_language).update(
        status=Translation.Status.PUBLISHED
    )
    audit.record(user, "pms.document.published", document)
    return document


@transaction.atomic
def do_set_translation_status(
    user: User, document: ProposalDocument, language: str, status: str
) -> Translation:
    _check_processable(user, document)
    if status not in Translation.Status.values:
        raise Refusal(_("Unknown translation status."), field="status")
    translation = document.translations.filter(language=language).first()
    if translation is None:
        raise Refusal(_("This document is not translated into that language."), field="language")
    translation.status = status
    translation.save(update_fields=["status", "updated_at"])
    audit.record(user, "pms.translation.status", document, language=language, status=status)
    return translation


@transaction.atomic
def do_machine_translate(user: User, document: ProposalDocument, language: str) -> bool:
    """Store a machine-translation draft; ``False`` (still pending) when no model is installed."""
    _check_processable(user, document)
    translation = document.translations.filter(language=language).first()
    if translation is None or language == document.original_language:
        raise Refusal(_("This document is not translated into that language."), field="language")
    proposals = list(document.proposals.all())
    source = document.original_language
    texts = [p.texts.get(source, "") for p in proposals] + [
        p.reasons.get(source, "") for p in proposals
    ]
    translated = mt.translate(texts, source, language)
    if translated is None:
        return False
    count = len(proposals)
    translation.mt_draft = {
        str(p.pk): {"text": translated[i], "reasons": translated[count + i]}
        for i, p in enumerate(proposals)
    }
    translation.status = Translation.Status.IN_TRANSLATION
    translation.save()
    audit.record(user, "pms.translation.machine_draft", document, language=language)
    return True


@transaction.atomic
def do_save_translation(
    user: User,
    document: ProposalDocument,
    language: str,
    entries: dict[int, tuple[str, str]],
) -> Translation:
    """Store translated text and reasons per proposal id; the translation becomes revised."""
    _check_processable(user, document)
    _check_language(language, "language")
    translation = document.translations.filter(language=language).first()
    if translation is None:
        raise Refusal(_("This document is not translated into that language."), field="language")
    proposals = {p.pk: p for p in document.proposals.select_related("document__entity")}
    for pk, (text, reasons) in entries.items():
        proposal = proposals.get(pk)
        if proposal is None:
            raise Refusal(_("This proposal is not part of the document."))
        if proposal.action in TEXT_ACTIONS and text.strip():
            proposal.texts = proposal.texts | {language: text.strip()[:MAX_TEXT]}
        if reasons.strip():
            proposal.reasons = proposal.reasons | {language: reasons.strip()[:MAX_TEXT]}
        proposal.search_text = search_text_for(proposal)
        proposal.version += 1
        proposal.save(update_fields=["texts", "reasons", "search_text", "version"])
        _record_version(user, proposal)
    translation.status = Translation.Status.REVISED
    translation.save(update_fields=["status", "updated_at"])
    audit.record(user, "pms.translation.saved", document, language=language)
    return translation


@transaction.atomic
def do_allocate(user: User, document: ProposalDocument, committee_id: int) -> ProposalDocument:
    _check_processable(user, document)
    committee = Committee.objects.filter(pk=committee_id, conference=document.conference).first()
    if committee is None:
        raise Refusal(_("Choose a committee of this conference."), field="committee")
    document.committee = committee
    document.save(update_fields=["committee"])
    proposals = list(document.proposals.exclude(status=Proposal.Status.WITHDRAWN))
    _append_events(user, proposals, Proposal.Status.ALLOCATED, committee, "")
    return document


def _append_events(
    user: User, proposals: list[Proposal], kind: str, committee: Committee | None, note: str
) -> None:
    StatusEvent.objects.bulk_create(
        StatusEvent(proposal=p, kind=kind, committee=committee, note=note[:500], actor=user)
        for p in proposals
    )
    Proposal.objects.filter(pk__in=[p.pk for p in proposals]).update(status=kind)


@transaction.atomic
def do_record_event(
    user: User, proposals: list[Proposal], kind: str, committee_id: int | None, note: str
) -> None:
    """Append a status event (considered, agreed, adopted...) to each proposal."""
    check_secretariat(user)
    if kind not in Proposal.Status.values or kind in {"draft", "submitted"}:
        raise Refusal(_("Choose an event."), field="kind")
    if not proposals:
        raise Refusal(_("Choose at least one proposal."), field="proposals")
    committee = None
    for proposal in proposals:
        if proposal.document.status not in {Status.SUBMITTED, Status.PUBLISHED}:
            raise Refusal(_("Only submitted proposals can be tracked."))
        if proposal.status == Proposal.Status.WITHDRAWN:
            raise Refusal(
                _("%(id)s has been withdrawn.") % {"id": proposal.identifier}, field="proposals"
            )
    if committee_id is not None:
        committee = Committee.objects.filter(
            pk=committee_id, conference_id=proposals[0].document.conference_id
        ).first()
        if committee is None:
            raise Refusal(_("Choose a committee of this conference."), field="committee")
    _append_events(user, proposals, kind, committee, note)
    for proposal in proposals:
        audit.record(user, f"pms.proposal.{kind}", proposal)


@transaction.atomic
def do_withdraw_proposal(user: User, proposal: Proposal) -> None:
    """The originating entity withdraws one of its submitted proposals."""
    if not is_drafter(user, proposal.document):
        raise PermissionRefusal(_("Only the originating entity may withdraw its proposals."))
    if proposal.document.is_draft:
        raise Refusal(_("Delete a proposal of a draft instead of withdrawing it."))
    if proposal.status in {Proposal.Status.WITHDRAWN, Proposal.Status.ADOPTED}:
        raise Refusal(_("This proposal can no longer be withdrawn."))
    _append_events(user, [proposal], Proposal.Status.WITHDRAWN, None, "")
    audit.record(user, "pms.proposal.withdrawn", proposal)


@transaction.atomic
def do_set_deadline(user: User, conference: Conference, kind: str, local: dt.datetime) -> Deadline:
    """Set a deadline given as a wall-clock time in the conference's time zone."""
    check_secretariat(user)
    if kind not in Deadline.Kind.values:
        raise Refusal(_("Unknown kind of deadline."), field="kind")
    aware = local.replace(tzinfo=conference.tzinfo) if timezone.is_naive(local) else local
    deadline, _created = Deadline.objects.update_or_create(
        conference=conference, kind=kind, defaults={"closes_at": aware}
    )
    audit.record(user, "pms.deadline.set", conference, kind=kind, closes_at=aware.isoformat())
    return deadline
