"""``plenary tasks-worker``: run the queued background jobs until stopped."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from plenary.core.tasks import requeue_abandoned


class Command(BaseCommand):
    help = "Run the queued background jobs (reports, conversions, packaging) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--requeue",
            action="store_true",
            help="First queue again the jobs left running (only where this is the one worker).",
        )
        parser.add_argument("--interval", type=float, default=1.0, help="Seconds between polls.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["requeue"]:
            requeue_abandoned()
        self.stdout.write("Task worker: running the queued jobs")
        call_command("db_worker", interval=options["interval"], startup_delay=False)
