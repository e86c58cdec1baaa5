import pytest

from plenary.accounts.models import User
from plenary.proposals.demo import load_demo, load_demo_proposals
from plenary.proposals.models import Conference

pytestmark = pytest.mark.django_db


def test_demo_loads_once_with_agenda_committees_and_deadlines(conference: Conference) -> None:
    assert load_demo() == conference
    assert conference.agenda_items.filter(parent__isnull=False).count() == 3
    assert set(conference.committees.values_list("code", flat=True)) == {
        "PLEN",
        "COM4",
        "WG4A",
        "COM6",
    }
    assert set(conference.deadlines.values_list("kind", flat=True)) == {"proposals", "basic_texts"}


def test_demo_proposals_are_a_published_common_proposal(
    conference: Conference, drafter: User, other_drafter: User, staff: User
) -> None:
    document = load_demo_proposals(drafter, staff, other_drafter)
    assert document.status == "published"
    assert {p.identifier for p in document.proposals.all()} == {"F/1/1", "F/1/2"}
    assert document.sponsorships.filter(state="signed").count() == 2
    assert load_demo_proposals(drafter, staff, other_drafter) == document
