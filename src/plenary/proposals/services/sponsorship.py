"""Co-signatories: the originator invites Member States, who sign or decline."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.accounts.models import Entity, User
from plenary.core import audit
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.proposals.models import ProposalDocument, Sponsorship
from plenary.proposals.queries import ACTIVE_SPONSOR_STATES
from plenary.proposals.services.access import CO_SIGNATORY_CATEGORIES, check_document_editable


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
