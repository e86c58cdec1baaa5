"""The main pages in each of the six UN languages, switched from the header.

For each language a focal point (a delegate of their entity who also approves
its registrations) and an organiser choose the language in the header's
switcher, then visit the pages they use. Each page must carry the language and
text direction on ``<html>``, show its headings, labels and buttons as the
translation catalogs say, and show none of those strings in English.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import expect

from plenary.accounts.tests.factories import DelegateFactory, FocalPointFactory, OrganiserFactory
from plenary.accounts.tests.helpers import verified_session_cookie
from plenary.core.languages import AUTONYMS, UN_LANGUAGES, is_rtl
from plenary.meetings.models import Sector
from plenary.meetings.tests.factories import MeetingFactory, RegistrationFactory, SessionFactory

pytestmark = pytest.mark.e2e

TITLE = "SG17-Q3"

# What each page must show: (ARIA role, msgid or "context|msgid", placeholders).
Check = tuple[str, str, dict[str, str]]
HEADER: list[Check] = [
    ("link", "Meetings", {}),
    ("combobox", "Language", {}),
    ("button", "switch the page to the chosen language|Change", {}),
]
HOME: list[Check] = [
    ("heading", "Upcoming meetings", {}),
    ("combobox", "Sector", {}),
    ("combobox", "Format", {}),
    ("button", "Filter", {}),
]
MEETING: list[Check] = [
    ("heading", "the sittings of a meeting|Sessions", {}),
    ("heading", "Your participation", {}),
    ("columnheader", "Remote participants", {}),
    ("link", "Register", {}),
]
REGISTRATION: list[Check] = [
    ("heading", "Register for %(title)s", {"title": TITLE}),
    ("group", "Register as", {}),
    ("group", "I will attend", {}),
    ("button", "Register", {}),
    ("link", "Back to the meeting", {}),
]
APPROVALS: list[Check] = [
    ("heading", "Registrations awaiting your approval", {}),
    ("columnheader", "Person", {}),
    ("button", "Approve", {}),
    ("button", "Reject", {}),
]
WIZARD: list[Check] = [
    ("heading", "New e-meeting", {}),
    ("textbox", "Reference", {}),
    ("combobox", "Type of meeting", {}),
    ("button", "Next: sessions", {}),
]


def _switch_language(page: Any, code: str) -> None:
    """Choose ``code`` in the header's switcher (the context starts in English)."""
    page.get_by_role("combobox", name="Language", exact=True).select_option(label=AUTONYMS[code])
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def _english_of(msgid: str) -> str:
    return msgid.rpartition("|")[2]


def _translation_of(msgid: str) -> str:
    context, _, text = msgid.rpartition("|")
    return pgettext(context, text) if context else gettext(text)


def _expect_page_in(page: Any, code: str, checks: list[Check]) -> None:
    html = page.locator("html")
    expect(html).to_have_attribute("lang", code)
    expect(html).to_have_attribute("dir", "rtl" if is_rtl(code) else "ltr")
    with translation.override(code):
        texts = [
            (role, _translation_of(msgid) % params, _english_of(msgid) % params)
            for role, msgid, params in checks
        ]
    for role, translated, _english in texts:
        # A prefix: a button's name may go on for screen readers ("Approve Ana Ruiz").
        name = re.compile("^" + re.escape(translated))
        expect(page.get_by_role(role, name=name).first).to_be_visible()
    if code == "en":
        return
    # Some strings are the same in both languages ("Sessions" in French), not all.
    assert any(text != english for _role, text, english in texts), f"{page.url} not in {code}"
    body = page.locator("body").inner_text()
    leftovers = [
        english
        for _role, text, english in texts
        if text != english and re.search(rf"(?<!\w){re.escape(english)}(?!\w)", body)
    ]
    assert not leftovers, f"English left on {page.url} in {code}: {leftovers}"


@pytest.mark.parametrize("code", UN_LANGUAGES)
def test_pages_in_each_language(live_url: str, new_page: Any, code: str) -> None:
    # Transactional tests empty the tables that data migrations filled.
    Sector.objects.get_or_create(code=Sector.Code.STANDARDIZATION)
    first_day = dt.date.today() + dt.timedelta(days=30)  # noqa: DTZ011 - a calendar day
    meeting = MeetingFactory.create(
        titles={"en": TITLE},
        languages=list(UN_LANGUAGES),
        start_date=first_day,
        end_date=first_day,
    )
    SessionFactory.create(meeting=meeting, title="Opening")
    focal_point = FocalPointFactory.create(first_name="Wei", last_name="Zhang")
    delegate = DelegateFactory.create(entity=focal_point.entity, first_name="Ana", last_name="Ruiz")
    RegistrationFactory.create(meeting=meeting, user=delegate)
    organiser = OrganiserFactory.create()

    # The contexts start in English; sessions are ready (signing in has its own tests).
    page = new_page(locale="en-GB")
    page.context.add_cookies([verified_session_cookie(focal_point, live_url)])
    page.goto(live_url + "/")
    _switch_language(page, code)
    _expect_page_in(page, code, HEADER + HOME)
    page.get_by_role("link", name=TITLE).click()
    _expect_page_in(page, code, MEETING)
    with translation.override(code):
        register, approvals = gettext("Register"), gettext("Approvals")
    page.get_by_role("link", name=register, exact=True).click()
    _expect_page_in(page, code, REGISTRATION)
    page.get_by_role("link", name=approvals, exact=True).click()
    _expect_page_in(page, code, APPROVALS)

    organiser_page = new_page(locale="en-GB")
    organiser_page.context.add_cookies([verified_session_cookie(organiser, live_url)])
    organiser_page.goto(live_url + "/new-meeting/")
    _switch_language(organiser_page, code)
    _expect_page_in(organiser_page, code, HEADER + WIZARD)
