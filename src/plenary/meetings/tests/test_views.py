import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from plenary.accounts.tests.factories import (
    DelegateFactory,
    FocalPointFactory,
    OrganiserFactory,
)
from plenary.accounts.tests.helpers import sign_in_verified
from plenary.meetings.models import Meeting, Participation, Registration, Session
from plenary.meetings.tests.factories import (
    MeetingFactory,
    RegionalOfficeFactory,
    RegistrationFactory,
    SessionFactory,
    SiteFactory,
    sector,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_client(client: Client) -> Client:
    organiser = OrganiserFactory.create()
    sign_in_verified(client, organiser)
    client.organiser = organiser  # type: ignore[attr-defined]
    return client


def basics(**changes: str) -> dict[str, object]:
    values: dict[str, object] = {
        "code": "D-WS-2027-01",
        "sector": sector("D").pk,
        "meeting_type": "workshop",
        "working_language": "en",
        "title_en": "Workshop on digital inclusion",
        "title_fr": "Atelier sur l'inclusion numérique",
        "site": SiteFactory.create().pk,
        "time_zone": "Europe/Zurich",
        "start_date": "2027-03-01",
        "end_date": "2027-03-02",
        "languages": ["en", "fr"],
    }
    values.update(changes)
    return values


def test_home_lists_upcoming_published_meetings_with_filters(client: Client) -> None:
    shown = MeetingFactory.create(titles={"en": "Shown meeting"})
    MeetingFactory.create(titles={"en": "Draft meeting"}, status=Meeting.Status.DRAFT)
    MeetingFactory.create(titles={"en": "Virtual meeting"}, site=None)
    page = client.get(reverse("meetings:home")).content.decode()
    assert "Shown meeting" in page and "Virtual meeting" in page
    assert "Draft meeting" not in page
    page = client.get(reverse("meetings:home"), {"virtual": "no", "sector": "T"}).content.decode()
    assert shown.title in page and "Virtual meeting" not in page


def test_the_meeting_page_shows_sessions_in_the_site_time_with_the_zone(client: Client) -> None:
    session = SessionFactory.create(title="Opening", remote_right="speak")
    page = client.get(reverse("meetings:detail", args=[session.meeting.code])).content.decode()
    assert "09:30" in page and session.meeting.time_zone_label in page
    assert "Europe/Zurich" not in page  # a database identifier, not words for a reader
    assert "May take the floor" in page
    assert "Sign in to register." in page


def test_a_draft_is_hidden_from_the_public(client: Client) -> None:
    meeting = MeetingFactory.create(status=Meeting.Status.DRAFT)
    assert client.get(reverse("meetings:detail", args=[meeting.code])).status_code == 404


def test_a_delegate_registers_and_sees_the_status(client: Client) -> None:
    meeting = MeetingFactory.create()
    delegate = DelegateFactory.create()
    client.force_login(delegate)
    response = client.post(
        reverse("meetings:register", args=[meeting.code]),
        {"kind": "delegate", "attendance": "remote"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:registered", args=[meeting.code])
    assert "Awaiting approval" in client.get(response["Location"]).content.decode()
    assert (
        "Awaiting approval"
        in client.get(reverse("meetings:detail", args=[meeting.code])).content.decode()
    )
    assert meeting.title in client.get(reverse("meetings:my_meetings")).content.decode()


def test_registering_twice_shows_the_refusal_on_the_form(client: Client) -> None:
    registration = RegistrationFactory.create()
    client.force_login(registration.user)
    response = client.post(
        reverse("meetings:register", args=[registration.meeting.code]),
        {"kind": "delegate", "attendance": "remote"},
    )
    assert response.status_code == 200
    assert "You are already registered for this meeting." in response.content.decode()
    assert Registration.objects.count() == 1


def test_the_registration_form_sends_someone_registered_to_their_status(client: Client) -> None:
    registration = RegistrationFactory.create()
    client.force_login(registration.user)
    response = client.get(reverse("meetings:register", args=[registration.meeting.code]))
    assert response["Location"] == reverse("meetings:registered", args=[registration.meeting.code])


def test_the_wizard_requires_a_verified_staff_session(client: Client) -> None:
    client.force_login(OrganiserFactory.create())
    response = client.get(reverse("meetings:wizard"))
    assert response.status_code == 302
    assert reverse("accounts:verify") in response["Location"]


def test_the_wizard_creates_a_draft_adds_sessions_and_publishes(organiser_client: Client) -> None:
    response = organiser_client.post(reverse("meetings:wizard"), basics())
    assert response.status_code == 302
    meeting = Meeting.objects.get(code="D-WS-2027-01")
    assert meeting.status == Meeting.Status.DRAFT
    assert response["Location"] == reverse("meetings:sessions", args=[meeting.code])

    response = organiser_client.post(
        response["Location"],
        {
            "title": "Opening",
            "day": "2027-03-01",
            "starts": "09:30",
            "ends": "12:30",
            "remote_right": "speak",
        },
    )
    assert response.status_code == 302
    session = Session.objects.get()
    assert session.starts_at == dt.datetime(2027, 3, 1, 8, 30, tzinfo=dt.UTC)

    review = organiser_client.get(reverse("meetings:review", args=[meeting.code]))
    assert "Opening" in review.content.decode()
    response = organiser_client.post(reverse("meetings:publish", args=[meeting.code]))
    assert response["Location"] == reverse("provisioning:request", args=[meeting.code])
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PUBLISHED


def test_the_wizard_shows_refusals_on_the_fields(organiser_client: Client) -> None:
    response = organiser_client.post(reverse("meetings:wizard"), basics(title_en=""))
    assert response.status_code == 200
    assert "Give the title in the working language." in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_session_ending_before_it_starts_is_shown_and_not_stored(
    organiser_client: Client,
) -> None:
    meeting = MeetingFactory.create(
        organiser=organiser_client.organiser,  # type: ignore[attr-defined]
        status=Meeting.Status.DRAFT,
    )
    response = organiser_client.post(
        reverse("meetings:sessions", args=[meeting.code]),
        {
            "title": "Opening",
            "day": "2027-03-01",
            "starts": "12:00",
            "ends": "09:00",
            "remote_right": "speak",
        },
    )
    assert response.status_code == 200
    assert "The session must end after it starts." in response.content.decode()
    assert not Session.objects.exists()


def test_another_organiser_may_not_manage_the_meeting(organiser_client: Client) -> None:
    meeting = MeetingFactory.create()
    assert organiser_client.get(reverse("meetings:manage", args=[meeting.code])).status_code == 403


def test_the_management_page_offers_the_guidelines_switch(organiser_client: Client) -> None:
    meeting = MeetingFactory.create(organiser=organiser_client.organiser)  # type: ignore[attr-defined]
    page = organiser_client.get(reverse("meetings:manage", args=[meeting.code])).content.decode()
    assert reverse("guidance:meeting_setting", args=[meeting.pk]) in page
    assert 'name="require_acknowledgement"' in page


def test_the_organiser_assigns_a_role_on_the_management_page(organiser_client: Client) -> None:
    meeting = MeetingFactory.create(organiser=organiser_client.organiser)  # type: ignore[attr-defined]
    chair = DelegateFactory.create()
    url = reverse("meetings:role_add", args=[meeting.code])
    response = organiser_client.post(
        url, {"person": chair.email, "role": "chair", "attendance": "onsite"}
    )
    assert response.status_code == 302
    assert Participation.objects.get().user == chair
    response = organiser_client.post(
        url, {"person": "nobody", "role": "chair", "attendance": "onsite"}
    )
    assert response.status_code == 400
    assert "No one has this user name or e-mail address." in response.content.decode()


def test_the_focal_point_sees_the_queue_and_approves_with_htmx(client: Client) -> None:
    registration = RegistrationFactory.create()
    RegistrationFactory.create()  # another entity's: not shown
    focal_point = FocalPointFactory.create(entity=registration.entity)
    client.force_login(focal_point)
    queue = client.get(reverse("meetings:approvals")).content.decode()
    assert queue.count('id="registration-') == 1
    response = client.post(
        reverse("meetings:decide", args=[registration.pk]),
        {"decision": "approve", "note": ""},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Approved" in response.content.decode()
    assert "<form" not in response.content.decode()
    assert Participation.objects.filter(user=registration.user).exists()


def test_without_javascript_the_decision_redirects_back(client: Client) -> None:
    registration = RegistrationFactory.create()
    client.force_login(FocalPointFactory.create(entity=registration.entity))
    response = client.post(
        reverse("meetings:decide", args=[registration.pk]), {"decision": "reject", "note": "Late"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:approvals")
    registration.refresh_from_db()
    assert (registration.status, registration.decision_note) == ("rejected", "Late")


def test_someone_else_cannot_decide_and_nothing_changes(client: Client) -> None:
    registration = RegistrationFactory.create()
    client.force_login(FocalPointFactory.create())
    response = client.post(
        reverse("meetings:decide", args=[registration.pk]),
        {"decision": "approve"},
        headers={"HX-Request": "true"},
    )
    assert "Only a focal point of" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING
    assert not Participation.objects.exists()


def test_a_refused_htmx_decision_does_not_show_the_registrant(client: Client) -> None:
    registration = RegistrationFactory.create(user__first_name="Amina", user__last_name="Diallo")
    client.force_login(FocalPointFactory.create())  # of another entity
    response = client.post(
        reverse("meetings:decide", args=[registration.pk]),
        {"decision": "approve"},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert "Only a focal point of" in page
    assert "Diallo" not in page
    assert registration.user.username not in page


def test_regional_office_staff_are_offered_their_own_office_only(client: Client) -> None:
    office = RegionalOfficeFactory.create()
    SiteFactory.create()  # headquarters: not offered
    staff = OrganiserFactory.create(staff_role="regional_office", staff_site=office)
    sign_in_verified(client, staff)
    form = client.get(reverse("meetings:wizard")).context["form"]
    assert list(form.fields["site"].queryset) == [office]


@pytest.mark.parametrize(
    ("site", "time_zone", "start", "label"),
    [
        (True, "", dt.date(2027, 3, 1), "local time, UTC+01:00"),
        (True, "", dt.date(2027, 7, 5), "local time, UTC+02:00"),  # summer time
        (False, "Asia/Kolkata", dt.date(2027, 7, 5), "meeting time, UTC+05:30"),
        (False, "America/New_York", dt.date(2027, 1, 4), "meeting time, UTC-05:00"),
    ],
)
def test_a_meetings_clock_is_told_in_words_and_an_offset(
    site: bool, time_zone: str, start: dt.date, label: str
) -> None:
    extra = {} if site else {"site": None, "time_zone": time_zone}
    meeting = MeetingFactory.create(start_date=start, end_date=start, **extra)
    assert meeting.time_zone_label == label
    with translation.override("fr"):
        assert meeting.time_zone_label.startswith("heure ")
