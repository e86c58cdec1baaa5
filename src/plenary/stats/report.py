"""The annual report to Council: one content structure, rendered as DOCX and PDF.

``build_report`` computes every figure once (in the active language) into
sections of paragraphs, tables and charts; ``render_docx`` and
``render_pdf`` only lay them out, so both formats always say the same.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from plenary.core import docx
from plenary.core.languages import is_rtl
from plenary.stats import labels, queries
from plenary.stats.charts import Chart
from plenary.stats.models import ReportInputs


@dataclass
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]
    chart: Chart | None = None


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


@dataclass
class Report:
    year: int
    language: str
    title: str
    subtitle: str
    sections: list[Section]


def percent(share: float) -> str:
    return f"{share * 100:.1f} %"


def counts_table(caption: str, dimension: str, rows: list[queries.Row]) -> Table:
    """A breakdown as a table, charted by remote person-sessions."""
    headers = [
        labels.dimension_title(dimension),
        _("Persons"),
        _("Remote participants"),
        _("Person-sessions"),
        _("Onsite"),
        _("Remote"),
        _("Remote share"),
    ]
    body = [
        [
            labels.label(dimension, row.key),
            str(row.counts.persons),
            str(row.counts.remote_persons),
            str(row.counts.person_sessions),
            str(row.counts.onsite),
            str(row.counts.remote),
            percent(row.counts.remote_share),
        ]
        for row in rows
    ]
    chart = Chart(
        _("Remote person-sessions by %(dimension)s")
        % {"dimension": labels.dimension_title(dimension).lower()},
        [(labels.label(dimension, row.key), row.counts.remote) for row in rows],
    )
    return Table(caption, headers, body, chart)


def activity_section(stats: queries.YearStatistics) -> Section:
    t = stats.totals
    section = Section(_("Activity and trends"))
    if stats.in_progress:
        section.paragraphs.append(
            _("The year %(year)d is still in progress: figures up to %(date)s.")
            % {"year": stats.filters.year, "date": timezone.localdate().isoformat()}
        )
    if not stats.meetings:  # the count the report gives below: the two never disagree
        section.paragraphs.append(
            _("No meetings recorded in %(year)d.") % {"year": stats.filters.year}
        )
    section.paragraphs.append(
        _(
            "%(meetings)d meetings; %(persons)d persons took part in %(sessions)d person-sessions, "
            "%(remote)d of them remotely (%(share)s). %(remote_persons)d persons took part "
            "remotely at least once."
        )
        % {
            "meetings": stats.meetings,
            "persons": t.persons,
            "sessions": t.person_sessions,
            "remote": t.remote,
            "share": percent(t.remote_share),
            "remote_persons": t.remote_persons,
        }
    )
    if stats.meetings_without_facts:
        section.paragraphs.append(
            _("Meetings with no attendance recorded: %(codes)s.")
            % {"codes": ", ".join(stats.meetings_without_facts)}
        )
    for dimension in ("sector", "region", "development_status", "site", "meeting_type"):
        if dimension in stats.breakdowns:
            section.tables.append(
                counts_table(
                    _("Participation by %(dimension)s")
                    % {"dimension": labels.dimension_title(dimension).lower()},
                    dimension,
                    stats.breakdowns[dimension],
                )
            )
    year_rows = [
        [str(year), str(c.persons), str(c.person_sessions), str(c.remote), percent(c.remote_share)]
        for year, c in stats.years
    ]
    section.tables.append(
        Table(
            _("Year over year"),
            [_("Year"), _("Persons"), _("Person-sessions"), _("Remote"), _("Remote share")],
            year_rows,
            Chart(
                _("Remote person-sessions per year"), [(str(y), c.remote) for y, c in stats.years]
            ),
        )
    )
    month_rows = [
        [labels.label("month", str(m)), str(c.person_sessions), str(c.remote)]
        for m, c in stats.months
    ]
    section.tables.append(
        Table(
            _("Month by month"),
            [_("Month"), _("Person-sessions"), _("Remote")],
            month_rows,
            Chart(_("Remote person-sessions per month"), [(r[0], float(r[2])) for r in month_rows]),
        )
    )
    section.tables.append(
        Table(
            _("Use of services"),
            [_("Figure"), _("Value")],
            [
                [_("Floor given to remote participants"), str(stats.interventions["remote"])],
                [_("Floor given to participants in the room"), str(stats.interventions["onsite"])],
                [_("Persons who used captions"), str(stats.captions[0])],
                [_("Persons who used the AI voice"), str(stats.ai_voice[0])],
                [_("Webcast viewers"), str(stats.webcast[0])],
                [_("Registered to attend in the room"), str(stats.intent["onsite"])],
                [_("Registered to attend remotely"), str(stats.intent["remote"])],
            ],
        )
    )
    section.tables.append(
        Table(
            _("Listeners per language channel"),
            [_("Language"), _("Person-sessions")],
            [[labels.label("language", code), str(n)] for code, n in stats.listeners],
            Chart(
                _("Listeners per language channel"),
                [(labels.label("language", c), n) for c, n in stats.listeners],
            ),
        )
    )
    section.tables.append(
        Table(
            _("Training completed"),
            [_("Module"), _("Persons")],
            [[labels.label("module", module), str(n)] for module, n in stats.training],
        )
    )
    return section


def _availability_source(figure: queries.Availability) -> str:
    if not figure.measured:
        return _("Recorded incidents")
    return ngettext(
        "Health checks (%(samples)d sample) and recorded incidents",
        "Health checks (%(samples)d samples) and recorded incidents",
        figure.samples,
    ) % {"samples": figure.samples}


def technical_section(filters: queries.Filters) -> Section:
    section = Section(_("Technical matters"))
    section.tables.append(
        Table(
            _("Service availability"),
            [_("Service"), _("Incidents"), _("Incident hours"), _("Availability"), _("Source")],
            [
                [
                    labels.label("service", a.service),
                    str(a.incidents),
                    f"{a.downtime_hours:g}",
                    f"{a.availability * 100:.2f} %",
                    _availability_source(a),
                ]
                for a in queries.availability(filters.year)
            ],
        )
    )
    provisioned = queries.provisioned(filters)
    section.paragraphs.append(
        _(
            "%(total)d self-service e-meeting services were provisioned, %(regional)d of them "
            "by regional and area offices."
        )
        % {"total": provisioned.total, "regional": provisioned.by_regional_offices}
    )
    section.tables.append(
        Table(
            _("Services provisioned"),
            [_("Service"), _("Provisioned")],
            [[labels.label("service", s), str(n)] for s, n in provisioned.per_service],
        )
    )
    return section


def financial_section(filters: queries.Filters) -> Section:
    costs = queries.costs(filters)
    section = Section(_("Financial matters"))
    section.tables.append(
        Table(
            _("Cost of services (%(currency)s)") % {"currency": costs.currency},
            [_("Service"), _("Meeting-hours"), _("Cost per meeting-hour"), _("Cost")],
            [
                [labels.label("service", s), f"{h:g}", str(rate), str(cost)]
                for s, h, rate, cost in costs.per_service
            ],
        )
    )
    section.paragraphs.append(
        _(
            "Travel avoided: %(trips)d participations in meetings were remote only; at "
            "%(per_person)s %(currency)s each, %(total)s %(currency)s."
        )
        % {
            "trips": costs.travel_avoided_trips,
            "per_person": costs.travel_cost_per_person,
            "currency": costs.currency,
            "total": costs.travel_avoided,
        }
    )
    return section


def procedural_section(filters: queries.Filters) -> Section:
    section = Section(_("Procedural and legal matters"))
    section.tables.append(
        Table(
            _("Rights granted to remote participants, by meeting type (sessions)"),
            [_("Meeting type"), _("Right"), _("Sessions")],
            [
                [labels.label("meeting_type", mt), labels.label("right", right), str(n)]
                for mt, right, n in queries.rights_by_meeting_type(filters)
            ],
        )
    )
    inputs = ReportInputs.objects.filter(year=filters.year).first()
    section.paragraphs.append(
        (inputs.procedural_notes if inputs and inputs.procedural_notes else "")
        or _("No procedural notes recorded.")
    )
    section.paragraphs.append(
        (inputs.legal_notes if inputs and inputs.legal_notes else "")
        or _("No legal notes recorded.")
    )
    return section


def build_report(year: int, progress: Callable[[int, str], None] = lambda _p, _s: None) -> Report:
    """Compute the report's content in the active language."""
    filters = queries.Filters(year=year)
    progress(5, gettext_noop("Counting attendance"))
    stats = queries.year_statistics(filters)
    progress(35, gettext_noop("Technical and financial figures"))
    sections = [
        activity_section(stats),
        technical_section(filters),
        financial_section(filters),
        procedural_section(filters),
    ]
    return Report(
        year=year,
        language=translation.get_language() or "en",
        title=_("Report to Council on remote participation, %(year)d") % {"year": year},
        subtitle=_("Prepared by the secretariat on %(date)s from the attendance records.")
        % {"date": timezone.localdate().isoformat()},
        sections=sections,
    )


def render_html(report: Report) -> str:
    return render_to_string(
        "stats/report.html",
        {"report": report, "rtl": is_rtl(report.language), "lang": report.language},
    )


def render_pdf(report: Report) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=render_html(report)).write_pdf())


def render_docx(report: Report) -> bytes:
    from docx.shared import Cm

    document = docx.new(report.language, report.title)
    document.add_heading(report.title, level=0)
    document.add_paragraph(report.subtitle)
    for section in report.sections:
        document.add_heading(section.title, level=1)
        for paragraph in section.paragraphs:
            document.add_paragraph(paragraph)
        for table in section.tables:
            document.add_heading(table.caption, level=2)
            if table.chart is not None and table.chart.pairs:
                document.add_picture(io.BytesIO(table.chart.png()), width=Cm(15))
                document.add_paragraph(table.chart.description)
            if not table.rows:
                document.add_paragraph(_("No data."))
                continue
            grid = document.add_table(rows=1, cols=len(table.headers))
            grid.style = "Table Grid"
            for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
                cell.text = header
            for row in table.rows:
                for cell, value in zip(grid.add_row().cells, row, strict=True):
                    cell.text = value
    return docx.save(document, report.language)
