"""An asyncio client for Janus's WebSocket API.

One WebSocket carries many Janus sessions and plugin handles. Every request
goes through :meth:`JanusClient._request`, which adds the transaction id and
the API secret, waits for the reply and raises a typed error. Asynchronous
plugin requests (``join``, ``watch``, ``configure`` ...) are answered with an
``ack`` and then an ``event`` with the same transaction; the client waits for
the event. Events without a transaction (``webrtcup``, ``hangup``, plugin
notifications) go to the handle's queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import logging
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

logger = logging.getLogger(__name__)

JsonDict = dict[str, Any]

# Plugin requests that Janus answers with an ack and then an event.
ASYNC_REQUESTS = frozenset(
    {
        "join",
        "joinandconfigure",
        "publish",
        "configure",
        "watch",
        "start",
        "switch",
        "changeroom",
        "leave",
        "stop",
        "pause",
    }
)
KEEPALIVE_SECONDS = 25.0
REQUEST_TIMEOUT = 10.0


class JanusError(Exception):
    """Janus refused a request; ``code`` is Janus's or the plugin's error code."""

    def __init__(self, code: int, reason: str):
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


class JanusUnavailableError(JanusError):
    """Janus cannot be reached, or the connection dropped (e.g. a restart)."""

    def __init__(self, reason: str):
        super().__init__(0, reason)


@dataclass
class PluginReply:
    data: JsonDict
    jsep: JsonDict | None = None


@dataclass
class Handle:
    """A plugin handle inside a Janus session; ``events`` receives its notifications."""

    client: JanusClient
    session_id: int
    id: int
    plugin: str
    events: asyncio.Queue[JsonDict] = field(default_factory=asyncio.Queue)

    async def send(self, body: JsonDict, jsep: JsonDict | None = None) -> PluginReply:
        """Send a plugin message; raise :class:`JanusError` if the plugin answers with an error."""
        message: JsonDict = {
            "janus": "message",
            "session_id": self.session_id,
            "handle_id": self.id,
            "body": body,
        }
        if jsep is not None:
            message["jsep"] = jsep
        reply = await self.client._request(
            message, wait_event=body.get("request") in ASYNC_REQUESTS
        )
        data = reply.get("plugindata", {}).get("data", {})
        if "error" in data:
            raise JanusError(int(data.get("error_code", 0)), str(data["error"]))
        return PluginReply(data=data, jsep=reply.get("jsep"))

    async def wait_for(self, kind: str, timeout: float = REQUEST_TIMEOUT) -> JsonDict:
        """The next event of type ``kind`` (e.g. ``webrtcup``) for this handle."""
        async with asyncio.timeout(timeout):
            while True:
                event = await self.events.get()
                if event.get("janus") == kind:
                    return event

    async def detach(self) -> None:
        self.client._handles.pop(self.id, None)
        self.events.put_nowait({"janus": "detached", "sender": self.id})
        with contextlib.suppress(JanusError):
            await self.client._request(
                {"janus": "detach", "session_id": self.session_id, "handle_id": self.id}
            )


class JanusClient:
    """One WebSocket connection to Janus, with one Janus session kept alive.

    ``closed`` is set when the connection drops; every pending and later
    request then raises :class:`JanusUnavailableError`.
    """

    def __init__(self, url: str, api_secret: str = ""):
        self.url = url
        self._api_secret = api_secret
        self._ws: ClientConnection | None = None
        self._transactions = (str(n) for n in itertools.count(1))
        self._pending: dict[str, tuple[asyncio.Future[JsonDict], bool]] = {}
        self._handles: dict[int, Handle] = {}
        self._tasks: list[asyncio.Task[None]] = []
        self.session_id = 0
        self.closed = asyncio.Event()

    async def connect(self, timeout: float = 5.0) -> JanusClient:
        """Open the socket and a Janus session; raise :class:`JanusUnavailableError` if it fails."""
        try:
            self._ws = await connect(
                self.url,
                subprotocols=["janus-protocol"],  # type: ignore[list-item]
                open_timeout=timeout,
                max_size=None,
                ping_interval=None,
            )
        except (OSError, TimeoutError, WebSocketException) as exc:
            raise JanusUnavailableError(f"cannot connect to {self.url}: {exc}") from exc
        self._tasks.append(asyncio.create_task(self._read()))
        try:
            reply = await self._request({"janus": "create"})
        except JanusError:
            await self.close()
            raise
        self.session_id = int(reply["data"]["id"])
        self._tasks.append(asyncio.create_task(self._keepalive()))
        return self

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        if self._ws is not None:
            with contextlib.suppress(WebSocketException, OSError):
                await self._ws.close()
        self._fail_pending("closed")

    async def attach(self, plugin: str) -> Handle:
        reply = await self._request(
            {"janus": "attach", "session_id": self.session_id, "plugin": plugin}
        )
        handle = Handle(self, self.session_id, int(reply["data"]["id"]), plugin)
        self._handles[handle.id] = handle
        return handle

    async def ping(self) -> None:
        await self._request({"janus": "ping"})

    async def _request(self, body: JsonDict, *, wait_event: bool = False) -> JsonDict:
        """The one choke point: send ``body``, return Janus's reply or raise a typed error."""
        if self._ws is None or self.closed.is_set():
            raise JanusUnavailableError("not connected")
        transaction = next(self._transactions)
        message = {**body, "transaction": transaction}
        if self._api_secret:
            message["apisecret"] = self._api_secret
        future: asyncio.Future[JsonDict] = asyncio.get_running_loop().create_future()
        self._pending[transaction] = (future, wait_event)
        try:
            await self._ws.send(json.dumps(message))
            async with asyncio.timeout(REQUEST_TIMEOUT):
                reply = await future
        except (WebSocketException, OSError) as exc:
            raise JanusUnavailableError(str(exc)) from exc
        except TimeoutError as exc:
            raise JanusUnavailableError("no reply from Janus") from exc
        finally:
            self._pending.pop(transaction, None)
        if reply.get("janus") == "error":
            error = reply.get("error", {})
            raise JanusError(int(error.get("code", 0)), str(error.get("reason", "")))
        return reply

    async def _read(self) -> None:
        if self._ws is None:
            return
        try:
            async for raw in self._ws:
                self._dispatch(json.loads(raw))
        except (WebSocketException, OSError, ValueError) as exc:
            logger.warning("Janus connection lost: %s", exc)
        finally:
            self.closed.set()
            self._fail_pending("connection lost")
            for handle in self._handles.values():  # Janus's objects are gone with it
                handle.events.put_nowait({"janus": "detached", "sender": handle.id})

    def _dispatch(self, message: JsonDict) -> None:
        transaction = message.get("transaction")
        pending = self._pending.get(transaction) if isinstance(transaction, str) else None
        if pending is not None:
            future, wait_event = pending
            if message.get("janus") == "ack" and wait_event:
                return  # the answer comes later, as an event with this transaction
            if not future.done():
                future.set_result(message)
            return
        handle = self._handles.get(int(message.get("sender", 0) or 0))
        if handle is not None:
            handle.events.put_nowait(message)

    def _fail_pending(self, reason: str) -> None:
        for future, _ in list(self._pending.values()):
            if not future.done():
                future.set_exception(JanusUnavailableError(reason))
        self._pending.clear()

    async def _keepalive(self) -> None:
        while not self.closed.is_set():
            await asyncio.sleep(KEEPALIVE_SECONDS)
            try:
                await self._request({"janus": "keepalive", "session_id": self.session_id})
            except JanusError as exc:
                logger.warning("Janus keepalive failed: %s", exc)
                return
