import pytest
from django.test import Client
from django.urls import reverse

from plenary.accounts.tests.factories import StaffFactory
from plenary.accounts.tests.helpers import sign_in_verified
from plenary.meetings.tests.factories import (
    ParticipationFactory,
    RegistrationFactory,
    RoomFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "model", ["sector", "site", "room", "meeting", "session", "registration", "participation"]
)
def test_the_admin_lists_and_searches_each_table(client: Client, model: str) -> None:
    session = SessionFactory.create(room=RoomFactory.create())
    RegistrationFactory.create(meeting=session.meeting)
    ParticipationFactory.create(meeting=session.meeting)
    sign_in_verified(client, StaffFactory.create(is_superuser=True))
    url = reverse(f"admin:meetings_{model}_changelist")
    assert client.get(url).status_code == 200
    assert client.get(url, {"q": "T"}).status_code == 200


def test_the_admin_edits_a_meeting_with_its_sessions(client: Client) -> None:
    session = SessionFactory.create()
    sign_in_verified(client, StaffFactory.create(is_superuser=True))
    page = client.get(reverse("admin:meetings_meeting_change", args=[session.meeting.pk]))
    assert page.status_code == 200
    assert session.title in page.content.decode()
