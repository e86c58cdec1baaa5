"""The one error type that services raise when they refuse an action.

A ``Refusal`` carries a translatable message for the person who asked and a
stable machine code for API clients. Services raise it *before* writing, or
inside ``transaction.atomic()`` so that nothing already stored changes.
"""

from __future__ import annotations

from django.utils.functional import Promise


class Refusal(Exception):
    """A business rule refused the action; ``message`` is shown to the user."""

    def __init__(self, message: str | Promise, code: str = "refused", field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.code = code
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


class PermissionRefusal(Refusal):
    """The user may not do this (HTTP 403)."""

    def __init__(self, message: str | Promise, code: str = "forbidden"):
        super().__init__(message, code)


class NotFoundRefusal(Refusal):
    """The object does not exist or is not visible to this user (HTTP 404)."""

    def __init__(self, message: str | Promise, code: str = "not_found"):
        super().__init__(message, code)
