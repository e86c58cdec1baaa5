"""The embedded default: ``plenary serve`` runs one speech worker as its child.

Registered with ``plenary.core.children`` by the speech app; the server's
supervisor restarts the worker if it dies.
"""

from __future__ import annotations

import sys

from django.conf import settings

from plenary.core.children import Child, Subprocess


def worker_url(host: str, port: int) -> str:
    reachable = "127.0.0.1" if host in {"0.0.0.0", "::", ""} else host  # noqa: S104 - compared, not bound
    return f"ws://{reachable}:{port}/ws/speech/worker/"


def plan(host: str, port: int) -> Child | None:
    """``plenary speech-worker`` against this server, unless turned off."""
    if not settings.SPEECH_EMBEDDED_WORKER:
        return None
    argv = [sys.executable, "-m", "plenary", "speech-worker"]
    argv += ["--url", worker_url(host, port), "--name", "embedded"]
    return Child("speech-worker", lambda: Subprocess(argv))
