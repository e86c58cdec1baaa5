"""Error pages in the visitor's language; the favicon every page asks for."""

from collections.abc import Iterator

import pytest
from django.contrib.staticfiles import finders
from django.template import loader
from django.test import Client
from django.urls import reverse
from django.utils import translation

from plenary.accounts.tests.factories import DelegateFactory
from plenary.meetings.tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_active_language() -> Iterator[None]:
    """LocaleMiddleware activates the cookie's language and leaves it active."""
    with translation.override(translation.get_language()):
        yield


def test_a_missing_page_shows_the_translated_404(client: Client) -> None:
    client.cookies["django_language"] = "fr"
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert "Aucune page ne se trouve à cette adresse" in page
    assert f'href="{reverse("meetings:home")}"' in page


def test_a_refused_page_shows_the_translated_403(client: Client) -> None:
    client.force_login(DelegateFactory.create())
    client.cookies["django_language"] = "fr"
    meeting = MeetingFactory.create()
    response = client.get(reverse("meetings:manage", args=[meeting.code]))
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert "Accès refusé" in page


def test_the_500_page_renders_without_a_request_or_context() -> None:
    with translation.override("ar"):
        page = loader.get_template("500.html").render()
    assert '<html lang="ar" dir="rtl">' in page
    assert "حدث خطأ من جانبنا" in page


def test_every_page_names_a_local_favicon(client: Client) -> None:
    page = client.get(reverse("meetings:home")).content.decode()
    assert '<link rel="icon" href="/static/plenary/favicon.svg"' in page
    assert finders.find("plenary/favicon.svg")
