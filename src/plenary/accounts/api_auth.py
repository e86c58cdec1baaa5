"""How API callers authenticate: a personal access token, the session, or (for
what anyone may read) no one in particular."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from plenary.accounts import tokens

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


class TokenAuth(HttpBearer):
    """A personal access token: ``read`` for safe methods, ``write`` for the others.

    A request that names a token is decided by it alone (an unusable token is
    401 even with a session cookie), and acts as the token's owner.
    """

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        scope = tokens.Scope.READ if request.method in SAFE_METHODS else tokens.Scope.WRITE
        user = tokens.check_token(token, scope)  # raises a Refusal, answered below
        request.user = user
        return user


def anyone(request: HttpRequest) -> bool:
    """The last resort of ``READERS``: an anonymous caller (``request.user`` stays
    anonymous; the services decide what they may read)."""
    return True


# For endpoints anyone may call: a token or a session is still honoured when given.
READERS = [TokenAuth(), SessionAuth(), anyone]
