"""The open-data API: schema, suppression of small cells, no personal data."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.test import Client

from plenary.accounts.models import User
from plenary.accounts.tests.factories import DelegateFactory
from plenary.stats import opendata
from plenary.stats.tests.conftest import YEAR, make_session
from plenary.stats.tests.factories import fact

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> list[User]:
    t_session, r_session = make_session("T"), make_session("R")
    crowd = DelegateFactory.create_batch(6)
    for person in crowd:
        fact(person, t_session)
    fact(crowd[0], r_session, attendance="onsite")  # a cell of one person
    return crowd


def test_json_schema_and_figures(client: Client, people: list[User]) -> None:
    body = client.get(f"/api/v1/stats/open/v1/{YEAR}").json()
    assert (body["dataset"], body["version"], body["year"]) == ("plenary.stats.open", 1, YEAR)
    assert body["totals"] == {
        "persons": 6,
        "remote_persons": 6,
        "person_sessions": 7,
        "onsite_person_sessions": 1,
        "remote_person_sessions": 6,
        "suppressed": False,
    }
    sectors = {row["key"]: row for row in body["breakdowns"]["sector"]}
    assert sectors["T"]["persons"] == 6
    assert sectors["R"] == {
        "key": "R",
        "persons": None,
        "remote_persons": None,
        "person_sessions": None,
        "onsite_person_sessions": None,
        "remote_person_sessions": None,
        "suppressed": True,
    }
    assert "gender" not in body["breakdowns"]
    assert client.get("/api/v1/stats/open/v1/years").json()["years"] == [YEAR]


def test_no_personal_data_in_json_or_csv(client: Client, people: list[User]) -> None:
    json_text = client.get(f"/api/v1/stats/open/v1/{YEAR}").content.decode()
    csv_text = client.get(f"/api/v1/stats/open/v1/{YEAR}/csv").content.decode()
    for person in people:
        for value in (person.username, person.email, person.first_name, person.last_name):
            assert value not in json_text
            assert value not in csv_text
        assert f'"user_id": {person.pk}' not in json_text
    assert "user" not in json_text.lower()
    assert "user" not in csv_text.lower()


def test_csv_has_one_row_per_figure(client: Client, people: list[User]) -> None:
    response = client.get(f"/api/v1/stats/open/v1/{YEAR}/csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    totals = {r["metric"]: r["value"] for r in rows if r["table"] == "totals"}
    assert totals["person_sessions"] == "7"
    suppressed = [r for r in rows if r["table"] == "sector" and r["key"] == "R"]
    assert {r["metric"]: r["value"] for r in suppressed}["persons"] == ""


@pytest.mark.parametrize("year", [1999, 2999])
def test_year_out_of_range_is_a_clear_400(client: Client, year: int) -> None:
    response = client.get(f"/api/v1/stats/open/v1/{year}")
    assert response.status_code == 400
    assert "Choose a year" in response.json()["message"]


def test_empty_year_is_zeros_not_an_error() -> None:
    document = opendata.build(YEAR - 5)
    assert document["totals"]["persons"] == 0
    assert document["meetings"] == 0
    assert opendata.years() == []


def _cards(html: str) -> dict[str, str]:
    """The public page's figure cards: heading -> figure."""
    found = re.findall(r'<li class="card"><h2>([^<]+)</h2><p>([^<]*)</p>', html)
    return dict(found)


def test_public_page_meetings_card_and_message_agree_without_attendance(client: Client) -> None:
    make_session("T")  # a meeting of the year, nobody recorded yet

    html = client.get(f"/statistics/public/{YEAR}/").content.decode()

    assert _cards(html)["Meetings"] == "1"
    assert "Meetings with no attendance recorded yet: 1 of 1." in html
    assert "No meetings recorded" not in html


def test_public_page_says_no_meetings_only_when_the_card_says_zero(client: Client) -> None:
    html = client.get(f"/statistics/public/{YEAR}/").content.decode()

    assert _cards(html)["Meetings"] == "0"
    assert f"No meetings recorded in {YEAR}." in html


def test_public_page_with_attendance_in_every_meeting_has_no_message(
    client: Client, people: list[User]
) -> None:
    html = client.get(f"/statistics/public/{YEAR}/").content.decode()

    assert _cards(html)["Meetings"] == "2"
    assert _cards(html)["Persons"] == "6"
    assert "No meetings recorded" not in html
    assert "no attendance recorded" not in html
