"""``plenary live-origin``: follow the channels being recorded as live HLS."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand

from plenary.recordings.live import Origin


class Command(BaseCommand):
    help = "Package the channels of every session being recorded as live HLS, until stopped."

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write("Live origin: following the recordings")
        Origin().run(stopping.is_set)
