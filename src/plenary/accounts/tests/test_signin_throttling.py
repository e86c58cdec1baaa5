"""Sign-in throttling (django-axes): per account, per address; the address is the connection's."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings

from plenary.accounts.tests.factories import DEFAULT_PASSWORD, DelegateFactory
from plenary.core.tests.live import serving
from plenary.core.websocket import server_proxy_options

LOGIN = "/accounts/login/"
LIMIT = settings.AXES_FAILURE_LIMIT  # per account
ADDRESS_LIMIT = settings.SIGNIN_ADDRESS_FAILURE_LIMIT  # per address


def sign_in(client: Client, username: str, password: str, **headers: Any) -> tuple[int, str]:
    response = client.post(LOGIN, {"username": username, "password": password}, **headers)
    return response.status_code, response.content.decode()


@pytest.mark.django_db
def test_wrong_passwords_for_one_account_lock_it_even_from_other_addresses() -> None:
    user = DelegateFactory.create()
    for n in range(LIMIT):
        # Changing the address and the case of the username buys no more guesses.
        sign_in(Client(REMOTE_ADDR=f"198.51.100.{n}"), user.username.upper(), "guess")
    client = Client(REMOTE_ADDR="203.0.113.7")
    status, _ = sign_in(client, user.username, DEFAULT_PASSWORD)
    assert status == 429
    assert SESSION_KEY not in client.session


@pytest.mark.django_db
def test_spraying_many_usernames_from_one_address_is_limited() -> None:
    user = DelegateFactory.create()
    for n in range(ADDRESS_LIMIT):
        sign_in(Client(), f"someone{n}", "Spring2026!")
    client = Client()  # the same address, 127.0.0.1
    status, page = sign_in(client, user.username, DEFAULT_PASSWORD)
    assert status == 429
    assert "Too many failed sign-ins." in page
    assert SESSION_KEY not in client.session
    assert sign_in(Client(REMOTE_ADDR="203.0.113.7"), user.username, DEFAULT_PASSWORD)[0] == 302


@pytest.mark.django_db
def test_an_x_forwarded_for_header_is_not_the_address_that_counts() -> None:
    for n in range(ADDRESS_LIMIT):
        sign_in(Client(), f"someone{n}", "guess", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
    user = DelegateFactory.create()
    status, _ = sign_in(Client(), user.username, DEFAULT_PASSWORD, HTTP_X_FORWARDED_FOR="192.0.2.1")
    assert status == 429


@pytest.mark.django_db
def test_people_sharing_a_venue_address_are_not_paused_by_a_few_typos() -> None:
    for n in range(ADDRESS_LIMIT - 1):
        sign_in(Client(), f"delegate{n}", "typo")
    user = DelegateFactory.create()
    assert sign_in(Client(), user.username, DEFAULT_PASSWORD)[0] == 302


@pytest.mark.django_db
def test_a_sprayer_cannot_reset_the_address_count_by_signing_in_to_their_own_account() -> None:
    own, victim = DelegateFactory.create(), DelegateFactory.create()
    for n in range(ADDRESS_LIMIT - 1):
        sign_in(Client(), f"someone{n}", "Spring2026!")
    assert sign_in(Client(), own.username, DEFAULT_PASSWORD)[0] == 302
    sign_in(Client(), "someone-else", "Spring2026!")
    assert sign_in(Client(), victim.username, DEFAULT_PASSWORD)[0] == 429


@pytest.mark.django_db
def test_signing_in_forgets_ones_own_typos() -> None:
    user = DelegateFactory.create()
    for _ in range(LIMIT - 1):
        sign_in(Client(), user.username, "typo")
    assert sign_in(Client(), user.username, DEFAULT_PASSWORD)[0] == 302
    for _ in range(LIMIT - 1):
        sign_in(Client(), user.username, "typo")
    assert sign_in(Client(), user.username, DEFAULT_PASSWORD)[0] == 302


@pytest.mark.django_db
def test_a_locked_out_person_gets_a_clear_page_in_their_language() -> None:
    for _ in range(LIMIT):
        sign_in(Client(), "someone", "guess")
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    status, page = sign_in(client, "someone", "guess")
    assert status == 429
    assert "Trop de tentatives de connexion infructueuses." in page
    assert 'href="/accounts/password-reset/"' in page


class Browser:
    """A client of a real server: cookies, the CSRF token of the sign-in form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()),
            NoRedirect(),
        )

    def sign_in(self, username: str, password: str, forwarded_for: str) -> int:
        with self.opener.open(self.base + LOGIN) as page:
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())
        assert token is not None
        data = urllib.parse.urlencode(
            {"username": username, "password": password, "csrfmiddlewaretoken": token.group(1)}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 (a loopback test server)
            self.base + LOGIN, data=data, headers={"X-Forwarded-For": forwarded_for}
        )
        try:
            with self.opener.open(request) as response:
                return int(response.status)
        except urllib.error.HTTPError as error:
            return error.code


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


@pytest.mark.django_db(transaction=True)
def test_rotating_x_forwarded_for_does_not_escape_the_lockout_on_the_server() -> None:
    """The server ``plenary serve`` runs, without trusted proxies (the default)."""
    user = DelegateFactory.create()
    with serving(**server_proxy_options()) as base:
        browser = Browser(base)
        for n in range(ADDRESS_LIMIT):
            browser.sign_in(f"someone{n}", "guess", forwarded_for=f"198.51.100.{n}")
        assert browser.sign_in(user.username, DEFAULT_PASSWORD, "192.0.2.1") == 429


@pytest.mark.django_db(transaction=True)
def test_behind_a_trusted_proxy_each_forwarded_client_counts_on_its_own() -> None:
    user = DelegateFactory.create()
    with (
        override_settings(TRUSTED_PROXIES=["127.0.0.1"]),
        serving(**server_proxy_options()) as base,
    ):
        browser = Browser(base)
        for n in range(ADDRESS_LIMIT):
            browser.sign_in(f"someone{n}", "guess", forwarded_for="198.51.100.1")
        assert browser.sign_in(user.username, DEFAULT_PASSWORD, "198.51.100.1") == 429
        assert Browser(base).sign_in(user.username, DEFAULT_PASSWORD, "192.0.2.1") == 302
