"""The foundation's acceptance walk, through the real pages in three browsers.

An organiser signs in with password and authenticator code, sets up an
e-meeting with the wizard, publishes it and requests interactive remote
participation; a delegate registers to attend remotely; their entity's focal
point approves; the delegate then finds their join link on the meeting page
and opens it. After the fixtures (people, entity with its focal point, site)
everything happens through the pages.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from plenary.accounts.models import User
from plenary.accounts.tests.factories import (
    DEFAULT_PASSWORD,
    DelegateFactory,
    FocalPointFactory,
    OrganiserFactory,
)
from plenary.accounts.tests.helpers import add_device, totp_code_for
from plenary.meetings.models import Sector, Site
from plenary.meetings.tests.factories import SiteFactory

pytestmark = pytest.mark.e2e

CODE = "T-SG17-WALK"
TITLE = "Study Group 17 walk"


def _signed_in_page(new_page: Any, live_url: str, user: User) -> Any:
    """A tab with a session for ``user`` (a participant: no second factor), on the home page.

    Only the organiser walks the login form: checking a password is slow by design.
    """
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page = new_page()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_url}]
    )
    page.goto(live_url + "/")
    return page


def _organiser_sets_up_the_meeting(page: Any, live_url: str, organiser: User, site: Site) -> None:
    """Password and authenticator code, the wizard's three steps, then the services."""
    first_day = (dt.date.today() + dt.timedelta(days=30)).isoformat()  # noqa: DTZ011 - a day
    page.goto(live_url + "/accounts/login/")
    page.get_by_label("Username").fill(organiser.username)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("6-digit code").fill(totp_code_for(organiser))
    page.get_by_role("button", name="Verify").click()
    page.get_by_text("Staff tools").click()  # the staff pages' menu in the header
    page.get_by_role("link", name="New e-meeting").click()

    page.get_by_label("Reference").fill(CODE)
    page.get_by_label("Sector").select_option(label="ITU-T (Standardization)")
    page.get_by_label("Type of meeting").select_option("study_group")
    page.get_by_label("Title in English").fill(TITLE)
    page.get_by_label("Site").select_option(label=site.name)
    page.get_by_label("First day").fill(first_day)
    page.get_by_label("Last day").fill(first_day)
    page.get_by_role("button", name="Next: sessions").click()

    page.get_by_label("Title", exact=True).fill("Opening plenary")
    page.get_by_label("Day").fill(first_day)
    page.get_by_label("Starts").fill("09:30")
    page.get_by_label("Ends").fill("12:30")
    page.get_by_role("button", name="Add the session").click()
    page.get_by_role("row", name="Opening plenary").wait_for()
    page.get_by_role("link", name="Next: review").click()
    page.get_by_role("button", name="Publish the meeting").click()

    page.wait_for_url(f"**/services/meetings/{CODE}/request/")
    page.get_by_label("Interactive remote participation").check()
    page.get_by_role("button", name="Request the chosen services").click()
    page.get_by_text("Interactive remote participation: Provisioned.").wait_for()


def test_organiser_delegate_and_focal_point_walk_to_the_join_link(
    live_url: str, new_page: Any
) -> None:
    # Transactional tests empty the tables that data migrations filled.
    Sector.objects.get_or_create(code=Sector.Code.STANDARDIZATION)
    site = SiteFactory.create()
    organiser = OrganiserFactory.create()
    add_device(organiser)
    focal_point = FocalPointFactory.create()
    delegate = DelegateFactory.create(
        entity=focal_point.entity, first_name="Amina", last_name="Diallo"
    )

    _organiser_sets_up_the_meeting(new_page(), live_url, organiser, site)

    # The delegate registers to attend remotely.
    delegate_page = _signed_in_page(new_page, live_url, delegate)
    delegate_page.get_by_role("link", name=TITLE).click()
    delegate_page.get_by_role("link", name="Register", exact=True).click()
    delegate_page.get_by_label("Delegate", exact=True).check()
    delegate_page.get_by_label("Remotely", exact=True).check()
    delegate_page.get_by_role("button", name="Register", exact=True).click()
    delegate_page.get_by_role("heading", name="Registration received").wait_for()
    delegate_page.get_by_role("link", name="Back to the meeting").click()
    delegate_page.get_by_text("Awaiting approval").wait_for()
    expect(delegate_page.get_by_role("link", name="Join the meeting")).to_have_count(0)

    # The entity's focal point approves in their queue.
    focal_page = _signed_in_page(new_page, live_url, focal_point)
    focal_page.get_by_role("link", name="Approvals").click()
    row = focal_page.get_by_role("row", name="Amina Diallo")
    row.get_by_role("button", name="Approve Amina Diallo").click()
    row.get_by_text("Approved").wait_for()

    # The delegate reloads the meeting page, sees the join link and opens it.
    delegate_page.reload()
    delegate_page.get_by_role("link", name="Join the meeting").click()
    enter = delegate_page.get_by_role("link", name="Enter “Opening plenary”")
    expect(enter).to_have_attribute("href", re.compile(r"^/live/sessions/\d+/$"))
