"""The WebSocket transport: uvicorn's sans-I/O protocol, tuned for fan-out.

A session event goes to every tab of the session: the same message to
thousands of sockets. Two changes to uvicorn's ``websockets-sansio`` protocol
make that cheap (``./scripts/bench floor``, docs/benchmarks.md):

- **Each message compressed on its own.** Per-message deflate stays on
  (delegates on weak links), but the server announces
  ``server_no_context_takeover``, so a message's frame only depends on the
  message and the negotiated window: a frame sent to every socket is built
  (and compressed) once per process and its bytes reused. Sockets keep no
  compressor between messages either (about 30 KiB each). The cost is a lower
  ratio on small messages, a few hundred bytes per event at most.
- **Written now when the socket can take it.** The ASGI ``send`` is a
  coroutine, so sending one event to N sockets needs N tasks, and Channels
  wraps every send of a consumer. The protocol offers a synchronous
  ``send_now(data)`` in the scope's ``extensions`` (key ``SEND_NOW``): it
  writes a text message at once, or says it could not (transport paused by a
  slow client, socket closing) and the caller falls back to the ASGI ``send``.

A handshake without credentials from an address that the live sockets'
flood guards refuse now (the app registers that test with
``refuse_anonymous_from``; the kernel's is ``plenary.live.limits.penalised``) is answered and
closed at once with ``CLOSE_FLOODING`` (4429), without running the
application: a flooder reconnecting in a loop costs a handshake, not a
sign-in lookup in the thread that every socket's database work shares.

On shutdown (a restart, a deploy) every open socket is closed with
``CLOSE_RESTART`` (1012) and the reason ``service restart``, so clients come
back at once rather than backing off (docs/realtime.md, "Connecting").

uvicorn runs it as ``--ws plenary.core.websocket:WebSocketProtocol``
(``PROTOCOL``), in ``plenary serve`` and in the tests.

``scope_language`` is the language of a socket: what Django's
``LocaleMiddleware`` would choose for its handshake.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest
from django.http.cookie import parse_cookie
from django.utils import translation
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.extensions.permessage_deflate import (
    PerMessageDeflate,
    ServerPerMessageDeflateFactory,
)
from websockets.frames import Frame, Opcode
from websockets.http11 import Request
from websockets.protocol import State
from websockets.server import ServerProtocol

# The import path for uvicorn's ``ws`` setting.
PROTOCOL = "plenary.core.websocket:WebSocketProtocol"
# Where the scope's ``extensions`` carry the synchronous send.
SEND_NOW = "plenary.send_now"

SendNow = Callable[[bytes], bool]

# The server is going away and back: reconnect promptly (RFC 6455 "service restart").
CLOSE_RESTART = 1012
RESTART_REASON = "service restart"
# Too many messages or connections (docs/realtime.md, "Limits").
CLOSE_FLOODING = 4429
FLOODING_REASON = "rate limited"


_penalised: list[Callable[[str], bool]] = []


def refuse_anonymous_from(test: Callable[[str], bool]) -> None:
    """Register ``test(address)``: whether an anonymous handshake from it is refused now."""
    if test not in _penalised:
        _penalised.append(test)


def scope_language(scope: dict[str, Any]) -> str:
    """The language of a socket's messages: the page's language, as Django chooses it.

    The ``django_language`` cookie (the page's language, which sign-in sets
    to the person's preferred language), else the signed-in user's preferred
    language, else the handshake's ``Accept-Language``, else ``LANGUAGE_CODE``.
    """
    headers = {
        key.decode("latin-1").lower(): value.decode("latin-1")
        for key, value in scope.get("headers", [])
    }
    cookies = scope.get("cookies") or parse_cookie(headers.get("cookie", ""))
    user = scope.get("user")
    preferred = getattr(user, "preferred_language", "") if user is not None else ""
    for candidate in (cookies.get(settings.LANGUAGE_COOKIE_NAME), preferred):
        if candidate:
            try:
                return translation.get_supported_language_variant(candidate)
            except LookupError:
                continue
    request = HttpRequest()
    request.META["HTTP_ACCEPT_LANGUAGE"] = headers.get("accept-language", "")
    return translation.get_language_from_request(request)


def server_proxy_options() -> dict[str, Any]:
    """uvicorn's options for forwarded headers: believed only from ``TRUSTED_PROXIES``.

    ``plenary serve`` passes them to ``uvicorn.run``. With no trusted proxy
    (the default) uvicorn ignores ``X-Forwarded-For``/``-Proto`` altogether, so
    the address sign-in throttling counts is the connection's own.
    """
    from django.conf import settings

    proxies = list(settings.TRUSTED_PROXIES)
    return {"proxy_headers": bool(proxies), "forwarded_allow_ips": proxies}


def server_command(port: int, *options: str) -> list[str]:
    """The command serving the project's application with this protocol on
    127.0.0.1:``port`` as a child process (a test's second server, the bench's
    server); ``options`` go to uvicorn."""
    return [
        *(sys.executable, "-m", "uvicorn", "plenary.config.asgi:application"),
        *("--host", "127.0.0.1", "--port", str(port), "--lifespan", "off", "--ws", PROTOCOL),
        *options,
    ]


# Frames kept for reuse: enough for a burst of events of every session of a
# process. Larger messages are built for each socket.
_FRAMES_KEPT = 256
_FRAME_MAX_BYTES = 16 * 1024
_frames: dict[tuple[bytes, int], bytes] = {}  # (message, window bits or 0) -> frame


def _deflate() -> ServerPerMessageDeflateFactory:
    # uvicorn's own window and memory settings, without server context takeover.
    return ServerPerMessageDeflateFactory(
        server_no_context_takeover=True,
        server_max_window_bits=12,
        client_max_window_bits=12,
        compress_settings={"memLevel": 5},
    )


class WebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O WebSocket protocol with shared frames and ``send_now``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.config.ws_per_message_deflate:
            self.conn = ServerProtocol(
                extensions=[_deflate()],
                max_size=self.config.ws_max_size,
                logger=self.conn.logger,
            )

    async def run_asgi(self) -> None:
        self.scope["extensions"][SEND_NOW] = self.send_now  # type: ignore[assignment]
        await super().run_asgi()

    def handle_connect(self, event: Request) -> None:
        if self.client is not None and self._refused_early(event):
            response = self.conn.accept(event)
            self.handshake_initiated = self.handshake_complete = self.close_sent = True
            self.conn.send_response(response)
            if response.status_code == 101:
                self.conn.send_close(CLOSE_FLOODING, FLOODING_REASON)
            self.transport.write(b"".join(self.conn.data_to_send()))
            self.transport.close()
            return
        super().handle_connect(event)

    def _refused_early(self, event: Request) -> bool:
        """An anonymous handshake from an address the flood guards refuse now."""
        if not self.client or not _penalised:
            return False
        if "Authorization" in event.headers:
            return False
        cookies = parse_cookie(";".join(event.headers.get_all("Cookie")))
        if settings.SESSION_COOKIE_NAME in cookies:
            return False
        address = str(self.client[0])
        return any(test(address) for test in _penalised)

    def shutdown(self) -> None:
        """As uvicorn's, with the reason of the 1012 close (clients reconnect promptly)."""
        if self.close_sent or not self.handshake_complete:
            super().shutdown()
            return
        self.stop_keepalive()
        self.queue.put_nowait({"type": "websocket.disconnect", "code": CLOSE_RESTART})
        self.conn.send_close(CLOSE_RESTART, RESTART_REASON)
        self.close_sent = True
        self.transport.write(b"".join(self.conn.data_to_send()))
        self.transport.close()

    def send_now(self, data: bytes) -> bool:
        """Write the UTF-8 ``data`` as a text message, if the socket takes it now."""
        if (
            not self.writable.is_set()
            or self.disconnected
            or self.close_sent
            or self.transport.is_closing()
            or self.conn.state is not State.OPEN
            or self.conn.expect_continuation_frame
        ):
            return False
        self.transport.write(self._frame(data))
        return True

    def _frame(self, data: bytes) -> bytes:
        extensions = self.conn.extensions  # none, or the deflate of ``_deflate()``
        window = cast(PerMessageDeflate, extensions[0]).local_max_window_bits if extensions else 0
        frame = _frames.get((data, window))
        if frame is None:
            frame = Frame(Opcode.TEXT, data).serialize(mask=False, extensions=extensions)
            if len(data) <= _FRAME_MAX_BYTES:
                if len(_frames) >= _FRAMES_KEPT:
                    # The oldest; pop, not del: servers in other threads (tests) share it.
                    _frames.pop(next(iter(_frames)), None)
                _frames[data, window] = frame
        return frame
