"""Calendar files parsed back with ``icalendar``: zones, locations, join links."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from plenary.accounts.models import User
from plenary.meetings.models import Meeting
from plenary.meetings.tests.factories import MeetingFactory, ParticipationFactory, SessionFactory
from plenary.provisioning import services
from plenary.provisioning.models import Service
from plenary.provisioning.services import ServiceSpec

pytestmark = pytest.mark.django_db


def _events(body: bytes) -> list[dict[str, object]]:
    calendar = Calendar.from_ical(body)
    return sorted(
        (
            {
                "summary": str(event["summary"]),
                "start": event.decoded("dtstart"),
                "end": event.decoded("dtend"),
                "tzid": event["dtstart"].params.get("TZID"),
                "location": str(event["location"]),
                "url": str(event["url"]),
                "description": str(event["description"]),
            }
            for event in calendar.walk("VEVENT")
        ),
        key=lambda e: str(e["start"]),
    )


def test_meeting_calendar_has_every_session_in_local_time(client: Client, meeting: Meeting) -> None:
    response = client.get(reverse("provisioning:meeting_calendar", kwargs={"code": meeting.code}))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar"
    calendar = Calendar.from_ical(response.content)
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Zurich"]
    events = _events(response.content)
    assert len(events) == 2
    opening = events[0]
    zurich = zoneinfo.ZoneInfo("Europe/Zurich")
    assert opening["tzid"] == "Europe/Zurich"
    assert opening["start"] == dt.datetime.combine(meeting.start_date, dt.time(9, 30), zurich)
    assert opening["end"] == dt.datetime.combine(meeting.start_date, dt.time(12, 30), zurich)
    assert opening["summary"].endswith("Opening plenary")  # type: ignore[attr-defined]
    assert opening["location"] == "Room A, Headquarters, Geneva, Geneva"
    assert "/services/join/" not in opening["description"]  # type: ignore[operator]


def test_virtual_meetings_are_online_in_their_own_zone(client: Client) -> None:
    meeting = MeetingFactory.create(site=None, time_zone="Asia/Tokyo")
    SessionFactory.create(meeting=meeting)
    response = client.get(reverse("provisioning:meeting_calendar", kwargs={"code": meeting.code}))
    (event,) = _events(response.content)
    assert event["location"] == "Online"
    assert event["tzid"] == "Asia/Tokyo"
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    assert event["start"] == dt.datetime.combine(meeting.start_date, dt.time(9, 30), tokyo)


def test_a_participant_finds_their_join_link_in_the_description(
    client: Client, organiser: User, meeting: Meeting, delegate: User
) -> None:
    services.check_request_services(organiser, meeting, [ServiceSpec(Service.REMOTE_PARTICIPATION)])
    link = services.join_link_for(delegate, meeting)
    assert link is not None
    client.force_login(delegate)
    response = client.get(reverse("provisioning:meeting_calendar", kwargs={"code": meeting.code}))
    assert all(link.token in e["description"] for e in _events(response.content))  # type: ignore[operator]


def test_draft_meetings_are_hidden_from_the_public(client: Client) -> None:
    draft = MeetingFactory.create(status=Meeting.Status.DRAFT)
    response = client.get(reverse("provisioning:meeting_calendar", kwargs={"code": draft.code}))
    assert response.status_code == 404


def test_feed_lists_all_meetings_of_its_owner(
    client: Client, meeting: Meeting, delegate: User
) -> None:
    other = MeetingFactory.create(site=None, time_zone="America/New_York")
    SessionFactory.create(meeting=other, title="Virtual session")
    ParticipationFactory.create(meeting=other, user=delegate)
    MeetingFactory.create()  # not theirs
    feed = services.calendar_feed_for(delegate)
    response = client.get(reverse("provisioning:feed", kwargs={"token": feed.token}))
    assert response.status_code == 200
    events = _events(response.content)
    assert {e["tzid"] for e in events} == {"Europe/Zurich", "America/New_York"}
    assert len(events) == 3
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == "اجتماعاتي"  # the owner reads Arabic
    assert calendar.decoded("refresh-interval") == dt.timedelta(hours=1)


def test_revoked_and_unknown_feed_tokens_are_not_found(client: Client, delegate: User) -> None:
    old = services.calendar_feed_for(delegate)
    services.do_reset_calendar_feed(delegate)
    for token in (old.token, "unknown-token"):
        response = client.get(reverse("provisioning:feed", kwargs={"token": token}))
        assert response.status_code == 404
