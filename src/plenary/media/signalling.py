"""Validation of what browsers send for WebRTC: SDP and single-use offer nonces.

An offer is bound to the socket that asked for it: the server hands out a
nonce for (user, session, connection), and an offer must carry it. A nonce
is used once, expires quickly, and means nothing on another socket, so a
captured or replayed offer is refused.
"""

from __future__ import annotations

import re
import secrets

from django.core.cache import cache
from django.utils.translation import gettext as _

from plenary.core.errors import PermissionRefusal, Refusal

MAX_SDP_BYTES = 16 * 1024
NONCE_TTL_SECONDS = 120
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _nonce_key(nonce: str) -> str:
    return f"media:nonce:{nonce}"


def issue_nonce(user_id: int | None, session_id: int, connection_id: str) -> str:
    """A fresh single-use nonce for the next offer or answer from this socket."""
    nonce = secrets.token_urlsafe(18)
    cache.set(_nonce_key(nonce), (user_id, session_id, connection_id), NONCE_TTL_SECONDS)
    return nonce


def consume_nonce(nonce: str, user_id: int | None, session_id: int, connection_id: str) -> None:
    """Accept ``nonce`` once, only from the socket it was issued to; else refuse."""
    key = _nonce_key(nonce)
    bound = cache.get(key)
    if bound is None or not cache.delete(key):
        raise PermissionRefusal(
            _("This connection request has expired or was already used. Please try again."),
            "stale_nonce",
        )
    if tuple(bound) != (user_id, session_id, connection_id):
        raise PermissionRefusal(_("This connection request was not issued to you."), "forged_nonce")


def validate_sdp(sdp: str, media: str = "audio") -> str:
    """Refuse SDP that is too large, not text, or without a ``media`` (audio, video) section."""
    if len(sdp.encode()) > MAX_SDP_BYTES:
        raise Refusal(
            _("The session description is larger than %(limit)d bytes.") % {"limit": MAX_SDP_BYTES},
            "sdp_too_large",
        )
    lines = sdp.replace("\r\n", "\n").strip().split("\n")
    if (
        _CONTROL.search(sdp)
        or lines[0] != "v=0"
        or not any(line.startswith(f"m={media} ") for line in lines)
        or not any(line.startswith("a=fingerprint:") for line in lines)
        or any(not re.match(r"^[a-z]=", line) for line in lines)
    ):
        raise Refusal(_("The session description is not valid."), "invalid_sdp")
    return sdp
