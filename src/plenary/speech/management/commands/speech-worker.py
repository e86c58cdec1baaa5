"""``plenary speech-worker``: run a speech worker against a control plane."""

from __future__ import annotations

import asyncio
import os
import socket
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from plenary.speech.batching import max_batch, stream_capacity
from plenary.speech.engines.loader import device
from plenary.speech.services import worker_token
from plenary.speech.worker.client import WorkerClient


class Command(BaseCommand):
    help = "Caption the audio channels the control plane assigns to this worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--url",
            default=os.environ.get(
                "PLENARY_SPEECH_CONTROL_URL", "ws://127.0.0.1:8000/ws/speech/worker/"
            ),
            help="The control plane's worker socket.",
        )
        parser.add_argument("--name", default=socket.gethostname())
        parser.add_argument(
            "--capacity",
            type=int,
            default=0,
            help="Live streams this worker carries (default: PLENARY_SPEECH_CAPACITY, or from "
            "the machine: a GPU's batch, one stream per two CPU cores).",
        )
        parser.add_argument(
            "--batch",
            type=int,
            default=0,
            help="Most stream passes in one model call (default: PLENARY_SPEECH_BATCH_SIZE, "
            "or 4 on CPU, 64 on a GPU).",
        )
        parser.add_argument(
            "--rtp-host", default="127.0.0.1", help="Address to receive RTP from Janus on."
        )

    def handle(
        self,
        *args: Any,
        url: str,
        name: str,
        capacity: int,
        batch: int,
        rtp_host: str,
        **options: Any,
    ) -> None:
        on = device()
        client = WorkerClient(
            url,
            worker_token(),
            name=name,
            device=on,
            capacity=capacity or stream_capacity(),
            max_batch=batch or max_batch(),
            bind_host=rtp_host,
        )
        self.stdout.write(f"Speech worker {name} ({on}) -> {url}")
        try:
            asyncio.run(client.run_forever())
        except KeyboardInterrupt:
            client.stop_all()
