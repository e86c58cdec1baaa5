"""The report form starts in the reader's language; a report's progress reads in the
page's language whatever the report's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from plenary.accounts.tests.factories import StaffFactory
from plenary.accounts.tests.helpers import sign_in_verified
from plenary.stats import report
from plenary.stats.models import ReportJob
from plenary.stats.tests.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    sign_in_verified(client, StaffFactory.create())
    return client


def test_the_report_language_defaults_to_the_reader_language(staff_client: Client) -> None:
    staff_client.cookies["django_language"] = "fr"
    page = staff_client.get("/statistics/reports/").content.decode()
    assert '<option value="fr" selected>' in page
    assert '<option value="ar" selected>' not in page


def test_the_progress_step_is_stored_untranslated() -> None:
    steps: list[str] = []
    with translation.override("ru"):
        report.build_report(YEAR, lambda _percent, step: steps.append(step))
    assert steps == ["Counting attendance", "Technical and financial figures"]


def test_a_russian_report_shows_its_progress_in_the_page_language(staff_client: Client) -> None:
    job = ReportJob.objects.create(
        year=YEAR,
        language="ru",
        status=ReportJob.Status.RUNNING,
        progress=35,
        step="Technical and financial figures",
    )
    staff_client.cookies["django_language"] = "fr"
    page = staff_client.get(f"/statistics/reports/{job.pk}/").content.decode()
    with translation.override("fr"):
        expected = translation.gettext("Technical and financial figures")
    assert expected != "Technical and financial figures"
    assert expected in page
