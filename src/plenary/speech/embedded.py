"""The embedded default: ``plenary serve`` starts one speech worker as its child."""

from __future__ import annotations

import atexit
import subprocess
import sys

from django.conf import settings


def start_embedded_worker(host: str, port: int) -> subprocess.Popen[bytes] | None:
    """Start ``plenary speech-worker`` against this server; stopped when the server exits."""
    if not settings.SPEECH_EMBEDDED_WORKER:
        return None
    reachable = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104 - compared, not bound
    url = f"ws://{reachable}:{port}/ws/speech/worker/"
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and command
        [sys.executable, "-m", "plenary", "speech-worker", "--url", url, "--name", "embedded"]
    )
    atexit.register(worker.terminate)
    return worker
