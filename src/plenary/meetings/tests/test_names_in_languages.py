"""Site names and session titles in several languages, with fallback; the place line;
the role form of a fully virtual meeting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from plenary.accounts.tests.factories import OrganiserFactory
from plenary.accounts.tests.helpers import sign_in_verified
from plenary.meetings.forms import RoleForm, SiteForm
from plenary.meetings.models import AttendanceMode, Meeting, Session, Site
from plenary.meetings.tests.factories import MeetingFactory, SessionFactory, SiteFactory

pytestmark = pytest.mark.django_db


def test_the_place_line_names_the_city_once() -> None:
    site = SiteFactory.create(name="ITU Headquarters, Geneva", city="Geneva")
    assert site.place == "ITU Headquarters, Geneva"
    office = SiteFactory.create(code="ro", name="Regional Office for Africa", city="Addis Ababa")
    assert office.place == "Regional Office for Africa, Addis Ababa"


def test_a_site_name_comes_in_the_reader_language_else_the_default() -> None:
    site = SiteFactory.create(name="ITU Headquarters", names={"fr": "Siège de l'UIT"})
    with translation.override("fr"):
        assert site.shown_name == "Siège de l'UIT"
    with translation.override("ar"):
        assert site.shown_name == "ITU Headquarters"


def test_a_session_title_comes_in_the_reader_language_else_the_working_language() -> None:
    session = SessionFactory.create(title="Opening", titles={"fr": "Ouverture"})
    with translation.override("fr"):
        assert session.shown_title == "Ouverture"
    with translation.override("es"):
        assert session.shown_title == "Opening"


def test_the_session_form_stores_the_titles_in_the_other_languages(client: Client) -> None:
    organiser = OrganiserFactory.create()
    sign_in_verified(client, organiser)
    meeting = MeetingFactory.create(
        organiser=organiser, status=Meeting.Status.DRAFT, languages=["en", "fr", "ar"]
    )
    page = client.get(reverse("meetings:sessions", args=[meeting.code])).content.decode()
    assert 'name="title_fr"' in page and 'name="title_ar"' in page
    assert 'name="title_en"' not in page  # the working language's title is ``title``
    response = client.post(
        reverse("meetings:sessions", args=[meeting.code]),
        {
            "title": "Opening",
            "title_fr": "Ouverture",
            "title_ar": "الافتتاح",
            "day": meeting.start_date.isoformat(),
            "starts": "09:30",
            "ends": "12:30",
            "remote_right": "speak",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert (session.title, session.titles) == ("Opening", {"fr": "Ouverture", "ar": "الافتتاح"})
    client.cookies["django_language"] = "fr"
    page = client.get(reverse("meetings:detail", args=[meeting.code])).content.decode()
    assert "Ouverture" in page


def test_the_site_form_stores_a_name_per_language() -> None:
    site = SiteFactory.create()
    data = {
        field: getattr(site, field)
        for field in ["code", "name", "kind", "city", "country", "time_zone"]
    } | {"name_fr": "Siège, Genève", "name_zh_hans": "总部，日内瓦", "offers_captions": "on"}
    form = SiteForm(data, instance=site)
    assert form.is_valid(), form.errors
    form.save()
    assert Site.objects.get(pk=site.pk).names == {"zh-hans": "总部，日内瓦", "fr": "Siège, Genève"}
    assert SiteForm(instance=site).initial["name_fr"] == "Siège, Genève"


def test_the_role_form_of_a_fully_virtual_meeting_offers_no_seat_in_the_room() -> None:
    meeting = MeetingFactory.create(site=None)
    choices = dict(RoleForm(meeting=meeting).fields["attendance"].choices)  # type: ignore[attr-defined]
    assert AttendanceMode.ONSITE not in choices
    at_a_site = MeetingFactory.create()
    assert AttendanceMode.ONSITE in dict(
        RoleForm(meeting=at_a_site).fields["attendance"].choices  # type: ignore[attr-defined]
    )


def test_the_meeting_page_does_not_repeat_the_city(client: Client) -> None:
    site = SiteFactory.create(name="ITU Headquarters, Geneva", city="Geneva")
    meeting = MeetingFactory.create(site=site, start_date=dt.date(2027, 3, 1))
    page = client.get(reverse("meetings:detail", args=[meeting.code])).content.decode()
    assert "Geneva, Geneva" not in page
    assert "ITU Headquarters, Geneva" in page
