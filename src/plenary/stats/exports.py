"""CSV and XLSX downloads of the staff dashboard's tables."""

from __future__ import annotations

import csv
import io
from typing import Any

from plenary.stats import labels, queries

HEADERS = [
    "table",
    "key",
    "label",
    "persons",
    "remote_persons",
    "person_sessions",
    "onsite",
    "remote",
]


def rows(stats: queries.YearStatistics) -> list[list[object]]:
    """Every breakdown plus the totals and months, one row per cell group."""
    result: list[list[object]] = []

    def add(table: str, key: str, label: str, c: queries.Counts) -> None:
        result.append(
            [table, key, label, c.persons, c.remote_persons, c.person_sessions, c.onsite, c.remote]
        )

    add("totals", "", "", stats.totals)
    for dimension, breakdown in stats.breakdowns.items():
        for row in breakdown:
            add(dimension, row.key, labels.label(dimension, row.key), row.counts)
    for month, counts in stats.months:
        add("month", str(month), labels.label("month", str(month)), counts)
    for year, counts in stats.years:
        add("year", str(year), str(year), counts)
    return result


def to_csv(stats: queries.YearStatistics) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADERS)
    writer.writerows(rows(stats))
    return out.getvalue()


def to_xlsx(stats: queries.YearStatistics) -> bytes:
    """One sheet per table."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    sheets: dict[str, Any] = {}
    for row in rows(stats):
        table = str(row[0])
        sheet = sheets.get(table)
        if sheet is None:
            sheet = workbook.create_sheet(title=table[:31])
            sheet.append(HEADERS[1:])
            sheets[table] = sheet
        sheet.append(row[1:])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
