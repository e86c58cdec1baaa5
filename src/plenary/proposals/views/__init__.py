"""PMS pages: thin views that parse the request, call one service, render.

- ``common``: what every page shares (the acting user, the language, 404 lookups,
  a service call whose refusal becomes a message).
- ``browse``: the conference list, a conference, a document and a proposal.
- ``compilations``: compilations by agenda item, provision and entity, search,
  and an edition's base or consolidated text.
- ``drafting``: the originating entity's document and proposal forms.
- ``workflow``: the POST steps of a document's life and a proposal's withdrawal.
- ``secretariat``: deadlines and translations.
- ``downloads``: DOCX, PDF, Akoma Ntoso and CSV files.

``urls`` routes to the views this package re-exports.
"""

from plenary.proposals.views.browse import (
    conference_detail,
    conference_list,
    document_detail,
    proposal_detail,
)
from plenary.proposals.views.compilations import (
    agenda_compilation,
    by_entity,
    by_provision,
    edition_detail,
    search,
)
from plenary.proposals.views.downloads import document_export, edition_akn, proposals_csv
from plenary.proposals.views.drafting import (
    document_create,
    document_edit,
    proposal_create,
    proposal_delete,
    proposal_edit,
)
from plenary.proposals.views.secretariat import deadline_set, translation_edit
from plenary.proposals.views.workflow import document_action, proposal_withdraw

__all__ = [
    "agenda_compilation",
    "by_entity",
    "by_provision",
    "conference_detail",
    "conference_list",
    "deadline_set",
    "document_action",
    "document_create",
    "document_detail",
    "document_edit",
    "document_export",
    "edition_akn",
    "edition_detail",
    "proposal_create",
    "proposal_delete",
    "proposal_detail",
    "proposal_edit",
    "proposal_withdraw",
    "proposals_csv",
    "search",
    "translation_edit",
]
