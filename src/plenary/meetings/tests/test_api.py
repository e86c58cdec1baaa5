import pytest
from django.test import Client

from plenary.accounts.tests.factories import DelegateFactory, FocalPointFactory, StaffFactory
from plenary.meetings.models import Meeting, Registration
from plenary.meetings.tests.factories import (
    MARCH_2027,
    MeetingFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/meetings"


def test_published_meetings_are_public() -> None:
    meeting = MeetingFactory.create(titles={"en": "Study Group 17", "fr": "CE 17"})
    MeetingFactory.create(status=Meeting.Status.DRAFT)
    body = Client().get(f"{API}/").json()
    assert [m["code"] for m in body] == [meeting.code]
    assert body[0]["time_zone"] == "Europe/Zurich"
    french = Client().get(f"{API}/{meeting.code}", headers={"Accept-Language": "fr"}).json()
    assert french["title"] == "CE 17"


def test_a_draft_is_not_found_in_the_api() -> None:
    meeting = MeetingFactory.create(status=Meeting.Status.DRAFT)
    response = Client().get(f"{API}/{meeting.code}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_sessions_carry_utc_and_local_times() -> None:
    meeting = MeetingFactory.create(**MARCH_2027)  # Geneva, UTC+1
    session = SessionFactory.create(meeting=meeting, remote_right="observe")
    [body] = Client().get(f"{API}/{session.meeting.code}/sessions").json()
    assert body["local_start"] == "2027-03-01T09:30:00+01:00"
    assert body["remote_right_label"] == "Observe only"


def test_register_list_and_withdraw(client: Client) -> None:
    meeting = MeetingFactory.create()
    client.force_login(DelegateFactory.create())
    url = f"{API}/{meeting.code}/registration"
    response = client.post(url, {"attendance": "remote"}, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert [r["meeting"] for r in client.get(f"{API}/registrations/mine").json()] == [meeting.code]
    assert client.delete(url).json()["status"] == "withdrawn"


def test_a_refusal_comes_back_as_json_with_its_field(client: Client) -> None:
    meeting = MeetingFactory.create(site=None)
    client.force_login(DelegateFactory.create())
    response = client.post(
        f"{API}/{meeting.code}/registration",
        {"attendance": "onsite"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "virtual_meeting",
        "message": "This meeting is fully virtual: register to attend remotely.",
        "field": "attendance",
    }
    assert not Registration.objects.exists()


def test_registering_needs_a_sign_in() -> None:
    meeting = MeetingFactory.create()
    response = Client().post(
        f"{API}/{meeting.code}/registration",
        {"attendance": "remote"},
        content_type="application/json",
    )
    assert response.status_code == 401


def test_the_focal_point_lists_and_decides_pending_registrations(client: Client) -> None:
    registration = RegistrationFactory.create()
    client.force_login(FocalPointFactory.create(entity=registration.entity))
    assert [r["id"] for r in client.get(f"{API}/registrations/pending").json()] == [registration.pk]
    response = client.post(
        f"{API}/registrations/{registration.pk}/decision",
        {"approve": True, "note": "ok"},
        content_type="application/json",
    )
    assert response.json()["status"] == "approved"


def test_a_decision_by_someone_else_is_forbidden(client: Client) -> None:
    registration = RegistrationFactory.create()
    client.force_login(FocalPointFactory.create())
    response = client.post(
        f"{API}/registrations/{registration.pk}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert Registration.objects.get().status == Registration.Status.PENDING


def test_staff_decide_observers_only_after_their_second_factor(client: Client) -> None:
    registration = RegistrationFactory.create(
        user=DelegateFactory.create(entity=None), entity=None, kind=Registration.Kind.OBSERVER
    )
    client.force_login(StaffFactory.create())  # secretariat, password only: not verified
    response = client.post(
        f"{API}/registrations/{registration.pk}/decision",
        {"approve": True},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["message"] == (
        "Confirm your sign-in with your authentication code first."
    )
    assert Registration.objects.get().status == Registration.Status.PENDING
