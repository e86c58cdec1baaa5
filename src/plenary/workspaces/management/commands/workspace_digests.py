"""``plenary workspace_digests``: send the digests that are due (``plenary serve`` runs it
every hour; a scale-out deployment runs it from one host's cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from plenary.workspaces.services.digests import send_digests


class Command(BaseCommand):
    help = "Send the workspace digests that are due."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{send_digests()} digests sent")
