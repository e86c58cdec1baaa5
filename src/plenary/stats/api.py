"""Statistics API (``/api/v1/stats/``): the versioned open data, public, aggregates only.

``/open/v1/years`` lists the years with facts; ``/open/v1/{year}`` is the
JSON document (dataset ``plenary.stats.open``, version 1); ``/open/v1/{year}/csv`` the
same figures flattened to CSV. See ``docs/open-data.md``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from plenary.stats import opendata, services

router = Router(tags=["stats"])


class CountsOut(Schema):
    persons: int | None
    remote_persons: int | None
    person_sessions: int | None
    onsite_person_sessions: int | None
    remote_person_sessions: int | None
    suppressed: bool


class BreakdownRowOut(CountsOut):
    key: str


class MonthOut(CountsOut):
    month: int


class LanguageOut(Schema):
    language: str
    person_sessions: int | None


class UseOut(Schema):
    persons: int | None
    person_sessions: int | None


class TrainingOut(Schema):
    module: str
    persons: int | None


class OpenDataOut(Schema):
    dataset: str
    version: int
    year: int
    in_progress: bool
    generated_at: str
    suppression_threshold: int
    meetings: int
    meetings_without_attendance: int
    totals: CountsOut
    breakdowns: dict[str, list[BreakdownRowOut]]
    months: list[MonthOut]
    interventions: dict[str, int]
    listeners_by_language: list[LanguageOut]
    captions: UseOut
    ai_voice: UseOut
    webcast_viewers: int
    registration_intent: dict[str, int]
    training_completions: list[TrainingOut]


class YearsOut(Schema):
    dataset: str
    version: int
    years: list[int]


@router.get("/open/v1/years", response=YearsOut, auth=None)
def open_years(request: HttpRequest) -> dict[str, Any]:
    """Years that have attendance facts."""
    return {"dataset": opendata.DATASET, "version": opendata.VERSION, "years": opendata.years()}


@router.get("/open/v1/{year}", response=OpenDataOut, auth=None)
def open_year(request: HttpRequest, year: int) -> dict[str, Any]:
    """Aggregate figures of one calendar year (UTC); small cells are suppressed."""
    services.check_year(year)
    return opendata.build(year)


@router.get("/open/v1/{year}/csv", auth=None)
def open_year_csv(request: HttpRequest, year: int) -> HttpResponse:
    """The same figures as CSV (dataset, version, year, table, key, metric, value)."""
    services.check_year(year)
    response = HttpResponse(
        opendata.to_csv(opendata.build(year)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="plenary-open-data-{year}.csv"'
    return response
