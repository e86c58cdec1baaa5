"""The services API: request, list, decide, cancel, join links and calendar feed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client

from plenary.accounts.models import User
from plenary.accounts.tests.helpers import sign_in_verified
from plenary.meetings.models import Meeting
from plenary.provisioning.models import JoinLink, ServiceRequest

pytestmark = pytest.mark.django_db
API = "/api/v1/provisioning"


def _post(client: Client, path: str, data: Mapping[str, object] | None = None) -> Any:
    return client.post(API + path, data or {}, content_type="application/json")


def test_request_decide_and_list(
    client: Client, organiser: User, meeting: Meeting, conference: User
) -> None:
    sign_in_verified(client, organiser)
    response = _post(
        client,
        "/requests",
        {"meeting": meeting.code, "service": "interpretation", "languages": ["fr", "en"]},
    )
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "pending"
    assert created["languages"] == ["en", "fr"]

    sign_in_verified(client, conference)
    decided = _post(client, f"/requests/{created['id']}/decision", {"approve": True})
    assert decided.json()["status"] == "provisioned"

    listed = client.get(f"{API}/meetings/{meeting.code}/requests").json()
    assert [(r["service"], r["status"]) for r in listed] == [("interpretation", "provisioned")]


def test_refusals_are_json_with_a_code(client: Client, organiser: User, meeting: Meeting) -> None:
    sign_in_verified(client, organiser)
    body = {"meeting": meeting.code, "service": "captions"}
    assert _post(client, "/requests", body).status_code == 201
    duplicate = _post(client, "/requests", body)
    assert duplicate.status_code == 400
    assert duplicate.json()["code"] == "duplicate"
    unknown = _post(client, "/requests", {"meeting": "nope", "service": "captions"})
    assert unknown.status_code == 404
    invalid = _post(client, "/requests", {"meeting": meeting.code, "service": "teleportation"})
    assert invalid.status_code == 422
    assert ServiceRequest.objects.count() == 1


def test_participants_may_neither_list_nor_decide(
    client: Client, organiser: User, meeting: Meeting, delegate: User
) -> None:
    sign_in_verified(client, organiser)
    created = _post(client, "/requests", {"meeting": meeting.code, "service": "webcast"}).json()
    client.force_login(delegate)
    assert client.get(f"{API}/meetings/{meeting.code}/requests").status_code == 403
    refused = _post(client, f"/requests/{created['id']}/decision", {"approve": True})
    assert refused.status_code == 403
    assert ServiceRequest.objects.get().status == ServiceRequest.Status.PENDING


def test_my_join_links_and_revocation(
    client: Client, organiser: User, meeting: Meeting, delegate: User
) -> None:
    sign_in_verified(client, organiser)
    _post(client, "/requests", {"meeting": meeting.code, "service": "remote_participation"})
    client.force_login(delegate)
    (link,) = client.get(f"{API}/join-links").json()
    assert link["meeting"] == meeting.code
    assert "/services/join/" in link["url"]
    assert _post(client, f"/join-links/{link['id']}/revoke").status_code == 204
    (renewed,) = client.get(f"{API}/join-links").json()
    assert renewed["url"] != link["url"]


def test_calendar_feed_and_reset(client: Client, delegate: User) -> None:
    client.force_login(delegate)
    first = client.get(f"{API}/calendar-feed").json()
    assert client.get(f"{API}/calendar-feed").json() == first
    reset = _post(client, "/calendar-feed/reset").json()
    assert reset["url"] != first["url"]
    assert client.get(urlsplit(first["url"]).path).status_code == 404
    assert client.get(urlsplit(reset["url"]).path).status_code == 200


def test_anonymous_callers_are_refused(client: Client) -> None:
    assert client.get(f"{API}/join-links").status_code == 401


def test_staff_must_confirm_their_sign_in_first(
    client: Client, organiser: User, meeting: Meeting
) -> None:
    client.force_login(organiser)  # password only, no TOTP step
    refused = _post(client, "/requests", {"meeting": meeting.code, "service": "captions"})
    assert refused.status_code == 403
    assert ServiceRequest.objects.count() == 0


def test_revoking_someone_elses_link_needs_a_confirmed_staff_sign_in(
    client: Client, organiser: User, meeting: Meeting, delegate: User
) -> None:
    sign_in_verified(client, organiser)
    _post(client, "/requests", {"meeting": meeting.code, "service": "remote_participation"})
    link = JoinLink.objects.get(user=delegate)
    client.logout()
    client.force_login(organiser)  # password only
    assert _post(client, f"/join-links/{link.pk}/revoke").status_code == 403
    sign_in_verified(client, organiser)
    assert _post(client, f"/join-links/{link.pk}/revoke").status_code == 204
    link.refresh_from_db()
    assert not link.is_active
