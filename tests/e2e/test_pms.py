"""Proposals Management System in a real browser: draft, co-sign, submit, publish, compile."""

import re
from collections.abc import Callable
from typing import Any

import pytest

from plenary.accounts.models import User
from plenary.accounts.tests.helpers import verified_session_cookie
from plenary.proposals.demo import load_demo
from plenary.proposals.tests.factories import drafter_of, secretariat

pytestmark = pytest.mark.e2e


def test_common_proposal_from_draft_to_compilation(
    live_url: str, new_page: Callable[..., Any]
) -> None:
    conference = load_demo()
    item = conference.agenda_items.get(number="1.2")
    france, germany, staff = drafter_of("F"), drafter_of("D"), secretariat()

    def signed_in(user: User) -> Any:
        page = new_page()
        page.context.add_cookies([verified_session_cookie(user, live_url)])
        return page

    drafter = signed_in(france)
    drafter.goto(live_url + "/pms/WRC-27/")
    drafter.get_by_role("link", name="New proposal document").click()
    drafter.get_by_label("Title").fill("Common proposals on agenda item 1.2")
    drafter.get_by_role("checkbox", name=re.compile("Allocations in the frequency range")).check()
    drafter.get_by_role("button", name="Create draft").click()
    document_url = drafter.url

    drafter.get_by_role("link", name="Add MOD").click()
    drafter.get_by_label("Provision:", exact=True).fill("5.338A")
    drafter.get_by_label("Provision:", exact=True).press("Tab")
    text = drafter.get_by_label("New text")
    # The base text is filled in, so the drafter edits only what changes.
    drafter.wait_for_function(
        "() => document.querySelector('[name=text]').value.includes('WRC-23')"
    )
    text.fill(text.input_value().replace("WRC-23", "WRC-27"))
    drafter.get_by_label("Reasons").fill("Align with the revised Resolution 750.")
    drafter.get_by_role("button", name="Save").click()

    drafter.get_by_role("link", name="Add ADD").click()
    drafter.get_by_label("Provision:", exact=True).fill("5.338A")
    drafter.get_by_label("Base edition").select_option(label="RR (2024)")
    drafter.get_by_label("New provision number (ADD only)").fill("5.338B")
    drafter.get_by_label("New text").fill("The band 1 452-1 492 MHz is identified for IMT.")
    drafter.get_by_label("Reasons").fill("New identification.")
    drafter.get_by_role("button", name="Save").click()
    drafter.get_by_label("Invite a co-signatory (entity code)").fill("D")
    drafter.get_by_role("button", name="Invite").click()

    cosigner = signed_in(germany)
    cosigner.goto(document_url)
    cosigner.get_by_role("button", name="Co-sign").click()
    assert "Signed" in cosigner.locator("#sponsor-list").inner_text()

    drafter.goto(document_url)
    drafter.get_by_role("button", name="Submit to the secretariat").click()
    assert drafter.locator("#document-status").inner_text() == "Submitted"

    clerk = signed_in(staff)
    clerk.goto(document_url)
    clerk.get_by_role("button", name="Publish").click()
    assert clerk.locator("#document-status").inner_text() == "Published"

    public = new_page()
    public.goto(f"{live_url}/pms/WRC-27/agenda/{item.pk}/")
    compilation = public.locator("#compilation")
    assert "F/1/1" in compilation.inner_text() and "F/1/2" in compilation.inner_text()
    assert compilation.locator("ins", has_text=re.compile(r"^27$")).count() == 1
    assert compilation.locator("del", has_text=re.compile(r"^23$")).count() == 1
    assert "5.338B" in compilation.inner_text()
