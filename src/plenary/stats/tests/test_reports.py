"""Report jobs and the generated DOCX and PDF."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from plenary.accounts.tests.factories import DelegateFactory
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.core.tasks import queued, run_queued
from plenary.guidance.tests.factories import verified_staff
from plenary.stats import report, services
from plenary.stats.models import ReportInputs, ReportJob, ServiceCost
from plenary.stats.tests.conftest import YEAR, make_session
from plenary.stats.tests.factories import fact


@pytest.fixture
def facts_2025() -> None:
    session = make_session("D")
    for person in DelegateFactory.create_batch(7):
        fact(person, session)
    fact(DelegateFactory.create(), session, attendance="onsite")
    ReportInputs.objects.create(
        year=YEAR, travel_cost_per_person=Decimal(1500), legal_notes="Rule 12 applied."
    )
    ServiceCost.objects.create(year=YEAR, service="captions", cost_per_hour=Decimal(80))


def _docx_text(data: bytes) -> str:
    from docx import Document

    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.django_db
@pytest.mark.usefixtures("facts_2025")
def test_report_contains_the_figures_in_docx_and_pdf(tmp_path: object) -> None:
    with translation.override("en"):
        content = report.build_report(YEAR)
        docx_text = _docx_text(report.render_docx(content))
        html = report.render_html(content)
        pdf = report.render_pdf(content)
    summary = "8 persons took part in 8 person-sessions, 7 of them remotely (87.5 %)"
    assert summary in docx_text
    assert summary in html
    assert "10500.00" in docx_text  # 7 remote-only participations x 1500 travel avoided
    assert "Rule 12 applied." in docx_text
    assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-64:]
    pdftotext = shutil.which("pdftotext")
    if pdftotext:  # poppler-utils, where installed; the HTML above feeds the PDF
        text = subprocess.run(  # noqa: S603 - fixed arguments
            [pdftotext, "-", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        assert "87.5 %" in text


@pytest.mark.django_db
@pytest.mark.usefixtures("facts_2025")
def test_report_in_french_and_arabic() -> None:
    for language in ("fr", "ar"):
        with translation.override(language):
            content = report.build_report(YEAR)
            assert content.language == language
            docx_text = _docx_text(report.render_docx(content))
            assert "87.5 %" in docx_text
    # The PDF in the right-to-left language (French went through the same path above).
    assert 'dir="rtl"' in report.render_html(content)
    with translation.override("ar"):
        assert report.render_pdf(content).startswith(b"%PDF-")


@pytest.mark.django_db
def test_empty_year_report_says_no_meetings() -> None:
    with translation.override("en"):
        content = report.build_report(YEAR - 3)
    assert any("No meetings recorded" in p for p in content.sections[0].paragraphs)


@pytest.mark.django_db
def test_a_year_whose_meetings_have_no_attendance_yet_is_not_said_to_have_none() -> None:
    make_session("T", day=dt.date(YEAR - 1, 3, 2))
    with translation.override("en"):
        content = report.build_report(YEAR - 1)
    paragraphs = content.sections[0].paragraphs
    assert not any("No meetings recorded" in p for p in paragraphs)
    assert any("Meetings with no attendance recorded" in p for p in paragraphs)


@pytest.mark.django_db
def test_report_requested_twice_gives_the_same_job() -> None:
    staff = verified_staff()
    first = services.do_request_report(staff, YEAR, "fr")
    second = services.do_request_report(staff, YEAR, "fr")
    other = services.do_request_report(staff, YEAR, "ar")
    assert first.pk == second.pk != other.pk
    assert ReportJob.objects.count() == 2


@pytest.mark.django_db
def test_report_request_refusals() -> None:
    with pytest.raises(PermissionRefusal):
        services.do_request_report(DelegateFactory.create(), YEAR, "fr")
    staff = verified_staff()
    with pytest.raises(Refusal):
        services.do_request_report(staff, 1999, "fr")
    with pytest.raises(Refusal):
        services.do_request_report(staff, YEAR, "de")
    assert not ReportJob.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("facts_2025")
def test_running_a_job_stores_both_files(settings: object, tmp_path: object) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    job = services.do_request_report(verified_staff(), YEAR, "fr")
    services.run_report_job.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.progress) == (ReportJob.Status.DONE, 100)
    with job.pdf.open("rb") as pdf, job.docx.open("rb") as docx:
        assert pdf.read(5) == b"%PDF-"
        assert "87.5 %" in _docx_text(docx.read())


@pytest.mark.django_db
def test_a_requested_report_is_queued_and_the_worker_makes_it(
    settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    job = services.do_request_report(verified_staff(), YEAR, "en")
    assert queued(services.run_report_job) == [[job.pk]]
    job.refresh_from_db()
    assert job.status == ReportJob.Status.QUEUED  # nothing ran in the request
    run_queued()  # as the worker does
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error


@pytest.mark.django_db
def test_database_allows_one_active_job_per_year_and_language() -> None:
    ReportJob.objects.create(year=YEAR, language="fr", status=ReportJob.Status.DONE)
    ReportJob.objects.create(year=YEAR, language="fr")
    with pytest.raises(IntegrityError), transaction.atomic():
        ReportJob.objects.create(year=YEAR, language="fr", status=ReportJob.Status.RUNNING)
