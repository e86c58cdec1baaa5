"""Factories and builders for PMS tests, on top of the demo extract."""

from __future__ import annotations

from plenary.accounts.models import Entity, User
from plenary.accounts.tests.factories import EntityFactory
from plenary.proposals import services
from plenary.proposals.models import Conference, Edition, Proposal, ProposalDocument

MOD_TEXT = (
    "In the frequency bands 1 350-1 400 MHz, 1 427-1 452 MHz and 22.55-23.55 GHz, "
    "Resolution 750 (Rev.WRC-27) applies."
)


def _user(username: str, **fields: object) -> User:
    # No password: hashing one costs a second per user on a small CI machine,
    # and these users sign in through force_login.
    user = User(username=username, first_name=username.title(), **fields)
    user.set_unusable_password()
    user.save()
    return user


def drafter_of(code: str, category: str = Entity.Category.MEMBER_STATE) -> User:
    entity = EntityFactory.create(code=code, name=f"Administration of {code}", category=category)
    return _user(f"drafter-{code.lower()}", entity=entity)


def secretariat() -> User:
    return _user("secretariat", staff_role=User.StaffRole.SECRETARIAT, is_staff=True)


def rr(conference: Conference) -> Edition:
    return conference.editions.get(instrument__code="RR")


def draft_with_mod(
    user: User, conference: Conference, text: str = MOD_TEXT
) -> tuple[ProposalDocument, Proposal]:
    item = conference.agenda_items.get(number="1.2")
    document = services.do_create_document(
        user, conference, "Proposals for agenda item 1.2", "en", [item.pk]
    )
    proposal = services.do_add_proposal(
        user,
        document,
        services.ProposalInput(
            action="MOD",
            edition_id=rr(conference).pk,
            pid="5.338A",
            texts={"en": text},
            reasons={"en": "Update the reference to Resolution 750."},
        ),
    )
    return document, proposal
