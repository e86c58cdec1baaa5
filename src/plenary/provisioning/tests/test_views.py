"""Pages: request services, the approvers' queue (HTMX and plain), join, webcast, panel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from plenary.accounts.models import User
from plenary.accounts.tests.helpers import sign_in_verified
from plenary.guidance.services import do_acknowledge, do_set_acknowledgement_required
from plenary.guidance.tests.factories import GuidelineFactory
from plenary.meetings.models import Meeting
from plenary.meetings.tests.factories import ParticipationFactory
from plenary.provisioning import services
from plenary.provisioning.models import JoinLink, Service, ServiceRequest
from plenary.provisioning.services import ServiceSpec

pytestmark = pytest.mark.django_db


def _provision(organiser: User, meeting: Meeting, service: str, **fields: Any) -> ServiceRequest:
    (created,) = services.check_request_services(
        organiser, meeting, [ServiceSpec(service, **fields)]
    )
    return created


def test_request_page_explains_each_service_and_its_approval(
    client: Client, organiser: User, meeting: Meeting
) -> None:
    sign_in_verified(client, organiser)
    response = client.get(reverse("provisioning:request", kwargs={"code": meeting.code}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Interpretation is always approved by the conference department." in page
    assert "Needs the approval of the secretariat." in page
    assert 'value="remote_participation"' in page


def test_request_page_is_forbidden_to_participants(
    client: Client, meeting: Meeting, delegate: User
) -> None:
    client.force_login(delegate)
    response = client.get(reverse("provisioning:request", kwargs={"code": meeting.code}))
    assert response.status_code == 403


def test_requesting_from_the_page_stores_and_reports(
    client: Client, organiser: User, meeting: Meeting
) -> None:
    sign_in_verified(client, organiser)
    url = reverse("provisioning:request", kwargs={"code": meeting.code})
    response = client.post(
        url, {"services": ["captions", "webcast"], "public": "on", "note": "Please"}, follow=True
    )
    assert response.redirect_chain == [(url, 302)]
    stored = {r.service: r.status for r in meeting.service_requests.all()}
    assert stored == {"captions": "provisioned", "webcast": "pending"}
    assert meeting.service_requests.get(service="webcast").public


def test_a_refused_request_is_shown_on_the_form_and_stores_nothing(
    client: Client, organiser: User, meeting: Meeting, db_state: Callable[[], Any]
) -> None:
    sign_in_verified(client, organiser)
    before = db_state()
    response = client.post(
        reverse("provisioning:request", kwargs={"code": meeting.code}),
        {"services": ["captions", "interpretation"], "languages": []},
    )
    assert response.status_code == 400
    assert "Choose at least one interpretation language." in response.content.decode()
    assert db_state() == before


def test_cancel_from_the_page(client: Client, organiser: User, meeting: Meeting) -> None:
    created = _provision(organiser, meeting, Service.CAPTIONS)
    sign_in_verified(client, organiser)
    response = client.post(reverse("provisioning:cancel", kwargs={"pk": created.pk}))
    assert response.status_code == 302
    created.refresh_from_db()
    assert created.status == ServiceRequest.Status.CANCELLED


def test_queue_lists_what_the_approver_may_decide(
    client: Client, organiser: User, meeting: Meeting, conference: User
) -> None:
    _provision(organiser, meeting, Service.INTERPRETATION, languages=["en", "fr"])
    sign_in_verified(client, conference)
    response = client.get(reverse("provisioning:queue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert meeting.code in page
    assert f'<a href="{reverse("provisioning:queue")}">Service requests</a>' in page  # menu


def test_staff_pages_ask_for_the_second_factor(client: Client, organiser: User) -> None:
    client.force_login(organiser)  # password only, no TOTP step
    response = client.get(reverse("provisioning:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))


def test_queue_is_forbidden_to_organisers(
    client: Client, organiser: User, meeting: Meeting
) -> None:
    sign_in_verified(client, organiser)
    assert client.get(reverse("provisioning:queue")).status_code == 403
    page = client.get(reverse("provisioning:request", kwargs={"code": meeting.code}))
    assert reverse("provisioning:queue") not in page.content.decode()  # not in their menu


def test_htmx_approval_returns_the_updated_row(
    client: Client, organiser: User, meeting: Meeting, secretariat: User
) -> None:
    pending = _provision(organiser, meeting, Service.WEBCAST)
    sign_in_verified(client, secretariat)
    response = client.post(
        reverse("provisioning:decide", kwargs={"pk": pending.pk}),
        {"decision": "approve", "note": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    row = response.content.decode()
    assert row.lstrip().startswith(f'<tr id="request-{pending.pk}">')
    assert "Provisioned" in row
    pending.refresh_from_db()
    assert pending.status == ServiceRequest.Status.PROVISIONED


def test_htmx_rejection_without_note_shows_the_error_in_the_row(
    client: Client, organiser: User, meeting: Meeting, secretariat: User
) -> None:
    pending = _provision(organiser, meeting, Service.WEBCAST)
    sign_in_verified(client, secretariat)
    response = client.post(
        reverse("provisioning:decide", kwargs={"pk": pending.pk}),
        {"decision": "reject", "note": ""},
        headers={"HX-Request": "true"},
    )
    assert "Give a reason for the rejection." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == ServiceRequest.Status.PENDING


def test_someone_who_may_not_decide_gets_403_and_not_the_row(
    client: Client, organiser: User, meeting: Meeting
) -> None:
    pending = _provision(organiser, meeting, Service.WEBCAST)
    sign_in_verified(client, organiser)  # requested it, but the secretariat decides
    response = client.post(
        reverse("provisioning:decide", kwargs={"pk": pending.pk}),
        {"decision": "approve", "note": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 403
    assert meeting.code not in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == ServiceRequest.Status.PENDING


def test_plain_form_decision_redirects_to_the_queue(
    client: Client, organiser: User, meeting: Meeting, secretariat: User
) -> None:
    pending = _provision(organiser, meeting, Service.WEBCAST)
    sign_in_verified(client, secretariat)
    response = client.post(
        reverse("provisioning:decide", kwargs={"pk": pending.pk}),
        {"decision": "reject", "note": "No budget"},
    )
    assert response["Location"] == reverse("provisioning:queue")
    pending.refresh_from_db()
    assert pending.status == ServiceRequest.Status.REJECTED


def test_join_page_lists_sessions_for_the_owner_only(
    client: Client, organiser: User, meeting: Meeting, delegate: User
) -> None:
    _provision(organiser, meeting, Service.REMOTE_PARTICIPATION)
    link = JoinLink.objects.get(user=delegate)
    url = reverse("provisioning:join", kwargs={"token": link.token})
    client.force_login(delegate)
    page = client.get(url).content.decode()
    for session in meeting.sessions.all():
        assert reverse("room:session", kwargs={"session_id": session.pk}) in page
    assert "9:30 a.m." in page  # local time in Geneva, not UTC (8:30)
    sign_in_verified(client, organiser)
    assert client.get(url).status_code == 404


def test_join_page_shows_sessions_only_after_the_required_guidelines_are_confirmed(
    client: Client, organiser: User, meeting: Meeting, delegate: User
) -> None:
    _provision(organiser, meeting, Service.REMOTE_PARTICIPATION)
    guideline = GuidelineFactory.create(sector=meeting.sector, in_force_from=meeting.start_date)
    do_set_acknowledgement_required(organiser, meeting, True)
    link = JoinLink.objects.get(user=delegate)
    url = reverse("provisioning:join", kwargs={"token": link.token})
    first_session = reverse(
        "room:session", kwargs={"session_id": meeting.sessions.earliest("starts_at").pk}
    )
    client.force_login(delegate)

    before = client.get(url).content.decode()
    do_acknowledge(delegate, guideline, meeting)
    after = client.get(url).content.decode()

    assert reverse("guidance:acknowledge", kwargs={"pk": guideline.pk}) in before
    assert first_session not in before
    assert first_session in after


def test_join_page_asks_strangers_to_sign_in(client: Client) -> None:
    response = client.get(reverse("provisioning:join", kwargs={"token": "anything"}))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_revoked_join_link_is_not_found(
    client: Client, organiser: User, meeting: Meeting, delegate: User
) -> None:
    _provision(organiser, meeting, Service.REMOTE_PARTICIPATION)
    link = JoinLink.objects.get(user=delegate)
    client.force_login(delegate)
    client.post(reverse("provisioning:revoke_link", kwargs={"pk": link.pk}))
    response = client.get(reverse("provisioning:join", kwargs={"token": link.token}))
    assert response.status_code == 404


def test_public_webcast_page_needs_no_sign_in(
    client: Client, organiser: User, meeting: Meeting, secretariat: User
) -> None:
    pending = _provision(organiser, meeting, Service.WEBCAST, public=True)
    webcast = services.check_decide(secretariat, pending, approve=True)
    assert webcast.webcast_token
    response = client.get(reverse("provisioning:webcast", kwargs={"token": webcast.webcast_token}))
    assert response.status_code == 200
    assert "Opening plenary" in response.content.decode()


def test_webcast_page_is_not_found_unless_public_and_provisioned(
    client: Client, organiser: User, meeting: Meeting, secretariat: User
) -> None:
    private = services.check_decide(
        secretariat, _provision(organiser, meeting, Service.WEBCAST), approve=True
    )
    assert private.webcast_token
    for token in (private.webcast_token, "unknown"):
        response = client.get(reverse("provisioning:webcast", kwargs={"token": token}))
        assert response.status_code == 404


def _panel(user: Any, meeting: Meeting) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load provisioning_tags %}{% provisioning_panel meeting %}")
    return template.render(Context({"request": request, "meeting": meeting}))


def test_panel_shows_a_late_participant_their_join_button(
    organiser: User, meeting: Meeting
) -> None:
    _provision(organiser, meeting, Service.REMOTE_PARTICIPATION)
    late = ParticipationFactory.create(meeting=meeting).user
    html = _panel(late, meeting)
    link = JoinLink.objects.get(user=late)
    assert reverse("provisioning:join", kwargs={"token": link.token}) in html
    assert "Join the meeting" in html
    assert "Services of this meeting" not in html


def test_panel_shows_organisers_the_status_of_each_service(
    organiser: User, meeting: Meeting
) -> None:
    _provision(organiser, meeting, Service.WEBCAST)
    html = _panel(organiser, meeting)
    assert "Webcast" in html
    assert "Awaiting approval" in html
    assert "Join the meeting" not in html


def test_panel_for_visitors_has_the_public_webcast_and_calendar(
    organiser: User, meeting: Meeting, secretariat: User
) -> None:
    from django.contrib.auth.models import AnonymousUser

    webcast = services.check_decide(
        secretariat, _provision(organiser, meeting, Service.WEBCAST, public=True), approve=True
    )
    html = _panel(AnonymousUser(), meeting)
    assert reverse("provisioning:webcast", kwargs={"token": str(webcast.webcast_token)}) in html
    assert reverse("provisioning:meeting_calendar", kwargs={"code": meeting.code}) in html
    assert "calendar address" not in html
