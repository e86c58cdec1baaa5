"""The secretariat asks for the annual report; the page follows the background job."""

from __future__ import annotations

from typing import Any

import pytest

from plenary.accounts.tests.factories import DelegateFactory
from plenary.accounts.tests.helpers import staff_with_device, verified_session_cookie
from plenary.stats.tests.conftest import YEAR, make_session
from plenary.stats.tests.factories import fact

pytestmark = pytest.mark.e2e


@pytest.mark.usefixtures("task_worker")
def test_report_request_shows_progress_then_the_downloads(
    live_url: str, page: Any, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    fact(DelegateFactory.create(), make_session("D"))
    page.context.add_cookies([verified_session_cookie(staff_with_device(), live_url)])
    page.goto(f"{live_url}/statistics/reports/")
    page.get_by_label("Year").select_option(str(YEAR))
    page.get_by_label("Report language").select_option("fr")
    page.get_by_role("button", name="Generate the report").click()
    download_pdf = page.get_by_role("link", name="Download PDF")
    download_pdf.wait_for(timeout=60_000)
    with page.expect_download() as download:
        download_pdf.click()
    assert download.value.suggested_filename == f"council-report-{YEAR}-fr.pdf"
