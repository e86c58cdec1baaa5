from __future__ import annotations

import datetime as dt
import json

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory

from plenary.accounts.tests.factories import DelegateFactory, StaffFactory
from plenary.accounts.tests.helpers import sign_in_verified
from plenary.guidance import services
from plenary.guidance.models import Acknowledgement, Guideline, TrainingCompletion
from plenary.guidance.tests.factories import GuidelineFactory
from plenary.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_secretariat_publishes_through_the_form(client: Client) -> None:
    sign_in_verified(client, StaffFactory.create())
    response = client.post(
        "/guidance/guidelines/T/new/",
        {"in_force_from": "2026-02-01", "text_en": "Mute when not speaking.", "text_fr": "Micro."},
    )
    assert response.status_code == 302
    assert Guideline.objects.get().texts["fr"] == "Micro."
    page = client.get(response["Location"])
    assert "Mute when not speaking." in page.content.decode()


def test_form_without_english_shows_the_error_and_stores_nothing(client: Client) -> None:
    sign_in_verified(client, StaffFactory.create())
    response = client.post("/guidance/guidelines/T/new/", {"in_force_from": "2026-02-01"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert not Guideline.objects.exists()


def test_delegate_gets_403_on_the_form(client: Client) -> None:
    client.force_login(DelegateFactory.create())
    assert client.get("/guidance/guidelines/T/new/").status_code == 403


def test_gate_include_shows_the_confirmation_and_records_it(client: Client) -> None:
    guideline = GuidelineFactory.create(version=1, in_force_from=dt.date(2026, 1, 1))
    meeting = MeetingFactory.create()
    services.do_set_acknowledgement_required(meeting.organiser, meeting, True)
    delegate = DelegateFactory.create()
    request = RequestFactory().get("/meetings/x/join/")
    request.user = delegate
    html = Template("{% load guidance %}{% guidance_gate meeting %}").render(
        Context({"request": request, "meeting": meeting, "csrf_token": "t"})
    )
    assert f"/guidance/acknowledge/{guideline.pk}/" in html
    client.force_login(delegate)
    response = client.post(
        f"/guidance/acknowledge/{guideline.pk}/",
        {"confirm": "yes", "next": "/meetings/x/join/", "meeting": meeting.pk},
    )
    assert response["Location"] == "/meetings/x/join/"
    assert Acknowledgement.objects.filter(user=delegate, meeting=meeting).exists()


def test_completion_endpoint_records_for_signed_in_people_only(client: Client) -> None:
    url = "/guidance/completed/self_test/"
    body = json.dumps({"latency_ms": 20, "throughput_kbps": 5000})
    assert client.post(url, body, content_type="application/json").json() == {"recorded": False}
    client.force_login(DelegateFactory.create())
    assert client.post(url, body, content_type="application/json").json() == {"recorded": True}
    bad = client.post(url, "[1]", content_type="application/json")
    assert bad.status_code == 400
    assert TrainingCompletion.objects.count() == 1


def test_probe_payload_is_capped(client: Client) -> None:
    response = client.get("/guidance/probe/payload/?kb=999999")
    assert len(response.content) == 1024 * 1024
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    [
        "/guidance/",
        "/guidance/practice/",
        "/guidance/self-test/",
        "/guidance/guides/chair/",
        "/guidance/guidelines/R/",
    ],
)
def test_pages_render(client: Client, path: str) -> None:
    assert client.get(path).status_code == 200


def test_api_reports_meeting_guideline(client: Client) -> None:
    GuidelineFactory.create(version=3)
    meeting = MeetingFactory.create()
    client.force_login(DelegateFactory.create())
    body = client.get(f"/api/v1/guidance/meetings/{meeting.pk}").json()
    assert body["guideline"]["version"] == 3
    assert body["acknowledgement_required"] is False


def test_organiser_switches_the_step_on_with_the_include(client: Client) -> None:
    meeting = MeetingFactory.create()
    request = RequestFactory().get("/meetings/x/settings/")
    request.user = meeting.organiser
    html = Template("{% load guidance %}{% guidance_setting meeting %}").render(
        Context({"request": request, "meeting": meeting, "csrf_token": "t"})
    )
    assert f"/guidance/meetings/{meeting.pk}/setting/" in html
    client.force_login(meeting.organiser)
    client.post(
        f"/guidance/meetings/{meeting.pk}/setting/",
        {"require_acknowledgement": "on", "next": "/meetings/x/settings/"},
    )
    assert services.acknowledgement_required(meeting)
