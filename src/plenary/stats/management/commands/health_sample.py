"""``plenary health_sample``: record the health checks once (cron, scale-out deployments)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from plenary.stats.health import sample_now


class Command(BaseCommand):
    help = "Record one health sample per component, for measured service availability."

    def handle(self, *args: Any, **options: Any) -> None:
        samples = sample_now()
        down = sorted(s.component for s in samples if not s.ok)
        self.stdout.write(f"{len(samples)} components sampled; down: {', '.join(down) or 'none'}")
