"""Counting rules on constructed fact sets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from plenary.accounts.models import Region
from plenary.accounts.tests.factories import DelegateFactory, EntityFactory, UserFactory
from plenary.live.models import AttendanceRecord
from plenary.meetings.models import Participation, Registration
from plenary.meetings.tests.factories import (
    ParticipationFactory,
    RegionalOfficeFactory,
    RegistrationFactory,
    SessionFactory,
)
from plenary.stats import queries, services
from plenary.stats.queries import Counts, Filters
from plenary.stats.tests.conftest import YEAR, make_session
from plenary.stats.tests.factories import fact

pytestmark = pytest.mark.django_db
F = Filters(year=YEAR)


def test_onsite_and_remote_in_one_session_is_one_onsite_person_session() -> None:
    session = make_session()
    person = DelegateFactory.create()
    fact(person, session, attendance="remote")
    fact(person, session, attendance="onsite")
    fact(person, session, attendance="remote")  # reconnect from a second device
    assert queries.totals(F) == Counts(
        persons=1, remote_persons=0, person_sessions=1, onsite=1, remote=0
    )


def test_one_person_across_sessions_counts_once_as_person() -> None:
    first, second = make_session(), make_session(day=dt.date(YEAR, 6, 1))
    person = DelegateFactory.create()
    fact(person, first, attendance="remote")
    fact(person, second, attendance="onsite")
    assert queries.totals(F) == Counts(
        persons=1, remote_persons=1, person_sessions=2, onsite=1, remote=1
    )


def test_person_with_two_roles_counts_once() -> None:
    session = make_session()
    person = DelegateFactory.create()
    ParticipationFactory.create(meeting=session.meeting, user=person, role=Participation.Role.CHAIR)
    ParticipationFactory.create(meeting=session.meeting, user=person)
    fact(person, session, connection="chair-tab")
    fact(person, session, connection="delegate-tab")
    assert queries.totals(F).persons == 1
    assert queries.totals(F).person_sessions == 1


def test_only_joins_count_as_presence_and_other_years_are_excluded() -> None:
    session = make_session()
    person = DelegateFactory.create()
    fact(person, session, kind=AttendanceRecord.Kind.CHANNEL, language="fr")
    later = make_session(day=dt.date(YEAR + 1, 1, 1))
    fact(person, later)
    assert queries.totals(F) == Counts()
    assert queries.totals(Filters(year=YEAR + 1)).persons == 1


def test_sector_breakdown_adds_up_to_person_sessions() -> None:
    t_session, d_session = make_session("T"), make_session("D")
    people = DelegateFactory.create_batch(3)
    for person in people:
        fact(person, t_session)
    fact(people[0], d_session, attendance="onsite")
    rows = {row.key: row.counts for row in queries.breakdown(F, "sector")}
    assert rows["T"] == Counts(3, 3, 3, 0, 3)
    assert rows["D"] == Counts(1, 0, 1, 1, 0)
    assert sum(c.person_sessions for c in rows.values()) == queries.totals(F).person_sessions


def test_unknown_entity_is_its_own_row_and_copied_region_is_used() -> None:
    session = make_session()
    no_entity = UserFactory.create()
    fact(no_entity, session)
    entity = EntityFactory.create(region=Region.AFRICA)
    delegate = DelegateFactory.create(entity=entity)
    fact(delegate, session)
    entity.region = Region.EUROPE  # later edit must not rewrite history
    entity.save()
    regions = {row.key: row.counts.persons for row in queries.breakdown(F, "region")}
    assert regions == {"": 1, Region.AFRICA: 1}


def test_filters_restrict_by_sector_site_and_region() -> None:
    office = RegionalOfficeFactory.create()
    regional = make_session("D", site=office)
    hq = make_session("T")
    person = DelegateFactory.create()
    fact(person, regional)
    fact(DelegateFactory.create(), hq)
    assert queries.totals(Filters(year=YEAR, site=office.code)).persons == 1
    assert queries.totals(Filters(year=YEAR, sector="T")).persons == 1
    assert queries.totals(Filters(year=YEAR, region="americas")).persons == 0


def test_months_and_years_trends() -> None:
    person = DelegateFactory.create()
    fact(person, make_session(day=dt.date(YEAR, 3, 2)))
    fact(person, make_session(day=dt.date(YEAR, 11, 2)))
    fact(person, make_session(day=dt.date(YEAR - 1, 5, 2)))
    months = dict(queries.year_statistics(F).months)
    assert (months[3].person_sessions, months[11].person_sessions, months[1].person_sessions) == (
        1,
        1,
        0,
    )
    years = dict(queries.years_trend(F))
    assert (years[YEAR].person_sessions, years[YEAR - 1].person_sessions) == (2, 1)
    assert len(years) == 5


def test_interventions_listeners_captions_and_ai_voice() -> None:
    session = make_session()
    a, b = DelegateFactory.create_batch(2)
    fact(a, session)
    fact(a, session, kind=AttendanceRecord.Kind.FLOOR_GRANTED)
    fact(b, session, kind=AttendanceRecord.Kind.FLOOR_GRANTED, attendance="onsite")
    for language in ("fr", "fr", "ar"):
        fact(a, session, kind=AttendanceRecord.Kind.CHANNEL, channel="booth", language=language)
    fact(b, session, kind=AttendanceRecord.Kind.CHANNEL, channel="booth", language="fr")
    fact(b, session, kind=AttendanceRecord.Kind.CHANNEL, channel="captions", language="fr")
    fact(a, session, kind=AttendanceRecord.Kind.CHANNEL, channel="ai_voice", language="es")
    assert queries.interventions(F) == {"remote": 1, "onsite": 1}
    assert dict(queries.listeners_by_language(F)) == {"ar": 1, "fr": 2}
    assert queries.channel_users(F, queries.CAPTIONS_CHANNEL) == (1, 1)
    assert queries.channel_users(F, queries.AI_VOICE_CHANNEL) == (1, 1)


def test_webcast_viewers_are_distinct_keys() -> None:
    session = make_session()
    services.record_webcast_view(session, "browser-1", "en")
    services.record_webcast_view(session, "browser-1", "en")
    services.record_webcast_view(session, "browser-2", "fr")
    total, per_language = queries.webcast_viewers(Filters(year=timezone.now().year))
    assert total == 2
    assert dict(per_language) == {"en": 1, "fr": 1}


def test_registration_intent_is_separate_from_attendance() -> None:
    session = make_session()
    reg = RegistrationFactory.create(
        meeting=session.meeting, attendance="onsite", status=Registration.Status.APPROVED
    )
    RegistrationFactory.create(meeting=session.meeting, attendance="remote")  # pending
    fact(reg.user, session, attendance="remote")  # registered onsite, came remotely
    assert queries.registration_intent(F) == {"onsite": 1, "remote": 0}
    assert queries.totals(F).remote == 1


def test_empty_year_and_meetings_without_facts() -> None:
    session = make_session()
    SessionFactory.create(meeting=session.meeting)
    stats = queries.year_statistics(F)
    assert stats.empty
    assert stats.meetings == 1
    assert stats.meetings_without_facts == [session.meeting.code]
    assert stats.totals == Counts()
    assert all(c == Counts() for _m, c in stats.months)


def test_remote_only_person_meetings_count_travel_avoided() -> None:
    session = make_session()
    remote, both = DelegateFactory.create_batch(2)
    fact(remote, session)
    fact(both, session)
    fact(both, SessionFactory.create(meeting=session.meeting), attendance="onsite")
    assert queries.remote_person_meetings(F) == 1


def test_year_in_progress_is_flagged_in_figures_and_report() -> None:
    from django.utils import translation

    from plenary.stats import report

    this_year = timezone.now().year
    assert Filters(year=this_year).in_progress
    assert not F.in_progress
    with translation.override("en"):
        paragraphs = report.build_report(this_year).sections[0].paragraphs
    assert paragraphs[0].startswith(f"The year {this_year} is still in progress")


def test_one_pass_statistics_agree_with_the_single_queries() -> None:
    office = RegionalOfficeFactory.create()
    sessions = [make_session("T"), make_session("D", site=office), make_session("R")]
    people = [DelegateFactory.create(), UserFactory.create(), *DelegateFactory.create_batch(3)]
    for index, person in enumerate(people):
        for session in sessions[: 1 + index % 3]:
            fact(person, session, attendance="onsite" if index % 2 else "remote")
            fact(person, session, attendance="remote")
    stats = queries.year_statistics(F)
    assert stats.totals == queries.totals(F)
    for dimension, rows in stats.breakdowns.items():
        assert rows == queries.breakdown(F, dimension), dimension
    assert dict(stats.months)[3] == queries.totals(F)
