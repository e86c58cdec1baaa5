"""Business operations of the PMS: ``check_*`` authorise and validate, ``do_*`` write.

Every ``do_*`` function runs in one transaction: a refusal leaves nothing
half-written. Edits use optimistic locking (a ``version`` number that must
match); a stale save raises :class:`EditConflict` naming what changed.

- ``access``: reading one document or proposal with visibility; who may draft,
  edit, or act as the secretariat.
- ``drafting``: documents and their proposals, skeletons, versions and edit conflicts.
- ``sponsorship``: inviting co-signatories, who sign, decline or withdraw.
- ``submission``: deadlines and submission; revisions and addenda.
- ``secretariat``: publication, translations, allocation, status events,
  withdrawal and deadlines.

A module imports only those above it in this list. Callers use this package
(``services.do_submit(...)``), which re-exports each module's public names.
"""

from plenary.proposals.services.access import (
    check_can_draft,
    check_document_editable,
    check_secretariat,
    get_document,
    get_proposal,
    is_drafter,
)
from plenary.proposals.services.drafting import (
    EditConflict,
    ProposalInput,
    check_proposal_input,
    do_add_proposal,
    do_add_skeleton,
    do_create_document,
    do_delete_proposal,
    do_update_document,
    do_update_proposal,
    search_text_for,
    snapshot,
)
from plenary.proposals.services.secretariat import (
    do_allocate,
    do_machine_translate,
    do_publish,
    do_record_event,
    do_save_translation,
    do_set_deadline,
    do_set_translation_status,
    do_withdraw_proposal,
)
from plenary.proposals.services.sponsorship import do_answer_invitation, do_invite_co_signatory
from plenary.proposals.services.submission import (
    applicable_deadline,
    check_submit,
    do_start_addendum,
    do_start_revision,
    do_submit,
    local_deadline,
)

__all__ = [
    "EditConflict",
    "ProposalInput",
    "applicable_deadline",
    "check_can_draft",
    "check_document_editable",
    "check_proposal_input",
    "check_secretariat",
    "check_submit",
    "do_add_proposal",
    "do_add_skeleton",
    "do_allocate",
    "do_answer_invitation",
    "do_create_document",
    "do_delete_proposal",
    "do_invite_co_signatory",
    "do_machine_translate",
    "do_publish",
    "do_record_event",
    "do_save_translation",
    "do_set_deadline",
    "do_set_translation_status",
    "do_start_addendum",
    "do_start_revision",
    "do_submit",
    "do_update_document",
    "do_update_proposal",
    "do_withdraw_proposal",
    "get_document",
    "get_proposal",
    "is_drafter",
    "local_deadline",
    "search_text_for",
    "snapshot",
]
