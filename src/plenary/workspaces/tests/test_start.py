"""The personal start page: each person's own meetings, deadlines, notices, documents and
registrations, and nothing of anyone else's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from plenary.accounts.tests.factories import DelegateFactory, FocalPointFactory
from plenary.documents.tests.factories import SeriesFactory
from plenary.floor.tests.factories import cast as floor_cast
from plenary.meetings.models import Registration
from plenary.meetings.tests.factories import RegistrationFactory
from plenary.workspaces.services import messages as posting
from plenary.workspaces.start import start_page
from plenary.workspaces.tests.helpers import Cast

pytestmark = pytest.mark.django_db


def test_a_delegate_sees_todays_session_and_the_deadline_ahead() -> None:
    c = floor_cast()
    meeting = c.session.meeting
    now = timezone.now()
    c.session.starts_at, c.session.ends_at = (
        now + dt.timedelta(hours=1),
        now + dt.timedelta(hours=3),
    )
    c.session.save()
    SeriesFactory.create(meeting=meeting, prefix="SG17-C-", deadline=now + dt.timedelta(days=3))
    page = start_page(c.delegate, now)
    assert [row.meeting for row in page.today] == [meeting]
    assert [d.label for d in page.deadlines] == [f"{meeting.title} · SG17-C-"]
    stranger = start_page(DelegateFactory.create(), now)
    assert stranger.empty


def test_notices_and_registrations_waiting_for_me(cast: Cast) -> None:
    posting.do_start_topic(cast.french, cast.place(cast.french), cast.general.pk, "Plan", "@ana ?")
    assert [n.message.text for n in start_page(cast.brazilian).notices] == ["@ana ?"]
    assert start_page(cast.french_too).notices == []
    focal = FocalPointFactory.create(entity=cast.france)
    pending = RegistrationFactory.create(entity=cast.france, status=Registration.Status.PENDING)
    assert start_page(focal).registrations == [pending]
    assert start_page(cast.french).registrations == []


def test_the_page_is_for_signed_in_people_and_lists_sections(client: Client, cast: Cast) -> None:
    assert client.get("/workspaces/start/").status_code == 302
    posting.do_start_topic(cast.french, cast.place(cast.french), cast.general.pk, "Plan", "@ana ?")
    client.force_login(cast.brazilian)
    html = client.get("/workspaces/start/").content.decode()
    assert "For you in the workspaces" in html and "Plan" in html
