import datetime as dt

import pytest

from plenary.accounts.models import User
from plenary.core.errors import Refusal
from plenary.proposals import consolidation, services
from plenary.proposals.models import Conference, Edition, ProposalDocument
from plenary.proposals.tests.factories import MOD_TEXT, draft_with_mod, rr

pytestmark = pytest.mark.django_db


def _adopted(conference: Conference, drafter: User, staff: User) -> ProposalDocument:
    document, _mod = draft_with_mod(drafter, conference)
    edition = rr(conference)
    for values in (
        {"action": "SUP", "pid": "5.340"},
        {"action": "ADD", "pid": "5.338A", "new_pid": "5.338B", "texts": {"en": "A new footnote."}},
        {"action": "NOC", "pid": "5.1"},
    ):
        services.do_add_proposal(
            drafter,
            document,
            services.ProposalInput(edition_id=edition.pk, reasons={"en": "Why."}, **values),
        )
    document = services.do_submit(drafter, document)
    services.do_record_event(staff, list(document.proposals.all()), "adopted", None, "")
    return document


def test_consolidated_text_applies_adopted_proposals(
    conference: Conference, drafter: User, staff: User
) -> None:
    _adopted(conference, drafter, staff)
    nodes = consolidation.consolidated_text(conference, rr(conference))
    assert [n.pid for n in nodes] == ["ART5", "ART5-SIV", "5.338A", "5.338B", "5.341", "5.1"]
    by_pid = {n.pid: n for n in nodes}
    assert by_pid["5.338A"].texts["en"] == MOD_TEXT
    assert by_pid["5.338A"].texts["fr"].startswith("Dans les bandes")  # untranslated: base kept
    assert by_pid["5.338B"].parent_pid == "ART5-SIV" and by_pid["5.338B"].source == "F/1/3"


def test_unadopted_proposals_do_not_change_the_text(conference: Conference, drafter: User) -> None:
    document, _ = draft_with_mod(drafter, conference)
    services.do_submit(drafter, document)
    nodes = consolidation.consolidated_text(conference, rr(conference))
    assert all(not n.source for n in nodes)


def test_consolidation_is_stored_as_a_new_edition(
    conference: Conference, drafter: User, staff: User
) -> None:
    _adopted(conference, drafter, staff)
    new = consolidation.do_consolidate(
        staff, conference, rr(conference), "2027", dt.date(2027, 11, 30)
    )
    assert list(new.provisions.values_list("pid", flat=True)) == [
        "ART5",
        "ART5-SIV",
        "5.338A",
        "5.338B",
        "5.341",
        "5.1",
    ]
    assert new.provisions.get(pid="5.338B").parent == new.provisions.get(pid="ART5-SIV")
    with pytest.raises(Refusal):
        consolidation.do_consolidate(
            staff, conference, rr(conference), "2027", dt.date(2027, 12, 1)
        )
    with pytest.raises(Refusal):
        consolidation.do_consolidate(
            drafter, conference, rr(conference), "2028", dt.date(2028, 1, 1)
        )
    assert Edition.objects.filter(instrument__code="RR").count() == 2
