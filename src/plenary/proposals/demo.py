"""The demo extract: base texts, a conference and a sample common proposal.

``plenary demo`` (the integrator's command) calls :func:`load_demo` and, with
people of its own, :func:`load_demo_proposals`.
"""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from plenary.accounts.models import User
from plenary.proposals import services
from plenary.proposals.importer import import_file
from plenary.proposals.models import Conference, ProposalDocument

DEMO_FILE = Path(__file__).parent / "data" / "demo-extract.json"
DEMO_CONFERENCE = "WRC-27"
DEMO_TITLE = "Proposals for agenda item 1.2 (demo)"


def load_demo() -> Conference:
    """Load the demo extract once (idempotent) and return its conference."""
    existing = Conference.objects.filter(code=DEMO_CONFERENCE).first()
    if existing is not None:
        return existing
    import_file(DEMO_FILE.read_bytes())
    return Conference.objects.get(code=DEMO_CONFERENCE)


@transaction.atomic
def load_demo_proposals(
    drafter: User, staff: User, co_signatory: User | None = None
) -> ProposalDocument:
    """A published common proposal (MOD 5.338A, ADD 5.338B) drafted through the services.

    ``drafter`` represents a Member State; ``co_signatory`` (optional) another
    one; ``staff`` is secretariat. Idempotent: an existing demo document is returned.
    """
    conference = load_demo()
    existing = conference.documents.filter(entity=drafter.entity, title=DEMO_TITLE).first()
    if existing is not None:
        return existing
    item = conference.agenda_items.get(number="1.2")
    edition = conference.editions.get(instrument__code="RR")
    document = services.do_create_document(drafter, conference, DEMO_TITLE, "en", [item.pk])
    base = edition.provisions.get(pid="5.338A")
    for data in (
        services.ProposalInput(
            action="MOD",
            edition_id=edition.pk,
            pid="5.338A",
            texts={
                "en": base.texts["en"].replace("WRC-23", "WRC-27"),
                "fr": base.texts["fr"].replace("CMR-23", "CMR-27"),
            },
            reasons={"en": "Refer to the revision of Resolution 750 by WRC-27."},
        ),
        services.ProposalInput(
            action="ADD",
            edition_id=edition.pk,
            pid="5.338A",
            new_pid="5.338B",
            texts={"en": "The frequency band 1 452-1 492 MHz is identified for IMT."},
            reasons={"en": "Harmonised identification studied under agenda item 1.2."},
        ),
    ):
        services.do_add_proposal(drafter, document, data)
    if co_signatory is not None:
        services.do_invite_co_signatory(drafter, document, co_signatory.entity.code)  # type: ignore[union-attr]
        services.do_answer_invitation(co_signatory, document, sign=True)
    return services.do_publish(staff, services.do_submit(drafter, document))
