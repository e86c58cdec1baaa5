from __future__ import annotations

from django.test import RequestFactory

from plenary.core.redirects import safe_next


def test_a_next_address_on_this_site_is_followed() -> None:
    request = RequestFactory().post("/x", {"next": "/meetings/approvals/?page=2"})
    assert safe_next(request, "/") == "/meetings/approvals/?page=2"


def test_the_query_string_is_read_when_the_form_has_no_next() -> None:
    request = RequestFactory().get("/x", {"next": "/profile/"})
    assert safe_next(request, "/") == "/profile/"


def test_another_site_falls_back_to_the_default() -> None:
    for target in ("https://evil.example/", "//evil.example/", "javascript:alert(1)"):
        request = RequestFactory().post("/x", {"next": target})
        assert safe_next(request, "/home/") == "/home/"


def test_a_plain_http_address_is_refused_on_a_secure_request() -> None:
    request = RequestFactory().post("/x", {"next": "http://testserver/profile/"}, secure=True)
    assert safe_next(request, "/") == "/"
