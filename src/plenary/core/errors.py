"""The one error type that services raise when they refuse an action.

A ``Refusal`` carries a translatable message for the person who asked and a
stable machine code for API clients. Services raise it *before* writing, or
inside ``transaction.atomic()`` so that nothing already stored changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.functional import Promise


class Refusal(Exception):
    """A business rule refused the action; ``message`` is shown to the user.

    ``status`` is the HTTP status that pages and the API answer with."""

    status = 400

    def __init__(self, message: str | Promise, code: str = "refused", field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class PermissionRefusal(Refusal):
    """The user may not do this (HTTP 403)."""

    status = 403

    def __init__(self, message: str | Promise, code: str = "forbidden"):
        super().__init__(message, code)


class NotFoundRefusal(Refusal):
    """The object does not exist or is not visible to this user (HTTP 404)."""

    status = 404

    def __init__(self, message: str | Promise, code: str = "not_found"):
        super().__init__(message, code)


class RateLimited(Refusal):
    """One person asked too often; others are not held up (HTTP 429)."""

    status = 429

    def __init__(self, message: str | Promise, code: str = "rate_limited"):
        super().__init__(message, code)


@contextmanager
def refusals_as_http() -> Iterator[None]:
    """In a view: a permission refusal becomes Django's 403, a visibility refusal its 404.

    The one mapping for pages (the API's is its exception handler in
    ``config.api``); other refusals pass through for the view to show.
    """
    try:
        yield
    except PermissionRefusal as refusal:
        raise PermissionDenied(str(refusal)) from refusal
    except NotFoundRefusal as refusal:
        raise Http404(str(refusal)) from refusal
