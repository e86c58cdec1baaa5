"""Prometheus metrics of this process, served at ``/metrics``.

Counted as things happen: open sockets by kind, live events published by
type, caption lag as the speech workers report it. Read at each scrape, by
the apps' collectors (``collector``): the task queue, listeners by channel
in this process, each Janus's rooms and listeners, the media servers of a
scale-out, caption streams waiting for a worker. A collector that fails is
logged and left out of that scrape; the others are served.

Every web server is scraped on its own (each process has its own sockets);
``/metrics`` answers a request that carries ``PLENARY_METRICS_TOKEN`` as a
bearer token, or, without a token configured, one made on the machine itself
and not relayed by a proxy.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable, Iterable
from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest
from prometheus_client import REGISTRY, Counter, Gauge, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

SOCKETS = Gauge("plenary_sockets_open", "Open WebSockets of this process, by kind.", ["kind"])
EVENTS = Counter("plenary_events_published", "Live events published to clients, by type.", ["type"])
CAPTION_LAG = Histogram(
    "plenary_caption_lag_seconds",
    "How far behind its audio a live caption stream is, as its worker reports it.",
    buckets=(0.5, 1, 2, 3, 5, 10, 30),
)
JANUS_ROOMS = Gauge("plenary_janus_rooms", "AudioBridge rooms on each Janus.", ["server"])
JANUS_LISTENERS = Gauge(
    "plenary_janus_listeners",
    "Viewers of the mountpoints and participants of the rooms on each Janus.",
    ["server"],
)

Scrape = Callable[[], Iterable[Metric]]
_scrapes: list[Scrape] = []


def collector(scrape: Scrape) -> Scrape:
    """Register ``scrape()``, called at each scrape for metric families read then."""
    _scrapes.append(scrape)
    return scrape


def gauge(name: str, text: str, values: dict[tuple[str, ...], float], labels: list[str]) -> Metric:
    """A gauge family with one sample per label values (a helper for collectors)."""
    family = GaugeMetricFamily(name, text, labels=labels)
    for key, value in values.items():
        family.add_metric(list(key), value)
    return family


class _Scraped(Collector):
    def collect(self) -> Iterable[Metric]:
        for scrape in _scrapes:
            try:
                yield from list(scrape())
            except Exception:
                logger.exception("metrics collector %s failed", scrape.__name__)


REGISTRY.register(_Scraped())


def allowed(request: HttpRequest) -> bool:
    """May this request read the metrics? (See the module's docstring.)"""
    token = str(settings.METRICS_TOKEN)
    if token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ")
        return hmac.compare_digest(given.encode(), token.encode())
    if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
        return False
    try:
        return ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False
