"""Service availability from health samples and recorded incidents."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from plenary.core import health
from plenary.core.health import ComponentHealth
from plenary.stats import queries, report
from plenary.stats.health import sample_now, start_sampler
from plenary.stats.models import HealthSample, Incident
from plenary.stats.tests.conftest import YEAR

pytestmark = pytest.mark.django_db
REMOTE = "remote_participation"
CAPTIONS = "captions"
END_OF_YEAR = dt.datetime(YEAR + 1, 1, 1, tzinfo=dt.UTC)


def at(month: int, day: int = 1, hour: int = 0, year: int = YEAR) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=dt.UTC)


def sample(when: dt.datetime, **components: bool) -> None:
    HealthSample.objects.bulk_create(
        HealthSample(at=when, component=name, ok=ok) for name, ok in components.items()
    )


def all_ok(when: dt.datetime) -> None:
    sample(when, database=True, channel_layer=True, janus=True, speech=True)


def by_service(now: dt.datetime = END_OF_YEAR) -> dict[str, queries.Availability]:
    return {a.service: a for a in queries.availability(YEAR, now=now)}


def test_sampling_records_every_checked_component_at_one_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(health._checks, "probe", lambda: ComponentHealth(ok=False))
    expected = set(health.run_checks()["components"])

    samples = sample_now()

    assert {s.component for s in samples} == expected
    assert {"database", "channel_layer", "probe"} <= expected
    rows = HealthSample.objects.all()
    assert {(s.component, s.ok) for s in rows} >= {("database", True), ("probe", False)}
    assert len({s.at for s in rows}) == 1


def test_management_command_samples_once() -> None:
    out = StringIO()
    call_command("health_sample", stdout=out)
    assert HealthSample.objects.filter(component="database", ok=True).count() == 1
    assert "components sampled" in out.getvalue()


def test_three_of_four_ok_sampling_times_is_75_percent() -> None:
    all_ok(at(3))
    all_ok(at(4))
    all_ok(at(5))
    sample(at(6), database=True, channel_layer=True, janus=False, speech=True)

    figures = by_service()

    assert figures[REMOTE].availability == pytest.approx(0.75)
    assert figures[REMOTE].samples == 4
    assert figures[REMOTE].measured
    # Captions do not need Janus: all four times were ok for them.
    assert figures[CAPTIONS].availability == pytest.approx(1.0)


def test_a_sample_inside_a_recorded_incident_counts_as_down() -> None:
    for month in (3, 4, 5, 6):
        all_ok(at(month))
    Incident.objects.create(
        service=REMOTE, started_at=at(4), ended_at=at(4, hour=2), description="no audio"
    )

    figure = by_service()[REMOTE]

    assert figure.availability == pytest.approx(0.75)
    assert (figure.incidents, figure.downtime_hours) == (1, 2.0)
    assert by_service()[CAPTIONS].availability == pytest.approx(1.0)


def test_without_samples_availability_comes_from_incidents_only() -> None:
    now = at(1, 11)  # 10 days into the year
    Incident.objects.create(
        service=REMOTE, started_at=at(1, 2), ended_at=at(1, 3), description="outage"
    )

    figure = by_service(now)[REMOTE]

    assert not figure.measured
    assert figure.downtime_hours == 24.0
    assert figure.availability == pytest.approx(0.9)


def test_samples_and_incidents_of_other_years_do_not_count() -> None:
    sample(at(12, 31, 23, year=YEAR - 1), database=False)
    sample(at(1, 1, 0, year=YEAR + 1), database=False)
    all_ok(at(1, 1, 0))
    Incident.objects.create(
        service=REMOTE,
        started_at=at(12, 31, 22, year=YEAR - 1),
        ended_at=at(1, 1, 1),
        description="new year outage",
    )

    figure = by_service()[REMOTE]

    assert figure.samples == 1
    assert figure.downtime_hours == 1.0  # only the part inside the year
    assert figure.availability == 0.0  # the one sample lies inside the incident


def test_report_says_where_each_figure_comes_from() -> None:
    sample(at(3), database=True, channel_layer=True, janus=True, speech=False)
    with translation.override("en"):
        table = report.technical_section(queries.Filters(year=YEAR)).tables[0]
    rows = {row[0]: row for row in table.rows}
    assert table.headers[-1] == "Source"
    sources = {row[-1] for row in rows.values()}
    assert sources == {"Health checks (1 sample) and recorded incidents"}
    assert {row[3] for row in rows.values()} == {"100.00 %", "0.00 %"}


def test_report_without_samples_names_incidents_as_the_source() -> None:
    with translation.override("en"):
        table = report.technical_section(queries.Filters(year=YEAR)).tables[0]
    assert {row[-1] for row in table.rows} == {"Recorded incidents"}


def test_an_incident_while_nothing_sampled_still_lowers_availability() -> None:
    now = at(1, 11)  # 10 days into the year
    all_ok(at(1, 5))
    all_ok(at(1, 6))
    Incident.objects.create(
        service=REMOTE, started_at=at(1, 2), ended_at=at(1, 3), description="server stopped"
    )

    figure = by_service(now)[REMOTE]

    assert figure.samples == 2
    assert figure.availability == pytest.approx(0.9)


def test_no_sampler_thread_when_sampling_is_off(settings: object) -> None:
    settings.HEALTH_SAMPLE_SECONDS = 0  # type: ignore[attr-defined]
    assert start_sampler() is None
