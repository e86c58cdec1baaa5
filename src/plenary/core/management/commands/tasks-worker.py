"""``plenary tasks-worker``: run the queued background jobs until stopped."""

from __future__ import annotations

import logging
import os
import socket
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from plenary.core.tasks import beat, requeue_abandoned

logger = logging.getLogger(__name__)


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
        worker_id = f"{socket.gethostname()[:40]}-{os.getpid()}"
        beat(worker_id)
        stopping = threading.Event()
        heartbeat = threading.Thread(
            target=_beat_until, args=(worker_id, stopping), name="heartbeat", daemon=True
        )
        heartbeat.start()
        self.stdout.write(f"Task worker {worker_id}: running the queued jobs")
        try:
            call_command(
                "db_worker",
                interval=options["interval"],
                startup_delay=False,
                worker_id=worker_id,
            )
        finally:
            stopping.set()


def _beat_until(worker_id: str, stopping: threading.Event) -> None:
    """The heartbeat, three times per ``TASKS_WORKER_TIMEOUT``, while jobs run beside it."""
    while not stopping.wait(settings.TASKS_WORKER_TIMEOUT / 3):
        try:
            beat(worker_id)
        except Exception:
            logger.exception("Task worker heartbeat failed; trying again")
        finally:
            connection.close()
