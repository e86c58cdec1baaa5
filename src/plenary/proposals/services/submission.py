"""Deadlines and submission; revisions and addenda of submitted documents."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.accounts.models import User
from plenary.core import audit
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.proposals.models import (
    Conference,
    Deadline,
    Proposal,
    ProposalDocument,
    Sponsorship,
    StatusEvent,
    Translation,
)
from plenary.proposals.services.access import check_document_editable, is_drafter
from plenary.proposals.services.drafting import _record_version, search_text_for

Status = ProposalDocument.Status


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
