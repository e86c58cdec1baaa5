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
from django.utils import timezone

from plenary.core.health import run_checks
from plenary.core.tasks import repeat
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


def start_sampler() -> threading.Thread | None:
    """Start the sampling thread (``plenary serve``); ``None`` when sampling is off."""
    interval = settings.HEALTH_SAMPLE_SECONDS
    if interval <= 0:
        return None
    return repeat(interval, "plenary-health-sampler", sample_now)
