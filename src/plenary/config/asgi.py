"""ASGI entry point: Django for HTTP, Channels for WebSockets.

A public live webcast's files are answered ahead of Django
(``plenary.recordings.live_http``).

A WebSocket handshake is authenticated one of two ways:

- by the Django session cookie (browsers): the Origin must be one of
  ``ALLOWED_HOSTS``, since a browser sends the cookie to any page's socket;
- by a personal access token, ``Authorization: Bearer <token>`` with the
  ``live`` scope (scripts): no Origin check, since no browser page can set
  that header on a WebSocket.
"""

from __future__ import annotations

import gc
import json
import os
from typing import Any

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plenary.config.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.db import database_sync_to_async  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.utils import translation  # noqa: E402

from plenary.accounts import tokens  # noqa: E402
from plenary.config.routing import websocket_urlpatterns  # noqa: E402
from plenary.core.errors import Refusal  # noqa: E402
from plenary.core.websocket import scope_language  # noqa: E402
from plenary.recordings.live_http import LiveFiles  # noqa: E402

# Close codes of a refused token (HTTP's 401 and 403, in the 4000 range).
CLOSE_TOKEN_INVALID = 4401
CLOSE_TOKEN_SCOPE = 4403


def bearer_token(scope: dict[str, Any]) -> str | None:
    """The token of an ``Authorization: Bearer ...`` header, or None without one."""
    for name, value in scope.get("headers", []):
        if name.lower() == b"authorization":
            kind, _, token = value.decode("latin-1").partition(" ")
            if kind.lower() == "bearer":
                return token.strip()
    return None


class TokenAuthMiddleware:
    """Send token handshakes to ``token_app`` as the token's owner, the others to ``cookie_app``.

    A refused token is answered on the socket itself, so that a script sees
    why: the handshake is accepted, one ``error`` event (translated, as on
    the session socket) is sent, and the socket is closed with 4401 (unusable
    token) or 4403 (no ``live`` scope).
    """

    def __init__(self, token_app: Any, cookie_app: Any) -> None:
        self.token_app = token_app
        self.cookie_app = cookie_app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        raw = bearer_token(scope) if scope["type"] == "websocket" else None
        if raw is None:
            return await self.cookie_app(scope, receive, send)
        try:
            # The refusal's message is translated where it is made, in the worker thread.
            with translation.override(scope_language(scope)):
                user = await database_sync_to_async(tokens.check_token)(raw, tokens.Scope.LIVE)
        except Refusal as refusal:
            return await self._refuse(scope, receive, send, refusal)
        return await self.token_app({**scope, "user": user, "access_token": True}, receive, send)

    async def _refuse(
        self, scope: dict[str, Any], receive: Any, send: Any, refusal: Refusal
    ) -> None:
        if (await receive())["type"] != "websocket.connect":
            return
        code = (
            CLOSE_TOKEN_INVALID if isinstance(refusal, tokens.TokenRefusal) else CLOSE_TOKEN_SCOPE
        )
        text = str(refusal.message)
        event = {"v": 1, "type": "error", "code": refusal.code, "message": text, "ref": None}
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": json.dumps(event)})
        await send({"type": "websocket.close", "code": code})


# What is loaded by now (Django, the apps and their modules) lives as long as the process.
# Frozen, it is left out of the garbage collector's full passes, which would otherwise walk
# it again and again while requests come and go (a 50-100 ms pause now and then).
gc.collect()
gc.freeze()

application = ProtocolTypeRouter(
    {
        "http": LiveFiles(django_asgi_app),  # a public live webcast's files, ahead of Django
        "websocket": TokenAuthMiddleware(
            token_app=URLRouter(websocket_urlpatterns),
            cookie_app=AllowedHostsOriginValidator(
                AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
            ),
        ),
    }
)
