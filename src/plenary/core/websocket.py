"""The WebSocket transport: uvicorn's sans-I/O protocol, tuned for fan-out.

A session event goes to every tab of the session, the same bytes to
thousands of sockets. Two changes to uvicorn's ``websockets-sansio`` protocol
make that cheap (``./scripts/bench floor``, docs/benchmarks.md):

- **Compress once, for all sockets.** Per-message deflate stays on (delegates
  on weak links), but the server announces ``server_no_context_takeover``:
  each message is then compressed on its own, the result is the same for
  every socket and is reused from a small cache (``SharedDeflate``). Sockets
  also keep no compressor state (about 30 KiB each). The cost is a lower
  ratio on small messages (no dictionary shared across messages), a few
  hundred bytes per event at most.
- **Write now when the socket can take it.** The ASGI ``send`` is a coroutine:
  sending one event to N sockets needs N tasks, and Channels wraps every send
  of a consumer. The protocol offers a synchronous ``send_now(data)`` in the
  scope's ``extensions`` (``SEND_NOW``): it writes a text frame at once, or
  says it could not (transport paused by a slow client, socket closing), and
  the caller falls back to the ASGI ``send``.

Run it with ``uvicorn --ws plenary.core.websocket:WebSocketProtocol`` (as
``plenary serve`` and the tests do).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from typing import Any

from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.exceptions import InvalidState
from websockets.extensions.permessage_deflate import (
    PerMessageDeflate,
    ServerPerMessageDeflateFactory,
)
from websockets.frames import CONT, CTRL_OPCODES, Frame
from websockets.server import ServerProtocol
from websockets.typing import ExtensionParameter

# The import path for uvicorn's ``ws`` setting.
PROTOCOL = "plenary.core.websocket:WebSocketProtocol"
# Where the scope's ``extensions`` carry the synchronous send.
SEND_NOW = "plenary.send_now"

SendNow = Callable[[bytes], bool]

# Compressed messages kept for reuse: enough for a burst of events of every
# session of a process; larger messages (snapshots) are not kept.
_CACHE_ENTRIES = 256
_CACHE_MAX_BYTES = 16 * 1024
_EMPTY_BLOCK = b"\x00\x00\xff\xff"
_compressed: dict[tuple[int, bytes], bytes] = {}  # (window bits, message) -> deflated


class SharedDeflate(PerMessageDeflate):
    """Per-message deflate without context takeover; identical messages are
    compressed once per process (the output only depends on the data and the
    window size)."""

    def encode(self, frame: Frame) -> Frame:
        if frame.opcode in CTRL_OPCODES:
            return frame
        if frame.opcode is CONT or not frame.fin or not self.local_no_context_takeover:
            return super().encode(frame)  # fragmented messages: uvicorn sends none
        data = bytes(frame.data)
        key = (self.local_max_window_bits, data)
        compressed = _compressed.get(key)
        if compressed is None:
            encoder = zlib.compressobj(wbits=-self.local_max_window_bits, **self.compress_settings)
            compressed = encoder.compress(data) + encoder.flush(zlib.Z_SYNC_FLUSH)
            compressed = compressed.removesuffix(_EMPTY_BLOCK)
            if len(data) <= _CACHE_MAX_BYTES:
                if len(_compressed) >= _CACHE_ENTRIES:
                    del _compressed[next(iter(_compressed))]  # the oldest
                _compressed[key] = compressed
        return Frame(frame.opcode, compressed, frame.fin, rsv1=True, rsv2=False, rsv3=False)


class SharedDeflateFactory(ServerPerMessageDeflateFactory):
    def __init__(self) -> None:
        # The window and memory settings of uvicorn's own factory.
        super().__init__(
            server_no_context_takeover=True,
            server_max_window_bits=12,
            client_max_window_bits=12,
            compress_settings={"memLevel": 5},
        )

    def process_request_params(
        self, params: Any, accepted_extensions: Any
    ) -> tuple[list[ExtensionParameter], PerMessageDeflate]:
        response, negotiated = super().process_request_params(params, accepted_extensions)
        return response, SharedDeflate(
            negotiated.remote_no_context_takeover,
            negotiated.local_no_context_takeover,
            negotiated.remote_max_window_bits,
            negotiated.local_max_window_bits,
            negotiated.compress_settings,
        )


class WebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's sans-I/O WebSocket protocol with ``SharedDeflate`` and ``send_now``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.config.ws_per_message_deflate:
            self.conn = ServerProtocol(
                extensions=[SharedDeflateFactory()],
                max_size=self.config.ws_max_size,
                logger=self.conn.logger,
            )

    async def run_asgi(self) -> None:
        self.scope["extensions"][SEND_NOW] = self.send_now  # type: ignore[assignment]
        await super().run_asgi()

    def send_now(self, data: bytes) -> bool:
        """Write the UTF-8 ``data`` as a text message, if the socket takes it now."""
        if (
            not self.writable.is_set()
            or self.disconnected
            or not self.handshake_complete
            or self.close_sent
            or self.transport.is_closing()
        ):
            return False
        try:
            self.conn.send_text(data)
        except InvalidState:
            return False
        self.transport.write(b"".join(self.conn.data_to_send()))
        return True
