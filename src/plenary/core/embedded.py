"""The task worker as a child of ``plenary serve`` (registered by the core app).

The embedded default's one worker (``plenary tasks-worker --requeue``): the
server's supervisor restarts it if it dies, and it first queues again the job
its predecessor was running. A scale-out deployment turns it off
(``PLENARY_TASKS_EMBEDDED_WORKER=false``) and runs workers on hosts of their own.
"""

from __future__ import annotations

import sys

from django.conf import settings

from plenary.core.children import Child, Subprocess


def plan(host: str, port: int) -> Child | None:
    if not settings.TASKS_EMBEDDED_WORKER:
        return None
    argv = [sys.executable, "-m", "plenary", "tasks-worker", "--requeue"]
    return Child("tasks-worker", lambda: Subprocess(argv))
