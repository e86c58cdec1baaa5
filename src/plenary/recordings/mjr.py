"""The one adapter over Janus's own recording format (``.mjr``) and its post-processor.

The VideoRoom writes each publisher's video stream as an MJR file per start
(``plenary.media.rooms.RoomManager.record_video``): the RTP packets as they
came, after a JSON header that says what the stream is (``t`` the kind,
``c`` the codec, ``d`` the description the control plane gave it: ``stage``
or ``screen``) and when its first frame was written on Janus's wall clock
(``u``, microseconds). A file Janus had no frame for yet holds only the
8-byte magic. ``janus-pp-rec`` (Debian's ``janus-tools``) orders the packets
and writes a WebM whose time starts at that first frame.
"""

from __future__ import annotations

import json
import shutil
import struct
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAGIC = b"MJR00002"
_HEADER_BYTES = 8 + 2 + 65535


class MjrError(RuntimeError):
    pass


@dataclass(frozen=True)
class Header:
    kind: str  # "v" video, "a" audio, "d" data
    codec: str
    description: str
    first_frame: float  # epoch seconds


def header(path: Path) -> Header | None:
    """What the file holds; ``None`` for a file with no frame yet, or not Janus's."""
    with path.open("rb") as stored:
        head = stored.read(_HEADER_BYTES)
    if len(head) < 10 or head[:8] != MAGIC:
        return None
    (size,) = struct.unpack(">H", head[8:10])
    try:
        info: Any = json.loads(head[10 : 10 + size])
        return Header(
            kind=str(info["t"]),
            codec=str(info["c"]),
            description=str(info.get("d", "")),
            first_frame=int(info["u"]) / 1_000_000,
        )
    except (ValueError, KeyError, TypeError):
        return None


def binary() -> str:
    found = shutil.which("janus-pp-rec")
    if found is None:
        raise MjrError("janus-pp-rec is not installed (apt-get install janus-tools)")
    return found


def to_webm(path: Path, output: Path, timeout: float) -> None:
    """Write the video of ``path`` as a WebM file (VP8 as it was sent, not re-encoded)."""
    command = [binary(), "--debug-level", "0", str(path), str(output)]
    try:
        done = subprocess.run(  # noqa: S603 - our own arguments, no shell
            command, check=False, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as exc:
        raise MjrError(f"janus-pp-rec took longer than {timeout:.0f} s") from exc
    if done.returncode != 0 or not output.is_file():
        said = (done.stderr or done.stdout).strip()[-400:]
        raise MjrError(said or f"janus-pp-rec exited with {done.returncode}")
