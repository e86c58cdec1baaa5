"""The in-memory channel layer of the embedded mode, without its quadratic fan-out.

Channels' ``InMemoryChannelLayer`` sweeps every channel and group for expired
messages on *every* ``receive``. When one event goes to a session group of N
sockets, each of the N consumers' receives walks all N channels: O(N²) per
event, about 4 s for 500 tabs on a 2-core machine (``./scripts/bench floor``).
This layer sweeps at most once a second; expiry (60 s for messages, a day for
group membership) only needs to be approximately on time.
"""

from __future__ import annotations

import time

from channels.layers import InMemoryChannelLayer

SWEEP_INTERVAL_S = 1.0


class SweepingInMemoryChannelLayer(InMemoryChannelLayer):
    _last_sweep = 0.0

    def _clean_expired(self) -> None:
        now = time.monotonic()
        if now - self._last_sweep < SWEEP_INTERVAL_S:
            return
        self._last_sweep = now
        super()._clean_expired()
