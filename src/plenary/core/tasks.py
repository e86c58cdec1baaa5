"""Background work: Django's tasks framework (``django-tasks``, the backport of Django
6's ``django.tasks``: the move to Django 6 changes an import) on its database backend.

An app declares a job with :func:`task` and queues it with :func:`enqueue` in the
same transaction as the row it works on (the annual report, a document's
conversion, a recording's packaging): the job is stored with it or not at all,
and never runs in the web request. ``plenary tasks-worker`` runs the queued
jobs; ``plenary serve`` supervises one (``core.embedded``), and a scale-out
deployment runs any number on other hosts against the same PostgreSQL
database (the worker locks each job it takes, ``SKIP LOCKED``). Jobs keep their
row's status and progress up to date, which pages poll, and are written to be
run again: a worker that dies in the middle leaves its job ``RUNNING``, and the
next embedded worker queues it again (:func:`requeue_abandoned`).

:func:`repeat` is the periodic work of ``plenary serve`` (health samples, scan
retries), a thread of its own.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task
from django_tasks.base import Task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction
from prometheus_client.core import Metric

from plenary.core import health, metrics
from plenary.core.health import ComponentHealth

logger = logging.getLogger(__name__)

# A due job waiting longer than this makes ``/healthz`` say the queue is degraded.
LATE_SECONDS = 300.0

__all__ = [
    "Task",
    "enqueue",
    "enqueue_in",
    "queued",
    "repeat",
    "requeue_abandoned",
    "run_queued",
    "task",
]


def enqueue(job: Task[..., Any], *args: Any) -> None:
    """Queue ``job(*args)`` (JSON arguments: ids). Inside a transaction it is queued
    with what the transaction writes, or not at all."""
    job.enqueue(*args)


def enqueue_in(seconds: float, job: Task[..., Any], *args: Any) -> None:
    """Queue ``job(*args)`` to run in ``seconds`` (a retry: the disk may be full now)."""
    job.using(run_after=timezone.now() + dt.timedelta(seconds=seconds)).enqueue(*args)


def queued(job: Task[..., Any]) -> list[list[Any]]:
    """The arguments of each run of ``job`` waiting in the queue, oldest first."""
    waiting = DBTaskResult.objects.filter(task_path=job.module_path, status=TaskResultStatus.READY)
    return [result.args_kwargs["args"] for result in waiting.order_by("enqueued_at")]


def run_queued() -> None:
    """Run every job that is due, here, one after the other as ``db_worker`` does, then
    return (tests, one-off maintenance). Unlike ``db_worker --batch`` it keeps the
    caller's database connection (and so its transaction) open."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name=DEFAULT_TASK_BACKEND_ALIAS,
        startup_delay=False,
        max_tasks=None,
        worker_id="in-process",
        excluded_queue_names=[],
    )
    while True:
        with exclusive_transaction():
            due = DBTaskResult.objects.ready().filter(backend_name=DEFAULT_TASK_BACKEND_ALIAS)
            result = due.get_locked()
            if result is None:
                return
            result.claim(worker.worker_id)
        worker.run_task(result)


def requeue_abandoned() -> int:
    """Queue again the jobs a dead worker left running (the embedded default has one
    worker: any job still running when it starts was its predecessor's); how many."""
    count = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).update(
        status=TaskResultStatus.READY, started_at=None
    )
    if count:
        logger.warning("%s job(s) left running by a dead worker: queued again", count)
    return count


@health.register("tasks")
def check_queue() -> ComponentHealth:
    """How many jobs are due and how long the oldest has waited: ``degraded`` once it
    waits more than ``LATE_SECONDS`` (no worker runs, or the workers cannot keep up)."""
    now = timezone.now()
    due = DBTaskResult.objects.ready()
    oldest = due.order_by("run_after", "enqueued_at").first()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    if oldest is None:
        return ComponentHealth(ok=True, data={"due": 0, "running": running})
    # Due since it was queued, or since the moment it was queued for (a retry).
    since = oldest.enqueued_at
    if oldest.run_after <= now:
        since = max(since, oldest.run_after)
    waited = max((now - since).total_seconds(), 0.0)
    data = {"due": due.count(), "running": running, "oldest_wait_s": round(waited, 1)}
    if waited > LATE_SECONDS:
        return ComponentHealth(ok=True, status="degraded", detail="jobs are waiting", data=data)
    return ComponentHealth(ok=True, data=data)


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


@metrics.collector
def queue_metrics() -> list[Metric]:
    data = check_queue().data
    return [
        metrics.gauge("plenary_tasks_due", "Background jobs due to run.", {(): data["due"]}, []),
        metrics.gauge(
            "plenary_tasks_running", "Background jobs running.", {(): data["running"]}, []
        ),
        metrics.gauge(
            "plenary_tasks_oldest_wait_seconds",
            "How long the oldest due job has waited.",
            {(): data.get("oldest_wait_s", 0.0)},
            [],
        ),
    ]
