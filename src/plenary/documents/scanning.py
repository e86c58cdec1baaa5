"""The virus scanner: clamd (Debian's clamav-daemon), spoken to over its socket.

``INSTREAM`` sends the file in chunks, so clamd needs no access to our files
and the file is never whole in memory. Without ``PLENARY_CLAMD`` there is no
scanner and the result says so ("not scanned"), never "clean".
"""

from __future__ import annotations

import socket
import struct
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

CHUNK_BYTES = 1024 * 1024
TIMEOUT_SECONDS = 300.0


class ScannerUnavailable(Exception):
    """clamd is configured but could not scan (down, too slow, file over its limit)."""


@dataclass(frozen=True)
class ScanResult:
    status: str  # a FileVersion.Scan value: clean, infected or not_scanned
    detail: str = ""  # the signature's name when infected


def scan_file(path: Path) -> ScanResult:
    address = settings.CLAMD_ADDRESS
    if not address:
        return ScanResult("not_scanned")
    try:
        with _connect(address) as connection, path.open("rb") as handle:
            connection.sendall(b"zINSTREAM\0")
            while chunk := handle.read(CHUNK_BYTES):
                connection.sendall(struct.pack(">I", len(chunk)) + chunk)
            connection.sendall(struct.pack(">I", 0))
            reply = _read_reply(connection)
    except OSError as error:
        raise ScannerUnavailable(str(error)) from error
    # "stream: OK", "stream: Eicar-Signature FOUND", "INSTREAM size limit exceeded. ERROR"
    if reply.endswith(" FOUND"):
        return ScanResult("infected", reply.removeprefix("stream: ").removesuffix(" FOUND")[:200])
    if reply.endswith(": OK"):
        return ScanResult("clean")
    raise ScannerUnavailable(reply[:200])


def _connect(address: str) -> socket.socket:
    kind, _sep, where = address.partition(":")
    if kind == "unix":
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        target: str | tuple[str, int] = where
    elif kind == "tcp":
        host, _sep, port = where.rpartition(":")
        connection = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        target = (host, int(port))
    else:
        raise OSError(f"PLENARY_CLAMD must start with unix: or tcp:, not {address!r}")
    connection.settimeout(TIMEOUT_SECONDS)
    try:
        connection.connect(target)
    except OSError:
        connection.close()
        raise
    return connection


def _read_reply(connection: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0"):
        chunk = connection.recv(4096)
        if not chunk:
            break
        reply += chunk
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()
