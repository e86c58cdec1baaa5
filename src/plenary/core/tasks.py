"""A small in-process task runner: one worker thread and a queue (the embedded mode).

Shared by the apps that work in the background (the annual report, document conversion).

Work submitted here never runs in the web request: the request stores a
job row and submits its id after commit; the worker does the work and keeps
the row's status and progress up to date, which pages poll. A scale-out
deployment replaces ``submit`` with a queue that workers on other hosts read.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection

logger = logging.getLogger(__name__)


class TaskRunner:
    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[Callable[..., Any], tuple[Any, ...]]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def submit(self, task: Callable[..., Any], *args: Any) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._work, name="plenary-tasks", daemon=True
                )
                self._thread.start()
        self._queue.put((task, args))

    def _work(self) -> None:
        while True:
            task, args = self._queue.get()
            close_old_connections()
            try:
                task(*args)
            except Exception:
                logger.exception("background task %s failed", getattr(task, "__name__", task))
            finally:
                # The thread's own connection: never leave it open between tasks.
                connection.close()
                self._queue.task_done()

    def join(self) -> None:
        """Wait until every submitted task has run (tests and shutdown)."""
        self._queue.join()


runner = TaskRunner()


def repeat(interval: float, name: str, task: Callable[[], Any]) -> threading.Thread:
    """Run ``task`` every ``interval`` seconds in a daemon thread of its own, for as long as
    the process lives (``plenary serve``'s periodic work: health samples, scan retries).
    A failure is logged and the next round comes; the thread's database connection is
    closed after each round."""

    def forever() -> None:
        stop = threading.Event()
        while not stop.wait(interval):
            close_old_connections()
            try:
                task()
            except Exception:
                logger.exception("periodic task %s failed", name)
            finally:
                connection.close()

    thread = threading.Thread(target=forever, name=name, daemon=True)
    thread.start()
    return thread
