"""The media plane's metrics, read at each scrape (``plenary.core.metrics``)."""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from prometheus_client.core import Metric

from plenary.core.metrics import collector, gauge
from plenary.media import placement, services


@collector
def listeners() -> list[Metric]:
    """Listening legs of this process's sockets, by the channel each hears."""
    counts = Counter(
        connection.channel
        for connection in services.connections()
        if connection.listener is not None
    )
    return [
        gauge(
            "plenary_listeners",
            "Listening legs of this process's sockets, by channel.",
            {(channel,): count for channel, count in counts.items()},
            ["channel"],
        )
    ]


@collector
def media_servers() -> list[Metric]:
    """The registered media servers of a scale-out, as the placement sees them."""
    if not settings.JANUS_URLS:
        return []
    states = placement.servers()
    return [
        gauge(
            "plenary_media_server_up",
            "1 while the server takes sessions (not down).",
            {(s.url,): 0 if s.down else 1 for s in states},
            ["server"],
        ),
        gauge(
            "plenary_media_server_draining",
            "1 while the server is drained.",
            {(s.url,): int(s.draining) for s in states},
            ["server"],
        ),
        gauge(
            "plenary_media_server_sessions",
            "Sessions placed on the server and still going.",
            {(s.url,): s.sessions for s in states},
            ["server"],
        ),
    ]
