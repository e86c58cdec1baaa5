"""Staff dashboards, downloads, the annual-report jobs and the public statistics page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from plenary.accounts.permissions import verified_staff_required
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.stats import exports, labels, opendata, queries, services
from plenary.stats.charts import Chart
from plenary.stats.forms import FilterForm, ReportRequestForm
from plenary.stats.models import ReportJob


def staff_only(view: Callable[..., Any]) -> Callable[..., Any]:
    """Verified staff (second factor) of the secretariat; other staff get a 403 page."""

    @verified_staff_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            services.check_staff(request.user)  # type: ignore[arg-type]
        except PermissionRefusal as refusal:
            return render(request, "stats/forbidden.html", {"message": refusal}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def _chart_table(dimension: str, rows: list[queries.Row]) -> dict[str, Any]:
    title = labels.dimension_title(dimension)
    return {
        "dimension": dimension,
        "title": title,
        "rows": [(labels.label(dimension, r.key), r.counts) for r in rows],
        "chart": Chart(
            _("Remote person-sessions by %(dimension)s") % {"dimension": title.lower()},
            [(labels.label(dimension, r.key), r.counts.remote) for r in rows],
        ),
    }


@staff_only
def dashboard(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or {"year": timezone.now().year - 1})
    filters = form.filters()
    stats = queries.cached_year_statistics(filters)
    context = {
        "form": form,
        "stats": stats,
        "query": request.GET.urlencode() or f"year={filters.year}",
        "tables": [_chart_table(d, rows) for d, rows in stats.breakdowns.items()],
        "years_chart": Chart(
            _("Remote person-sessions per year"), [(str(y), c.remote) for y, c in stats.years]
        ),
        "months": [(labels.label("month", str(m)), c) for m, c in stats.months],
        "months_chart": Chart(
            _("Remote person-sessions per month"),
            [(labels.label("month", str(m)), c.remote) for m, c in stats.months],
        ),
        "listeners": [(labels.label("language", code), n) for code, n in stats.listeners],
        "training": [(labels.label("module", module), n) for module, n in stats.training],
    }
    return render(request, "stats/dashboard.html", context)


@staff_only
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    filters = FilterForm(request.GET).filters()
    stats = queries.cached_year_statistics(filters)
    name = f"plenary-statistics-{filters.year}"
    if fmt == "csv":
        response = HttpResponse(exports.to_csv(stats), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(
        exports.to_xlsx(stats),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@staff_only
def reports(request: HttpRequest) -> HttpResponse:
    form = ReportRequestForm(
        request.POST or None,
        initial={"year": timezone.now().year - 1, "language": translation.get_language()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            job = services.do_request_report(
                request.user,  # type: ignore[arg-type]
                form.cleaned_data["year"],
                form.cleaned_data["language"],
            )
        except Refusal as refusal:
            form.add_error(None, str(refusal))
        else:
            return redirect("stats:report_job", job_id=job.pk)
    jobs = ReportJob.objects.order_by("-created_at")[:20]
    return render(request, "stats/reports.html", {"form": form, "jobs": jobs})


@staff_only
def report_job(request: HttpRequest, job_id: int | str) -> HttpResponse:
    job = services.get_job(request.user, int(job_id))  # type: ignore[arg-type]
    template = (
        "stats/_job_status.html" if request.headers.get("HX-Request") else "stats/report_job.html"
    )
    return render(request, template, {"job": job})


@staff_only
def report_file(request: HttpRequest, job_id: int | str, fmt: str) -> FileResponse:
    job = services.get_job(request.user, int(job_id))  # type: ignore[arg-type]
    file = job.docx if fmt == "docx" else job.pdf
    if job.status != ReportJob.Status.DONE or not file:
        raise Http404(_("This report is not ready."))
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=f"council-report-{job.year}-{job.language}.{fmt}",
    )


def public(request: HttpRequest, year: int | None = None) -> HttpResponse:
    """The public statistics page: the open-data figures of one year."""
    available = opendata.years()
    if year is None:
        finished = [y for y in available if y < timezone.now().year]
        year = (finished or available or [timezone.now().year])[-1]
    try:
        services.check_year(year)
    except Refusal as refusal:
        raise Http404(str(refusal)) from refusal
    document = opendata.build(year)
    tables = [
        {
            "dimension": dimension,
            "title": labels.dimension_title(dimension),
            "rows": [(labels.label(dimension, row["key"]), row) for row in rows],
        }
        for dimension, rows in document["breakdowns"].items()
    ]
    return render(
        request,
        "stats/public.html",
        {"year": year, "years": available, "doc": document, "tables": tables},
    )
