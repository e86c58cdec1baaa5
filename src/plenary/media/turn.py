"""ICE servers for browsers, with time-limited TURN credentials.

The TURN REST API convention (coturn ``use-auth-secret``): the username is
``<expiry unix time>:<user>``, the password ``base64(HMAC-SHA1(secret,
username))``. The browser never sees the shared secret, and a leaked
credential stops working at expiry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any

from django.conf import settings


def turn_credentials(user_key: str, now: float | None = None) -> tuple[str, str]:
    expiry = int((now if now is not None else time.time()) + settings.TURN_TTL_SECONDS)
    username = f"{expiry}:{user_key}"
    digest = hmac.new(settings.TURN_SECRET.encode(), username.encode(), hashlib.sha1).digest()
    return username, base64.b64encode(digest).decode()


def ice_servers(user_key: str) -> list[dict[str, Any]]:
    """The ``iceServers`` for an ``RTCPeerConnection`` (empty without TURN configured)."""
    if not settings.TURN_URLS or not settings.TURN_SECRET:
        return []
    username, credential = turn_credentials(user_key)
    return [{"urls": list(settings.TURN_URLS), "username": username, "credential": credential}]
