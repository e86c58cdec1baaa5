"""An organiser sets up an e-meeting with the wizard and publishes it."""

import datetime as dt

import pytest

from plenary.accounts.tests.factories import OrganiserFactory
from plenary.accounts.tests.helpers import add_device, verified_session_cookie
from plenary.meetings.models import Meeting, Sector
from plenary.meetings.tests.factories import SiteFactory

pytestmark = pytest.mark.e2e


def test_an_organiser_walks_the_wizard_and_publishes(live_url: str, page) -> None:  # type: ignore[no-untyped-def]
    # Transactional tests empty the tables that data migrations filled.
    Sector.objects.get_or_create(code=Sector.Code.STANDARDIZATION)
    site = SiteFactory.create()
    organiser = OrganiserFactory.create()
    add_device(organiser)
    page.context.add_cookies([verified_session_cookie(organiser, live_url)])
    first_day = dt.date.today() + dt.timedelta(days=30)  # noqa: DTZ011 - a calendar day

    page.goto(live_url + "/new-meeting/")
    page.get_by_label("Reference").fill("T-WP1-E2E")
    page.get_by_label("Sector").select_option(label="ITU-T (Standardization)")
    page.get_by_label("Type of meeting").select_option("working_party")
    page.get_by_label("Title in English").fill("Working Party 1")
    page.get_by_label("Site").select_option(label=site.name)
    page.get_by_label("First day").fill(first_day.isoformat())
    page.get_by_label("Last day").fill((first_day + dt.timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Next: sessions").click()

    page.get_by_label("Title", exact=True).fill("Opening plenary")
    page.get_by_label("Day").fill(first_day.isoformat())
    page.get_by_label("Starts").fill("09:30")
    page.get_by_label("Ends").fill("12:30")
    page.get_by_role("button", name="Add the session").click()
    assert page.get_by_role("row", name="Opening plenary").is_visible()

    page.get_by_role("link", name="Next: review").click()
    page.get_by_role("button", name="Publish the meeting").click()
    page.wait_for_url("**/services/meetings/T-WP1-E2E/request/")
    meeting = Meeting.objects.get(code="T-WP1-E2E")
    assert meeting.status == Meeting.Status.PUBLISHED
    assert meeting.sessions.get().local_start().hour == 9
