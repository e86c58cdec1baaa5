"""Statistics as queries over the append-only facts (``plenary.live.AttendanceRecord``).

Counting rules (also in ``docs/guide-statistics.md``):

- A **person-session** is one person present (at least one ``join``) in one
  session, however many times they joined, on however many devices.
- **Onsite wins**: a person-session with any onsite join is onsite; it is
  remote only if every join was remote. So onsite + remote = person-sessions.
- **Unique persons** are distinct people over the whole selection: a person
  in ten sessions, onsite in some and remote in others, counts once. A person
  is a **remote participant** if at least one of their person-sessions was
  remote. In a breakdown, a person appears in every row they attended in, so
  rows do not add up to the total of unique persons (person-sessions do).
- Roles do not count: a chair who is also a delegate is one person.
- A year is the calendar year in UTC; a breakdown by an entity attribute
  uses the values copied into the fact at the time (empty: "unknown").

Every function takes a ``Filters`` and reads facts only; nothing is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat, ExtractMonth, ExtractYear
from django.utils import timezone

from plenary.guidance.models import TrainingCompletion
from plenary.live.models import AttendanceRecord
from plenary.meetings.models import AttendanceMode, Meeting, Registration, Session
from plenary.stats.models import HealthSample, Incident, ReportInputs, ServiceCost, WebcastView

JOIN = AttendanceRecord.Kind.JOIN
# Channel names the media and speech apps record with kind="channel" for
# caption viewing and the synthetic-voice channel; other channel switches
# with a language count as listening to that language.
CAPTIONS_CHANNEL = "captions"
AI_VOICE_CHANNEL = "ai_voice"


def _text(path: str) -> Coalesce:
    # A missing related row (no entity, no site) and an empty value are both "unknown".
    return Coalesce(F(path), Value(""), output_field=CharField())


# Breakdown dimensions -> the fact's field (or expression) they group by.
DIMENSIONS: dict[str, Any] = {
    "sector": _text("meeting__sector__code"),
    "site": _text("meeting__site__code"),
    "meeting_type": _text("meeting__meeting_type"),
    "category": _text("entity_category"),
    "region": _text("entity_region"),
    # Not copied into the fact: the entity's current status.
    "development_status": _text("entity__development_status"),
    "gender": _text("user__gender"),
    "month": ExtractMonth("at"),
}


@dataclass(frozen=True)
class Filters:
    """A year and optional restrictions (empty string: no restriction)."""

    year: int
    sector: str = ""
    site: str = ""
    meeting_type: str = ""
    region: str = ""
    category: str = ""

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.year, 1, 1, tzinfo=dt.UTC)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime(self.year + 1, 1, 1, tzinfo=dt.UTC)

    @property
    def in_progress(self) -> bool:
        return self.start <= timezone.now() < self.end

    def meeting_q(self, prefix: str = "") -> Q:
        """Restrictions on the meeting, for models that reach it through ``prefix``."""
        q = Q()
        if self.sector:
            q &= Q(**{f"{prefix}sector__code": self.sector})
        if self.site:
            q &= Q(**{f"{prefix}site__code": self.site})
        if self.meeting_type:
            q &= Q(**{f"{prefix}meeting_type": self.meeting_type})
        return q


@dataclass(frozen=True)
class Counts:
    persons: int = 0
    remote_persons: int = 0
    person_sessions: int = 0
    onsite: int = 0
    remote: int = 0

    @property
    def remote_share(self) -> float:
        return self.remote / self.person_sessions if self.person_sessions else 0.0


@dataclass(frozen=True)
class Row:
    key: str
    counts: Counts


def facts(filters: Filters, years: int = 1) -> QuerySet[AttendanceRecord]:
    """Facts of the ``years`` calendar years ending with ``filters.year``, filtered."""
    first = filters.start.replace(year=filters.year - years + 1)
    qs = AttendanceRecord.objects.filter(at__gte=first, at__lt=filters.end).filter(
        filters.meeting_q("meeting__")
    )
    if filters.region:
        qs = qs.filter(entity_region=filters.region)
    if filters.category:
        qs = qs.filter(entity_category=filters.category)
    return qs


def _person_sessions(qs: QuerySet[AttendanceRecord], dim: Any = None) -> QuerySet[Any]:
    """One row per (person, session): ``onsite`` (0/1) and the ``dim`` value of its first fact."""
    annotations: dict[str, Any] = {
        "onsite": Max(Case(When(attendance=AttendanceMode.ONSITE, then=1), default=0))
    }
    if dim is not None:
        annotations["dim"] = Min(dim)
    return qs.filter(kind=JOIN).values("user_id", "session_id").annotate(**annotations)


def _grouped(inner: QuerySet[Any], by_dim: bool) -> list[tuple[Any, ...]]:
    """Count person-sessions from ``_person_sessions`` rows, per ``dim`` or in total.

    The inner query is the ORM's; this outer GROUP BY over it is plain SQL
    that SQLite and PostgreSQL read alike (the ORM cannot group a subquery).
    """
    sql, params = inner.query.sql_with_params()
    dim = "ps.dim" if by_dim else "NULL"
    outer = (
        f"SELECT {dim}, COUNT(DISTINCT ps.user_id), "  # noqa: S608 - no user input in SQL
        "COUNT(DISTINCT CASE WHEN ps.onsite = 0 THEN ps.user_id END), "
        "COUNT(*), COALESCE(SUM(ps.onsite), 0) "
        f"FROM ({sql}) ps" + (" GROUP BY ps.dim" if by_dim else "")
    )
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        return list(cursor.fetchall())


def _counts(row: tuple[Any, ...]) -> Counts:
    persons, remote_persons, person_sessions, onsite = (int(v or 0) for v in row[1:5])
    return Counts(persons, remote_persons, person_sessions, onsite, person_sessions - onsite)


def totals(filters: Filters) -> Counts:
    rows = _grouped(_person_sessions(facts(filters)), by_dim=False)
    return _counts(rows[0]) if rows else Counts()


def breakdown(filters: Filters, dimension: str) -> list[Row]:
    """Counts per value of ``dimension`` (one of ``DIMENSIONS``), largest first."""
    rows = _grouped(_person_sessions(facts(filters), DIMENSIONS[dimension]), by_dim=True)
    result = [Row("" if r[0] is None else str(r[0]), _counts(r)) for r in rows]
    return sorted(result, key=lambda r: (-r.counts.person_sessions, r.key))


def years_trend(filters: Filters, years: int = 5) -> list[tuple[int, Counts]]:
    """Totals for ``years`` calendar years ending with ``filters.year`` (oldest first).

    One query: a person-session belongs to the year of its first join.
    """
    rows = _grouped(_person_sessions(facts(filters, years), ExtractYear("at")), by_dim=True)
    by_year = {int(row[0]): _counts(row) for row in rows}
    first = filters.year - years + 1
    return [(year, by_year.get(year, Counts())) for year in range(first, filters.year + 1)]


def _distinct_pairs() -> Count:
    pair = Concat(
        Cast("user_id", CharField()),
        Value(":"),
        Cast("session_id", CharField()),
        output_field=CharField(),
    )
    return Count(pair, distinct=True)


def interventions(filters: Filters) -> dict[str, int]:
    """Floors granted, by onsite or remote speaker."""
    granted = facts(filters).filter(kind=AttendanceRecord.Kind.FLOOR_GRANTED)
    result = dict.fromkeys(AttendanceMode.values, 0)
    for row in granted.values("attendance").annotate(n=Count("id")):
        result[row["attendance"]] = row["n"]
    return result


def listeners_by_language(filters: Filters) -> list[tuple[str, int]]:
    """Person-sessions that listened to each language channel (interpretation included)."""
    channel = facts(filters).filter(kind=AttendanceRecord.Kind.CHANNEL).exclude(language="")
    channel = channel.exclude(channel__in=[CAPTIONS_CHANNEL, AI_VOICE_CHANNEL])
    rows = channel.values("language").annotate(n=_distinct_pairs()).order_by("language")
    return [(row["language"], row["n"]) for row in rows]


def channel_users(filters: Filters, channel_name: str) -> tuple[int, int]:
    """(persons, person-sessions) that used the captions or the AI-voice channel."""
    used = facts(filters).filter(kind=AttendanceRecord.Kind.CHANNEL, channel=channel_name)
    result = used.aggregate(persons=Count("user_id", distinct=True), ps=_distinct_pairs())
    return result["persons"], result["ps"]


def webcast_viewers(filters: Filters) -> tuple[int, list[tuple[str, int]]]:
    """Distinct viewers in the year, and per language."""
    views = WebcastView.objects.filter(at__gte=filters.start, at__lt=filters.end).filter(
        filters.meeting_q("meeting__")
    )
    total = views.aggregate(n=Count("viewer", distinct=True))["n"]
    per_language = views.values("language").annotate(n=Count("viewer", distinct=True))
    return total, sorted((row["language"], row["n"]) for row in per_language)


def meetings_in_year(filters: Filters) -> QuerySet[Meeting]:
    return (
        Meeting.objects.exclude(status=Meeting.Status.CANCELLED)
        .filter(start_date__year=filters.year)
        .filter(filters.meeting_q())
    )


def meetings_without_facts(filters: Filters) -> tuple[int, list[str]]:
    """How many meetings of the year there were, and the codes of those with no attendance."""
    meetings = meetings_in_year(filters)
    with_facts = AttendanceRecord.objects.filter(meeting__in=meetings).values("meeting_id")
    empty = meetings.exclude(pk__in=with_facts).order_by("code").values_list("code", flat=True)
    return meetings.count(), list(empty)


def registration_intent(filters: Filters) -> dict[str, int]:
    """Approved registrations by intended attendance (not attendance)."""
    regs = Registration.objects.filter(
        meeting__in=meetings_in_year(filters), status=Registration.Status.APPROVED
    )
    result = dict.fromkeys(AttendanceMode.values, 0)
    for row in regs.values("attendance").annotate(n=Count("id")):
        result[row["attendance"]] = row["n"]
    return result


def training_completions(year: int) -> list[tuple[str, int]]:
    """Distinct persons who completed each training module in the year."""
    rows = (
        TrainingCompletion.objects.filter(completed_at__year=year)
        .values("module")
        .annotate(n=Count("user_id", distinct=True))
        .order_by("module")
    )
    return [(row["module"], row["n"]) for row in rows]


def rights_by_meeting_type(filters: Filters) -> list[tuple[str, str, int]]:
    """Sessions of the year per meeting type and right granted to remote participants."""
    rows = (
        Session.objects.filter(starts_at__gte=filters.start, starts_at__lt=filters.end)
        .filter(filters.meeting_q("meeting__"))
        .values("meeting__meeting_type", "remote_right")
        .annotate(n=Count("id"))
        .order_by("meeting__meeting_type", "remote_right")
    )
    return [(r["meeting__meeting_type"], r["remote_right"], r["n"]) for r in rows]


def meeting_hours(filters: Filters, meeting_ids: Iterable[int] | None = None) -> float:
    sessions = Session.objects.filter(
        starts_at__gte=filters.start, starts_at__lt=filters.end
    ).filter(filters.meeting_q("meeting__"))
    if meeting_ids is not None:
        sessions = sessions.filter(meeting_id__in=list(meeting_ids))
    duration = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())
    total = sessions.aggregate(d=Sum(duration))["d"]
    return round(total.total_seconds() / 3600, 1) if total else 0.0


def remote_person_meetings(filters: Filters) -> int:
    """(Person, meeting) pairs attended only remotely: trips that did not happen."""
    inner = (
        facts(filters)
        .filter(kind=JOIN)
        .values("user_id", "meeting_id")
        .annotate(onsite=Max(Case(When(attendance=AttendanceMode.ONSITE, then=1), default=0)))
    )
    return int(inner.filter(onsite=0).aggregate(n=Count("*"))["n"] or 0)


# Health-checked components (``plenary.core.health``) each service needs:
# a sample time counts as available for a service only if all were ok.
SERVICE_COMPONENTS: dict[str, tuple[str, ...]] = {
    ServiceCost.Service.REMOTE_PARTICIPATION: ("database", "channel_layer", "janus"),
    ServiceCost.Service.INTERPRETATION: ("database", "channel_layer", "janus"),
    ServiceCost.Service.CAPTIONS: ("database", "channel_layer", "speech"),
    ServiceCost.Service.WEBCAST: ("database", "janus"),
}


@dataclass(frozen=True)
class Availability:
    service: str
    downtime_hours: float  # covered by recorded incidents
    availability: float  # 0..1
    incidents: int
    samples: int = 0  # health-sample times measured; 0: ``availability`` is from incidents only

    @property
    def measured(self) -> bool:
        return self.samples > 0


def _sample_times(
    service: str, start: dt.datetime, end: dt.datetime
) -> list[tuple[dt.datetime, bool]]:
    """(time, all components of ``service`` ok) for each sampling time in [start, end)."""
    rows = (
        HealthSample.objects.filter(
            at__gte=start, at__lt=end, component__in=SERVICE_COMPONENTS[service]
        )
        .values("at")
        .annotate(down=Max(Case(When(ok=False, then=1), default=0)))
        .values_list("at", "down")
    )
    return [(at, not down) for at, down in rows.iterator(chunk_size=10_000)]


def availability(year: int, now: dt.datetime | None = None) -> list[Availability]:
    """Availability per service in the calendar year (UTC), up to ``now``.

    From incidents: 1 - the share of the elapsed year they cover. With health
    samples in the year, also measured: the share of sampling times at which
    every component the service needs was ok and no recorded incident of the
    service was going on; the figure is the lower of the two, as samples do
    not see every outage (nor the time nothing sampled) and incidents are not
    always recorded.
    """
    start = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    end = min(dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC), now or timezone.now())
    period = max((end - start).total_seconds(), 0.0)
    result = []
    for service in ServiceCost.Service.values:
        incidents = [
            (max(i.started_at, start), min(i.ended_at, end))
            for i in Incident.objects.filter(
                service=service, started_at__lt=end, ended_at__gt=start
            )
        ]
        down = sum((e - s).total_seconds() for s, e in incidents)
        share = max(1 - down / period, 0.0) if period else 1.0
        times = _sample_times(service, start, end)
        if times:
            up = sum(1 for at, ok in times if ok and not any(s <= at < e for s, e in incidents))
            share = min(share, up / len(times))
        result.append(
            Availability(service, round(down / 3600, 1), share, len(incidents), len(times))
        )
    return result


@dataclass(frozen=True)
class Costs:
    currency: str
    per_service: list[tuple[str, float, Decimal, Decimal]]  # service, hours, rate, cost
    travel_avoided_trips: int
    travel_cost_per_person: Decimal
    travel_avoided: Decimal


def costs(filters: Filters) -> Costs:
    """Cost of each service (meeting-hours x rate) and the travel cost avoided."""
    from plenary.provisioning.models import ServiceRequest

    inputs = ReportInputs.objects.filter(year=filters.year).first()
    rates = {c.service: c.cost_per_hour for c in ServiceCost.objects.filter(year=filters.year)}
    per_service = []
    for service in ServiceCost.Service.values:
        provisioned = ServiceRequest.objects.filter(
            service=service, status=ServiceRequest.Status.PROVISIONED
        ).values_list("meeting_id", flat=True)
        hours = meeting_hours(filters, provisioned)
        rate = rates.get(service, Decimal(0))
        per_service.append(
            (service, hours, rate, (Decimal(str(hours)) * rate).quantize(Decimal("0.01")))
        )
    trips = remote_person_meetings(filters)
    per_person = inputs.travel_cost_per_person if inputs else Decimal(0)
    return Costs(
        inputs.currency if inputs else "CHF",
        per_service,
        trips,
        per_person,
        (per_person * trips).quantize(Decimal("0.01")),
    )


@dataclass(frozen=True)
class Provisioned:
    total: int
    by_regional_offices: int
    per_service: list[tuple[str, int]]


def provisioned(filters: Filters) -> Provisioned:
    """Self-service e-meeting services provisioned in the year, incl. by regional offices."""
    from plenary.provisioning.models import ServiceRequest

    done = ServiceRequest.objects.filter(
        status=ServiceRequest.Status.PROVISIONED,
        decided_at__gte=filters.start,
        decided_at__lt=filters.end,
    ).filter(filters.meeting_q("meeting__"))
    regional = done.filter(requested_by__staff_site__kind__in=["regional", "area"]).count()
    per_service = done.values("service").annotate(n=Count("id")).order_by("service")
    return Provisioned(done.count(), regional, [(r["service"], r["n"]) for r in per_service])


@dataclass
class YearStatistics:
    """Everything the dashboard, the open data and the report show for one year."""

    filters: Filters
    totals: Counts
    meetings: int
    meetings_without_facts: list[str]
    breakdowns: dict[str, list[Row]]
    years: list[tuple[int, Counts]]
    months: list[tuple[int, Counts]]
    interventions: dict[str, int]
    listeners: list[tuple[str, int]]
    captions: tuple[int, int]
    ai_voice: tuple[int, int]
    webcast: tuple[int, list[tuple[str, int]]]
    intent: dict[str, int]
    training: list[tuple[str, int]]
    generated_at: dt.datetime = field(default_factory=timezone.now)

    @property
    def empty(self) -> bool:
        return self.totals.person_sessions == 0

    @property
    def in_progress(self) -> bool:
        return self.filters.in_progress


BREAKDOWNS = (
    "sector",
    "site",
    "meeting_type",
    "category",
    "region",
    "development_status",
    "gender",
)


class _Tally:
    """Counts of one breakdown row, built from person-session rows."""

    def __init__(self) -> None:
        self.persons: set[int] = set()
        self.remote_persons: set[int] = set()
        self.person_sessions = 0
        self.onsite = 0

    def add(self, user_id: int, onsite: bool) -> None:
        self.persons.add(user_id)
        self.person_sessions += 1
        if onsite:
            self.onsite += 1
        else:
            self.remote_persons.add(user_id)

    def counts(self) -> Counts:
        return Counts(
            len(self.persons),
            len(self.remote_persons),
            self.person_sessions,
            self.onsite,
            self.person_sessions - self.onsite,
        )


def _one_pass(filters: Filters, dimensions: tuple[str, ...]) -> tuple[Counts, dict[str, list[Row]]]:
    """Totals and every breakdown from one scan of the year's person-sessions.

    Same rules as ``totals`` and ``breakdown`` (the tests compare them), but
    one query instead of one per dimension: the report and the pages need all.
    """
    inner = _person_sessions(facts(filters)).annotate(
        **{f"d_{name}": Min(DIMENSIONS[name]) for name in dimensions}
    )
    total = _Tally()
    tallies: dict[str, dict[str, _Tally]] = {name: {} for name in dimensions}
    fields = ["user_id", "onsite", *(f"d_{name}" for name in dimensions)]
    for user_id, onsite, *keys in inner.values_list(*fields).iterator(chunk_size=10_000):
        total.add(user_id, bool(onsite))
        for name, key in zip(dimensions, keys, strict=True):
            label = "" if key is None else str(key)
            tallies[name].setdefault(label, _Tally()).add(user_id, bool(onsite))
    breakdowns = {
        name: sorted(
            (Row(key, tally.counts()) for key, tally in rows.items()),
            key=lambda r: (-r.counts.person_sessions, r.key),
        )
        for name, rows in tallies.items()
    }
    return total.counts(), breakdowns


def year_statistics(filters: Filters, dimensions: Iterable[str] = BREAKDOWNS) -> YearStatistics:
    meetings, empty = meetings_without_facts(filters)
    total, breakdowns = _one_pass(filters, (*dimensions, "month"))
    by_month = {int(row.key): row.counts for row in breakdowns.pop("month")}
    return YearStatistics(
        filters=filters,
        totals=total,
        meetings=meetings,
        meetings_without_facts=empty,
        breakdowns=breakdowns,
        years=years_trend(filters),
        months=[(month, by_month.get(month, Counts())) for month in range(1, 13)],
        interventions=interventions(filters),
        listeners=listeners_by_language(filters),
        captions=channel_users(filters, CAPTIONS_CHANNEL),
        ai_voice=channel_users(filters, AI_VOICE_CHANNEL),
        webcast=webcast_viewers(filters),
        intent=registration_intent(filters),
        training=training_completions(filters.year),
    )


def cached_year_statistics(filters: Filters) -> YearStatistics:
    """``year_statistics`` kept for a while: 5 minutes for the year in progress, else an hour.

    Pages and downloads use this; the annual report always recomputes.
    """
    key = "stats:year:" + hashlib.sha256(repr(filters).encode()).hexdigest()
    stats = cache.get(key)
    if stats is None:
        stats = year_statistics(filters)
        cache.set(key, stats, 300 if filters.in_progress else 3600)
    return stats
