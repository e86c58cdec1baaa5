"""Reading one object with visibility, and who may do what to it."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from plenary.accounts.models import Entity
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.proposals.models import Conference, Proposal, ProposalDocument
from plenary.proposals.queries import is_secretariat, visible_documents

# Who may originate proposals to a conference, and who may co-sign them.
ORIGINATOR_CATEGORIES = {Entity.Category.MEMBER_STATE, Entity.Category.REGIONAL_ORGANISATION}
CO_SIGNATORY_CATEGORIES = {Entity.Category.MEMBER_STATE}


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
