"""Meeting pages in other languages: local date formats, separators, bidi isolation."""

import datetime as dt
from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from plenary.meetings.tests.factories import MARCH_2027, MeetingFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_active_language() -> Iterator[None]:
    """LocaleMiddleware activates the cookie's language and leaves it active."""
    with translation.override(translation.get_language()):
        yield


def page(client: Client, language: str, code: str) -> str:
    client.cookies["django_language"] = language
    response = client.get(reverse("meetings:detail", args=[code]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "date"),
    [("zh-hans", "2027年3月1日"), ("ru", "1 марта 2027"), ("fr", "1 mars 2027")],
)
def test_dates_use_the_language_s_own_format(client: Client, language: str, date: str) -> None:
    meeting = MeetingFactory.create(start_date=dt.date(2027, 3, 1), end_date=dt.date(2027, 3, 5))
    assert date in page(client, language, meeting.code)


@pytest.mark.parametrize(("language", "separator"), [("ar", "، "), ("zh-hans", "、")])
def test_the_list_of_languages_uses_the_language_s_separator(
    client: Client, language: str, separator: str
) -> None:
    meeting = MeetingFactory.create(languages=["en", "fr"])
    assert separator in page(client, language, meeting.code).split("<dd>")[-1]


def test_a_title_in_another_language_is_marked_as_such(client: Client) -> None:
    meeting = MeetingFactory.create(titles={"en": "Study Group 17"}, descriptions={"en": "About"})
    html = page(client, "ar", meeting.code)
    assert '<h1 lang="en" dir="auto">Study Group 17</h1>' in html
    assert '<p lang="en" dir="auto">About</p>' in html


def test_arabic_session_times_read_in_arabic_order(client: Client) -> None:
    session = SessionFactory.create(meeting=MeetingFactory.create(**MARCH_2027))
    html = page(client, "ar", session.meeting.code)
    assert "1 مارس، 2027، 9:30 ص" in html
