"""Health samples: the ``/healthz`` checks recorded periodically, for measured availability.

``sample_now`` records one ``HealthSample`` per component from
``plenary.core.health.run_checks``. ``plenary serve`` samples every
``PLENARY_HEALTH_SAMPLE_SECONDS`` (0: never) in a daemon thread; a scale-out
deployment runs ``plenary health_sample`` from cron on one host instead.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from plenary.core.health import run_checks
from plenary.stats.models import HealthSample

logger = logging.getLogger(__name__)


def sample_now() -> list[HealthSample]:
    """Run every health check once and record the results under one timestamp."""
    components = run_checks()["components"]
    at = timezone.now()
    return HealthSample.objects.bulk_create(
        HealthSample(at=at, component=name, ok=bool(result["ok"]))
        for name, result in components.items()
    )


def _sample_forever(interval: float) -> None:
    stop = threading.Event()
    while not stop.wait(interval):
        close_old_connections()
        try:
            sample_now()
        except Exception:
            logger.exception("health sampling failed")
        finally:
            connection.close()


def start_sampler() -> threading.Thread | None:
    """Start the sampling thread (``plenary serve``); ``None`` when sampling is off."""
    interval = settings.HEALTH_SAMPLE_SECONDS
    if interval <= 0:
        return None
    thread = threading.Thread(
        target=_sample_forever, args=(interval,), name="plenary-health-sampler", daemon=True
    )
    thread.start()
    return thread
