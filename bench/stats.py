"""./scripts/bench stats: the yearly Sector table and the annual report over 5 years of facts.

Builds, in an empty database (SQLite in a fresh PLENARY_DATA_DIR, or
PostgreSQL if DATABASE_URL names an empty database): 1,000 meetings with
4 sessions each over 5 years, 50,000 persons, 2 million attendance facts,
all bulk-inserted. Then times, for the last full year:

- ``sector_table``: the de-duplicated Sector breakdown (goal <= 2 s);
  baseline: a plain COUNT(*) of that year's facts (the cheapest scan).
- ``annual_report``: the whole report (figures, DOCX and PDF; goal <= 60 s).

Options: --facts N --persons N --meetings N for smaller runs; --reuse to time
again on the facts of an earlier run (same PLENARY_DATA_DIR or DATABASE_URL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plenary.config.settings")

import django

django.setup()

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import translation  # noqa: E402

from plenary.accounts.models import DevelopmentStatus, Entity, Region, User  # noqa: E402
from plenary.live.models import AttendanceRecord  # noqa: E402
from plenary.meetings.models import Meeting, Sector, Session, Site  # noqa: E402
from plenary.stats import queries, report  # noqa: E402

FIRST_YEAR = 2021
YEARS = 5
BENCH = "stats"


def emit(metric: str, value: float, unit: str, baseline: float | None = None) -> None:
    print(
        json.dumps(
            {
                "bench": BENCH,
                "metric": metric,
                "value": round(value, 3),
                "unit": unit,
                "baseline": None if baseline is None else round(baseline, 3),
                "database": connection.vendor,
            }
        ),
        flush=True,
    )


def populate(n_meetings: int, n_persons: int, n_facts: int, rng: random.Random) -> None:
    sites = [
        Site.objects.create(
            code=f"site-{i}",
            name=f"Site {i}",
            kind=Site.Kind.HEADQUARTERS if i == 0 else Site.Kind.REGIONAL_OFFICE,
            city="City",
            country="CH",
            time_zone="Europe/Zurich",
        )
        for i in range(6)
    ]
    entities = Entity.objects.bulk_create(
        Entity(
            name=f"Entity {i}",
            code=f"E{i}",
            category=rng.choice(Entity.Category.values),
            country="",
            region=rng.choice(Region.values),
            development_status=rng.choice(DevelopmentStatus.values),
        )
        for i in range(300)
    )
    organiser = User.objects.create(username="organiser", staff_role=User.StaffRole.ORGANISER)
    unusable = make_password(None)  # people who never sign in
    users: list[User] = []
    for start in range(0, n_persons, 10_000):
        users += User.objects.bulk_create(
            User(
                username=f"p{i}",
                password=unusable,
                entity=rng.choice(entities) if rng.random() > 0.05 else None,
                gender=rng.choice(User.Gender.values),
            )
            for i in range(start, min(start + 10_000, n_persons))
        )
    sectors = list(Sector.objects.all())
    meetings = []
    for i in range(n_meetings):
        day = dt.date(FIRST_YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365 * YEARS))
        meetings.append(
            Meeting(
                code=f"M-{i}",
                titles={"en": f"Meeting {i}"},
                sector=rng.choice(sectors),
                meeting_type=rng.choice(Meeting.Type.values),
                site=rng.choice(sites) if rng.random() > 0.2 else None,
                start_date=day,
                end_date=day + dt.timedelta(days=2),
                organiser=organiser,
                status=Meeting.Status.PUBLISHED,
            )
        )
    meetings = Meeting.objects.bulk_create(meetings)
    sessions = Session.objects.bulk_create(
        Session(
            meeting=m,
            title=f"Session {k}",
            starts_at=dt.datetime.combine(m.start_date, dt.time(8 + 2 * k), dt.UTC),
            ends_at=dt.datetime.combine(m.start_date, dt.time(9 + 2 * k), dt.UTC),
        )
        for m in meetings
        for k in range(4)
    )
    kinds = ["join"] * 6 + ["leave"] * 2 + ["channel", "floor_granted"]
    languages = ["ar", "zh-hans", "en", "fr", "ru", "es"]
    batch = 20_000
    for start in range(0, n_facts, batch):
        rows = []
        for _ in range(min(batch, n_facts - start)):
            session = rng.choice(sessions)
            user = rng.choice(users)
            entity = user.entity
            kind = rng.choice(kinds)
            rows.append(
                AttendanceRecord(
                    user_id=user.pk,
                    session_id=session.pk,
                    meeting_id=session.meeting_id,
                    kind=kind,
                    attendance="remote" if rng.random() < 0.4 else "onsite",
                    device_class="desktop",
                    channel="booth" if kind == "channel" else "",
                    language=rng.choice(languages) if kind == "channel" else "",
                    entity_id=entity.pk if entity else None,
                    entity_country="",
                    entity_region=entity.region if entity else "",
                    entity_category=entity.category if entity else "",
                    at=session.starts_at + dt.timedelta(minutes=rng.randrange(60)),
                )
            )
        AttendanceRecord.objects.bulk_create(rows, batch_size=5_000)


def timed(function: object) -> float:
    started = time.perf_counter()
    function()  # type: ignore[operator]
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--facts", type=int, default=2_000_000)
    parser.add_argument("--persons", type=int, default=50_000)
    parser.add_argument("--meetings", type=int, default=1_000)
    parser.add_argument(
        "--reuse", action="store_true", help="time the queries on facts a previous run inserted"
    )
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    if AttendanceRecord.objects.exists() and not args.reuse:
        sys.exit("bench/stats.py needs an empty database (or --reuse)")
    rng = random.Random(167)
    logging.getLogger("weasyprint").setLevel(logging.WARNING)

    def build() -> None:
        with transaction.atomic():
            populate(args.meetings, args.persons, args.facts, rng)

    if not AttendanceRecord.objects.exists():
        emit("populate", timed(build), "s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    year = FIRST_YEAR + YEARS - 1
    filters = queries.Filters(year=year)
    baseline = timed(lambda: queries.facts(filters).count())
    emit("sector_table", timed(lambda: queries.breakdown(filters, "sector")), "s", baseline)

    def annual_report() -> None:
        with translation.override("en"):
            content = report.build_report(year)
            report.render_docx(content)
            report.render_pdf(content)

    emit("annual_report", timed(annual_report), "s")


if __name__ == "__main__":
    main()
