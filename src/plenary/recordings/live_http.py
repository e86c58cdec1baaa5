"""The live webcast's files to any number of listeners, ahead of Django.

A listener of a live webcast asks for a playlist and a segment about every
second. Through Django each request crosses its middleware chain (about
6 ms of one core under ASGI: ``./scripts/bench recordings``, origin part),
and one core would carry some eighty listeners without a CDN (thirty signed
in). These files need no page language and no form protection: this ASGI
layer answers them itself where the listener may hear the recording (the
same ``queries.watchable``, from the browser's session cookie, decided once
for two seconds per browser), the name is one of the live folder's, no
byte range is asked and the file exists (a channel's playlist with its
discontinuity sequence, ``live.served``), with the security headers Django's
middleware would add and the cache rules of ``serving`` (``private`` unless
the webcast is public). Everything else goes on to Django, whose view gives
the same answers, refusals in the listener's language included.
"""

from __future__ import annotations

import re
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from typing import Any

from channels.db import database_sync_to_async
from django.conf import settings

from plenary.recordings import live, queries, serving

_PATH = re.compile(r"^/recordings/(\d{1,12})/live/(.+)$")


def _security_headers() -> list[tuple[bytes, bytes]]:
    """What Django's ``SecurityMiddleware`` adds to a plain-HTTP answer, from the same
    settings (HSTS is for HTTPS, which a proxy in front terminates and adds)."""
    headers = []
    if settings.SECURE_CONTENT_TYPE_NOSNIFF:
        headers.append((b"x-content-type-options", b"nosniff"))
    policy = settings.SECURE_REFERRER_POLICY
    if policy:
        text = policy if isinstance(policy, str) else ",".join(policy)
        headers.append((b"referrer-policy", text.encode()))
    if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
        headers.append(
            (b"cross-origin-opener-policy", settings.SECURE_CROSS_ORIGIN_OPENER_POLICY.encode())
        )
    return headers


def _session_key(cookies: bytes) -> str:
    cookie = SimpleCookie()
    try:
        cookie.load(cookies.decode("latin-1"))
    except CookieError:  # a malformed header: as if there were no session
        return ""
    morsel = cookie.get(settings.SESSION_COOKIE_NAME)
    return morsel.value if morsel is not None else ""


def _small_file(path: Path) -> bytes | None:
    try:
        if path.stat().st_size > serving.SMALL_FILE_BYTES:
            return None
        return path.read_bytes()
    except OSError:  # gone (the window slid on), or never there: Django says so
        return None


class LiveFiles:
    """Wraps the HTTP application: answers a public live webcast's files itself."""

    def __init__(self, app: Any):
        self.app = app
        self._headers = _security_headers()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        body = await self._answer(scope) if scope["type"] == "http" else None
        if body is None:
            return await self.app(scope, receive, send)
        content, path, shared = body
        cache = serving.LIVE_PLAYLIST_CACHE if path.suffix == ".m3u8" else serving.SEGMENT_CACHE
        headers = [
            (b"content-type", serving.CONTENT_TYPES[path.suffix].encode()),
            (b"content-length", str(len(content)).encode()),
            (b"cache-control", f"{shared}, {cache}".encode()),
            *self._headers,
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": content})

    async def _answer(self, scope: dict[str, Any]) -> tuple[bytes, Path, str] | None:
        match = _PATH.match(scope.get("path", ""))
        if scope.get("method") != "GET" or match is None or not serving.is_live_name(match[2]):
            return None
        headers = dict(scope.get("headers", []))
        if b"range" in headers:
            return None
        session_key = _session_key(headers.get(b"cookie", b""))
        decided = await database_sync_to_async(queries.live_folder_for)(session_key, int(match[1]))
        if decided is None:
            return None
        folder, public = decided
        path = folder / match[2]
        content = _small_file(path)
        if content and path.suffix == ".m3u8":
            content = live.served(path, content)
        return (content, path, "public" if public else "private") if content else None
