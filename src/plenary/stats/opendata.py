"""Open data: aggregate figures for the UN and other agencies (dataset version 1).

No personal data: only counts, keyed by codes (sector, region, language...).
Cells describing fewer than ``SUPPRESSION_THRESHOLD`` persons are suppressed
(``null`` with ``"suppressed": true``) so that nobody can be singled out in a
small breakdown; totals are exact. See ``docs/open-data.md``.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.core.cache import cache
from django.db.models import Max, Min

from plenary.live.models import AttendanceRecord
from plenary.stats import queries

DATASET = "plenary.stats.open"
VERSION = 1
SUPPRESSION_THRESHOLD = 5
# Gender is left out of open data: with small delegations it identifies people.
OPEN_BREAKDOWNS = ("sector", "site", "meeting_type", "category", "region", "development_status")
COUNT_FIELDS = (
    "persons",
    "remote_persons",
    "person_sessions",
    "onsite_person_sessions",
    "remote_person_sessions",
)


def years() -> list[int]:
    """The years that have attendance facts."""
    bounds = AttendanceRecord.objects.aggregate(first=Min("at"), last=Max("at"))
    if bounds["first"] is None:
        return []
    return list(range(bounds["first"].year, bounds["last"].year + 1))


def _counts(counts: queries.Counts, suppress: bool) -> dict[str, Any]:
    values = [
        counts.persons,
        counts.remote_persons,
        counts.person_sessions,
        counts.onsite,
        counts.remote,
    ]
    hidden = suppress and counts.persons < SUPPRESSION_THRESHOLD
    result: dict[str, Any] = {
        name: None if hidden else value for name, value in zip(COUNT_FIELDS, values, strict=True)
    }
    result["suppressed"] = hidden
    return result


def _small(value: int) -> int | None:
    return None if 0 < value < SUPPRESSION_THRESHOLD else value


def build(year: int) -> dict[str, Any]:
    """The open-data document for ``year`` (cached: past years barely change)."""
    key = f"stats:open:{VERSION}:{year}"
    cached = cache.get(key)
    if cached is not None:
        return dict(cached)
    stats = queries.year_statistics(queries.Filters(year=year), OPEN_BREAKDOWNS)
    document: dict[str, Any] = {
        "dataset": DATASET,
        "version": VERSION,
        "year": year,
        "in_progress": stats.in_progress,
        "generated_at": stats.generated_at.isoformat(),
        "suppression_threshold": SUPPRESSION_THRESHOLD,
        "meetings": stats.meetings,
        "meetings_without_attendance": len(stats.meetings_without_facts),
        "totals": _counts(stats.totals, suppress=False),
        "breakdowns": {
            dimension: [{"key": row.key, **_counts(row.counts, suppress=True)} for row in rows]
            for dimension, rows in stats.breakdowns.items()
        },
        "months": [
            {"month": month, **_counts(counts, suppress=True)} for month, counts in stats.months
        ],
        "interventions": stats.interventions,
        "listeners_by_language": [
            {"language": code, "person_sessions": _small(n)} for code, n in stats.listeners
        ],
        "captions": {
            "persons": _small(stats.captions[0]),
            "person_sessions": _small(stats.captions[1]),
        },
        "ai_voice": {
            "persons": _small(stats.ai_voice[0]),
            "person_sessions": _small(stats.ai_voice[1]),
        },
        "webcast_viewers": stats.webcast[0],
        "registration_intent": stats.intent,
        "training_completions": [
            {"module": module, "persons": _small(n)} for module, n in stats.training
        ],
    }
    cache.set(key, document, 300 if stats.in_progress else 3600)
    return document


def to_csv(document: dict[str, Any]) -> str:
    """The document flattened to rows: year, table, key, metric, value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["dataset", "version", "year", "table", "key", "metric", "value"])
    year = document["year"]

    def emit(table: str, key: object, values: dict[str, Any]) -> None:
        for metric, value in values.items():
            if metric not in {"key", "month", "language", "module"}:
                writer.writerow(
                    [DATASET, VERSION, year, table, key, metric, "" if value is None else value]
                )

    emit("totals", "", document["totals"])
    emit(
        "meetings",
        "",
        {
            "meetings": document["meetings"],
            "without_attendance": document["meetings_without_attendance"],
        },
    )
    for dimension, rows in document["breakdowns"].items():
        for row in rows:
            emit(dimension, row["key"], row)
    for row in document["months"]:
        emit("month", row["month"], row)
    emit("interventions", "", document["interventions"])
    for row in document["listeners_by_language"]:
        emit("listeners_by_language", row["language"], row)
    emit("captions", "", document["captions"])
    emit("ai_voice", "", document["ai_voice"])
    emit("webcast", "", {"viewers": document["webcast_viewers"]})
    emit("registration_intent", "", document["registration_intent"])
    for row in document["training_completions"]:
        emit("training_completions", row["module"], row)
    return out.getvalue()
