"""Flood guards of the live sockets (session and webcast), checked before any work.

Every frame a socket sends takes one token from two buckets: its own (the
connection's) and its sender's, shared by all of the sender's sockets in this
process: the account's when signed in, the address's when anonymous (the
public room screen, webcast viewers). Signed-in people are not limited by
address: a whole delegation may sit behind one venue's NAT.

A frame that finds a bucket empty is refused (``rate_limited``) without being
parsed; a socket that goes on sending while refused (its burst again) is
closed with ``CLOSE_FLOODING``, and its sender's bucket is set to minus its
burst: the sender's frames and new sockets are refused until it refills
(5 s for an address with the defaults), so reconnecting at once gains nothing.
While an address is so refused, the transport (``plenary.core.websocket``)
closes its handshakes that carry no credentials (no session cookie, no
``Authorization``) with 4429 before they reach the application.
Opening an anonymous socket takes a token from its address's bucket too, and
an address holds at most ``WS_ANONYMOUS_PER_ADDRESS`` anonymous sockets at
once in one process; a socket over either is accepted and closed with
``CLOSE_FLOODING``.

The buckets are per process: behind N processes an address gets N times the
rates. Behind a reverse proxy the address is the client's only if the proxy's
``X-Forwarded-For`` is trusted (``PLENARY_TRUSTED_PROXIES``). Settings and
close codes: docs/realtime.md, "Limits"; docs/deploy.md, "Settings".
"""

from __future__ import annotations

import enum
import time
import weakref
from dataclasses import dataclass
from typing import Any

from django.conf import settings

# The socket flooded (or its address holds too many anonymous sockets): docs/realtime.md.
CLOSE_FLOODING = 4429

_PRUNE_EVERY_S = 60.0


@dataclass(frozen=True)
class Limit:
    """A token bucket's shape: ``burst`` frames at once, refilled at ``rate`` a second."""

    burst: float
    rate: float


def connection_limit() -> Limit:
    return Limit(settings.WS_CONNECTION_BURST, settings.WS_CONNECTION_RATE)


def account_limit() -> Limit:
    return Limit(settings.WS_ACCOUNT_BURST, settings.WS_ACCOUNT_RATE)


def address_limit() -> Limit:
    return Limit(settings.WS_ADDRESS_BURST, settings.WS_ADDRESS_RATE)


class Bucket:
    __slots__ = ("stamp", "tokens")

    def __init__(self, limit: Limit, now: float) -> None:
        self.tokens = float(limit.burst)
        self.stamp = now

    def take(self, limit: Limit, now: float) -> bool:
        self.tokens = min(float(limit.burst), self.tokens + (now - self.stamp) * limit.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True

    def full(self, limit: Limit, now: float) -> bool:
        return self.tokens + (now - self.stamp) * limit.rate >= limit.burst


class _Senders:
    """The shared buckets of this process, by sender key; idle (full) ones are pruned."""

    def __init__(self) -> None:
        self.buckets: dict[str, Bucket] = {}
        self.pruned = 0.0

    def take(self, key: str, now: float) -> bool:
        if now - self.pruned > _PRUNE_EVERY_S:
            self.pruned = now
            for idle in [k for k, b in self.buckets.items() if b.full(_shared_limit(k), now)]:
                self.buckets.pop(idle, None)
        limit = _shared_limit(key)
        return self._bucket(key, limit, now).take(limit, now)

    def penalise(self, key: str, now: float) -> None:
        """Empty ``key``'s bucket and more: its frames and new sockets are refused
        until it has refilled from minus its burst (``2 * burst / rate`` seconds)."""
        limit = _shared_limit(key)
        bucket = self._bucket(key, limit, now)
        bucket.tokens, bucket.stamp = -float(limit.burst), now

    def _bucket(self, key: str, limit: Limit, now: float) -> Bucket:
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = Bucket(limit, now)
        return bucket


_senders = _Senders()
# Open anonymous sockets of this process, by address: their consumers, held
# weakly, so that a socket whose close never ran (a cancelled task) frees its place.
_anonymous: dict[str, weakref.WeakSet[object]] = {}


def address_of(scope: dict[str, Any]) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def sender_key(scope: dict[str, Any]) -> str:
    """``user:<id>`` for a signed-in socket, ``address:<ip>`` for an anonymous one."""
    user = scope.get("user")
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return f"address:{address_of(scope)}"


def _shared_limit(key: str) -> Limit:
    return account_limit() if key.startswith("user:") else address_limit()


class Verdict(enum.Enum):
    ADMIT = "admit"
    REFUSE = "refuse"  # answer rate_limited, do nothing else
    CLOSE = "close"  # close the socket with CLOSE_FLOODING


class Gate:
    """One socket's guard: ``admit()`` for each frame it sends."""

    def __init__(self, scope: dict[str, Any]) -> None:
        self.key = sender_key(scope)
        self._own = Bucket(connection_limit(), time.monotonic())
        self._refused = 0  # frames refused since the last one admitted

    def admit(self) -> Verdict:
        now = time.monotonic()
        limit = connection_limit()
        if self._own.take(limit, now) and _senders.take(self.key, now):
            self._refused = 0
            return Verdict.ADMIT
        self._refused += 1
        if self._refused <= limit.burst:
            return Verdict.REFUSE
        # A flood: the sender's other sockets and reconnections wait too.
        _senders.penalise(self.key, now)
        return Verdict.CLOSE


def penalised(address: str) -> bool:
    """Whether ``address``'s anonymous sockets are refused now (it flooded, or has no
    tokens left): the transport refuses their handshakes before the application."""
    bucket = _senders.buckets.get(f"address:{address}")
    if bucket is None:
        return False
    limit = address_limit()
    return bucket.tokens + (time.monotonic() - bucket.stamp) * limit.rate < 1


def open_socket(scope: dict[str, Any], consumer: object) -> str | None:
    """Count ``consumer``'s socket as it opens; ``None`` if it must be refused (a flood,
    or the anonymous cap).

    Returns the slot to hand to ``close_socket`` when it closes ("" for a
    signed-in socket, which holds none).
    """
    key = sender_key(scope)
    if key.startswith("user:"):
        return ""
    address = key.removeprefix("address:")
    members = _anonymous.setdefault(address, weakref.WeakSet())
    if len(members) >= settings.WS_ANONYMOUS_PER_ADDRESS:
        return None
    if not _senders.take(key, time.monotonic()):
        return None
    members.add(consumer)
    return address


def close_socket(slot: str | None, consumer: object) -> None:
    """Release what ``open_socket`` counted (nothing for ``None`` or "")."""
    members = _anonymous.get(slot) if slot else None
    if members is not None:
        members.discard(consumer)
        if not members:
            _anonymous.pop(slot or "", None)


def reset() -> None:
    """Forget every bucket and count (tests)."""
    _senders.buckets.clear()
    _anonymous.clear()
