"""The speech plane's metrics, read at each scrape (``plenary.core.metrics``)."""

from __future__ import annotations

from prometheus_client.core import Metric

from plenary.core.metrics import collector, gauge
from plenary.speech.health import connected_workers, streams_without_worker


@collector
def speech() -> list[Metric]:
    return [
        gauge(
            "plenary_speech_workers",
            "Speech workers connected.",
            {(): connected_workers().count()},
            [],
        ),
        gauge(
            "plenary_caption_streams_waiting",
            "Open caption streams without a worker.",
            {(): len(streams_without_worker())},
            [],
        ),
    ]
