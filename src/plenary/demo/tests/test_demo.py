import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from plenary.accounts.models import User
from plenary.demo import live
from plenary.demo.loader import load_demo
from plenary.floor import services as floor
from plenary.floor.models import SessionEvent
from plenary.live.models import AttendanceRecord
from plenary.meetings.models import Meeting, Participation, Registration, Session
from plenary.proposals.models import ProposalDocument
from plenary.provisioning.models import Service, ServiceRequest
from plenary.stats import queries

pytestmark = pytest.mark.django_db

UPCOMING = ("T-SG17-", "D-RDF-AFR-", "C-")


def _past_year() -> queries.YearStatistics:
    return queries.year_statistics(queries.Filters(year=timezone.now().year - 1))


def _live_now() -> Session:
    now = timezone.now()
    return Session.objects.select_related("meeting").get(starts_at__lte=now, ends_at__gt=now)


def test_demo_loads_the_upcoming_meetings_in_realistic_states() -> None:
    accounts = load_demo()

    assert {a.username for a in accounts} >= {"organiser", "fp.kenya", "ro.africa", "admin"}
    # The meeting in session now is not upcoming, even when its site's date is already
    # tomorrow's in UTC (Geneva's first hour of the day is 23:00 UTC).
    upcoming = Meeting.objects.filter(start_date__gt=timezone.localdate()).exclude(
        code__startswith=live.CODE_PREFIX
    )
    prefixes = [next((p for p in UPCOMING if m.code.startswith(p)), m.code) for m in upcoming]
    assert sorted(prefixes) == sorted(UPCOMING)
    assert all(m.status == Meeting.Status.PUBLISHED for m in Meeting.objects.all())
    council = upcoming.get(code__startswith="C-")
    interpretation = council.service_requests.get(service=Service.INTERPRETATION)
    assert interpretation.status == ServiceRequest.Status.PENDING
    assert sorted(interpretation.languages) == sorted(["ar", "zh-hans", "en", "fr", "ru", "es"])
    pending = Registration.objects.filter(status=Registration.Status.PENDING)
    assert {r.user.username for r in pending} >= {"delegate.kenya", "observer"}
    proposal_document = ProposalDocument.objects.get(entity__code="F")
    assert {p.action for p in proposal_document.proposals.all()} == {"MOD", "ADD"}


def test_demo_past_year_has_attendance_onsite_and_remote_from_several_regions() -> None:
    load_demo()

    stats = _past_year()

    assert stats.meetings == 6
    assert stats.meetings_without_facts == []
    assert stats.totals.onsite > 0
    assert stats.totals.remote > 0
    regions = {row.key for row in stats.breakdowns["region"] if row.key}
    assert regions == {"africa", "americas", "arab_states", "asia_pacific", "cis", "europe"}
    # Every region has enough people to be shown in open data (not suppressed).
    assert all(row.counts.persons >= 5 for row in stats.breakdowns["region"] if row.key)
    assert {"ar", "es", "fr"} <= {language for language, _n in stats.listeners}
    assert stats.captions[0] > 0
    assert stats.interventions["onsite"] > 0
    assert stats.interventions["remote"] > 0
    assert stats.webcast[0] > 0


def test_demo_past_facts_pair_up_and_copy_the_entity_as_the_floor_records_them() -> None:
    load_demo()
    year = timezone.now().year - 1
    past = AttendanceRecord.objects.filter(at__year=year)

    joins = past.filter(kind=AttendanceRecord.Kind.JOIN)
    leaves = past.filter(kind=AttendanceRecord.Kind.LEAVE)
    assert sorted(joins.values_list("connection", flat=True)) == sorted(
        leaves.values_list("connection", flat=True)
    )
    for fact in past.select_related("session", "entity"):
        assert fact.session.starts_at <= fact.at <= fact.session.ends_at
        assert fact.entity_region == (fact.entity.region if fact.entity else "")
        assert fact.meeting_id == fact.session.meeting_id


def test_demo_has_a_session_open_now_with_the_floor_a_booth_and_a_public_webcast() -> None:
    load_demo()

    session = _live_now()
    _version, state = floor.current_state(session.pk)
    assert state["status"] == "open"
    speaker = User.objects.get(pk=state["speaker"]["request"]["user_id"])
    assert speaker.username == "delegate.china"
    assert [item["name"] for item in state["queue"]] == ["Julien Moreau"]
    meeting = session.meeting
    assert meeting.participations.filter(
        role=Participation.Role.INTERPRETER, language="fr", user__username="interpreter.fr"
    ).exists()
    provisioned = meeting.service_requests.filter(status=ServiceRequest.Status.PROVISIONED)
    assert set(provisioned.values_list("service", flat=True)) == set(Service.values)
    webcast = provisioned.get(service=Service.WEBCAST)
    assert webcast.public
    assert webcast.webcast_token
    assert meeting.participations.filter(
        role=Participation.Role.DELEGATE, attendance="remote"
    ).exists()


def test_demo_loads_twice_without_changes_and_passwords_sign_in() -> None:
    first = load_demo()
    counts = (
        User.objects.count(),
        Meeting.objects.count(),
        Registration.objects.count(),
        AttendanceRecord.objects.count(),
        SessionEvent.objects.count(),
    )

    second = load_demo()

    assert (
        User.objects.count(),
        Meeting.objects.count(),
        Registration.objects.count(),
        AttendanceRecord.objects.count(),
        SessionEvent.objects.count(),
    ) == counts
    assert first == second
    chair = next(a for a in second if a.username == "chair")
    assert User.objects.get(username="chair").check_password(chair.password)


def test_demo_loaded_on_a_later_day_opens_a_new_session_now() -> None:
    load_demo()
    earlier = _live_now()
    # As if the demo had been loaded a week ago: the meeting's days are over.
    week = dt.timedelta(days=7)
    Session.objects.filter(pk=earlier.pk).update(
        starts_at=earlier.starts_at - week, ends_at=earlier.ends_at - week
    )
    meeting = earlier.meeting
    Meeting.objects.filter(pk=meeting.pk).update(
        start_date=meeting.start_date - week, end_date=meeting.end_date - week
    )

    load_demo()

    current = _live_now()
    assert current.pk != earlier.pk
    assert current.meeting_id == earlier.meeting_id
    meeting.refresh_from_db()
    assert meeting.end_date >= current.ends_at.astimezone(meeting.tzinfo).date()
    assert floor.current_state(earlier.pk)[1]["status"] == "closed"
    assert floor.current_state(current.pk)[1]["status"] == "open"


@override_settings(DEMO=False)
def test_demo_command_refuses_outside_demo_mode() -> None:
    with pytest.raises(CommandError, match="PLENARY_DEMO"):
        call_command("demo")
    assert not Meeting.objects.exists()


def test_demo_has_a_study_group_workspace_with_a_multilingual_conversation() -> None:
    from plenary.workspaces.models import Message, Notification, Workspace
    from plenary.workspaces.services import access

    load_demo()
    workspace = Workspace.objects.get(slug="sg17")
    assert set(workspace.channels.values_list("slug", flat=True)) == {"general", "q4"}
    assert set(Message.objects.values_list("language", flat=True)) == {"en", "fr", "ar", "zh-hans"}
    assert Message.objects.filter(reply_to__isnull=False).count() == 2
    kenya = User.objects.get(username="delegate.kenya")
    assert access.place_of(kenya, workspace).is_member  # by entity
    mentioned = Notification.objects.filter(reason="mention").values_list(
        "user__username", flat=True
    )
    assert {"delegate.france", "fp.france", "delegate.saudi"} <= set(mentioned)
