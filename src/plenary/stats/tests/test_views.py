"""Staff dashboards, downloads, report pages and the public page."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client

from plenary.accounts.tests.factories import DelegateFactory, OrganiserFactory, StaffFactory
from plenary.accounts.tests.helpers import sign_in_verified
from plenary.stats.models import ReportJob
from plenary.stats.tests.conftest import YEAR, make_session
from plenary.stats.tests.factories import fact

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client: Client) -> Client:
    sign_in_verified(client, StaffFactory.create())
    fact(DelegateFactory.create(), make_session("D"))
    return client


def test_dashboard_shows_charts_with_tables_and_text(staff_client: Client) -> None:
    html = staff_client.get(f"/statistics/?year={YEAR}&sector=D").content.decode()
    assert 'role="img"' in html and "<desc" in html and "<table>" in html
    assert "ITU-D (Development)" in html
    assert "Counting rules" in html


def test_dashboard_of_an_empty_year_says_so(staff_client: Client) -> None:
    html = staff_client.get(f"/statistics/?year={YEAR - 4}").content.decode()
    assert f"No meetings recorded in {YEAR - 4}." in html


def test_downloads(staff_client: Client) -> None:
    from openpyxl import load_workbook

    csv_text = staff_client.get(f"/statistics/export.csv?year={YEAR}").content.decode()
    assert "sector,D,ITU-D (Development),1,1,1,0,1" in csv_text
    xlsx = staff_client.get(f"/statistics/export.xlsx?year={YEAR}")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    assert "sector" in workbook.sheetnames


@pytest.mark.parametrize("factory", [DelegateFactory, OrganiserFactory])
def test_dashboard_is_for_the_secretariat(client: Client, factory: Any) -> None:
    user = factory.create()
    if user.needs_two_factor:
        sign_in_verified(client, user)
    else:
        client.force_login(user)
    assert client.get("/statistics/").status_code == 403


def test_anonymous_is_sent_to_sign_in(client: Client) -> None:
    assert client.get("/statistics/")["Location"].startswith("/accounts/login/")


def test_report_page_requests_one_job_and_polls(staff_client: Client) -> None:
    first = staff_client.post("/statistics/reports/", {"year": YEAR, "language": "fr"})
    second = staff_client.post("/statistics/reports/", {"year": YEAR, "language": "fr"})
    assert first["Location"] == second["Location"]
    job = ReportJob.objects.get()
    fragment = staff_client.get(first["Location"], headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and 'role="status"' in fragment
    assert staff_client.get(f"/statistics/reports/{job.pk}/file.pdf").status_code == 404


def test_public_page_needs_no_sign_in(client: Client) -> None:
    fact(DelegateFactory.create(), make_session("D"))
    html = client.get(f"/statistics/public/{YEAR}/").content.decode()
    assert f"/api/v1/stats/open/v1/{YEAR}" in html
    assert client.get("/statistics/public/1800/").status_code == 404


@pytest.mark.parametrize("model", ["reportinputs", "servicecost", "incident", "reportjob"])
def test_report_inputs_are_recorded_in_the_admin(client: Client, model: str) -> None:
    sign_in_verified(client, StaffFactory.create(is_superuser=True))
    assert client.get(f"/admin/stats/{model}/").status_code == 200
    assert client.get(f"/admin/stats/{model}/add/").status_code == (
        403 if model == "reportjob" else 200
    )
