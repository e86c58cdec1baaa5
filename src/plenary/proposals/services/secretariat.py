"""Secretariat processing: publication, translations, allocation, status events,
withdrawal and deadlines."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.accounts.models import User
from plenary.core import audit
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.proposals import mt
from plenary.proposals.models import (
    Committee,
    Conference,
    Deadline,
    Proposal,
    ProposalDocument,
    StatusEvent,
    Translation,
)
from plenary.proposals.services.access import check_secretariat, is_drafter
from plenary.proposals.services.drafting import (
    MAX_TEXT,
    TEXT_ACTIONS,
    _check_language,
    _record_version,
    search_text_for,
)

Status = ProposalDocument.Status


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
