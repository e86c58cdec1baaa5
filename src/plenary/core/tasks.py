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
next embedded worker queues it again (:func:`requeue_abandoned`). In a scale-out
every worker beats (:func:`beat`, ``TaskWorker``) and queues again the jobs of
workers whose heartbeat stopped (:func:`requeue_orphaned`): a dead host's job
is taken up by another.

:func:`repeat` is the periodic work of ``plenary serve`` (health samples, scan
retries), a thread of its own.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, TaskResultStatus, task
from django_tasks.base import Task
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction
from prometheus_client.core import Metric

from plenary.core import health, metrics
from plenary.core.health import ComponentHealth
from plenary.core.models import PeriodicJob, TaskWorker

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
        worker_id=IN_PROCESS,
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


@dataclass(frozen=True)
class Periodic:
    job: Task[[], Any]
    interval: Callable[[], float]


_periodic: dict[str, Periodic] = {}


def every(interval: Callable[[], float], job: Task[[], Any]) -> Task[[], Any]:
    """Queue ``job`` (a task without arguments) every ``interval()`` seconds (0 or less:
    never), to run on one of the task workers; returns it."""
    _periodic[job.module_path] = Periodic(job, interval)
    return job


def queue_periodic() -> list[str]:
    """Queue the periodic jobs that are due; which. Every worker calls this at each
    heartbeat: the conditional update of the job's row lets only one of them queue a run."""
    now = timezone.now()
    queued = []
    for name, periodic in _periodic.items():
        interval = periodic.interval()
        if interval <= 0:
            continue
        row, _created = PeriodicJob.objects.get_or_create(name=name, defaults={"next_at": now})
        if row.next_at > now:
            continue
        with transaction.atomic():
            moved = PeriodicJob.objects.filter(pk=row.pk, next_at=row.next_at).update(
                next_at=now + dt.timedelta(seconds=interval)
            )
            if moved:
                enqueue(periodic.job)
                queued.append(name)
    return queued


# The worker of ``run_queued``: no heartbeat (tests, one-off maintenance); never orphaned.
IN_PROCESS = "in-process"


def beat(worker_id: str) -> None:
    """``worker_id`` is alive (its heartbeat); then the orphans of dead workers are
    queued again, the periodic jobs that are due queued, and workers gone for a day
    forgotten."""
    now = timezone.now()
    TaskWorker.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(), "seen_at": now},
    )
    requeue_orphaned()
    queue_periodic()
    TaskWorker.objects.filter(seen_at__lt=now - dt.timedelta(days=1)).delete()


def requeue_orphaned() -> int:
    """Queue again the jobs running for longer than ``TASKS_WORKER_TIMEOUT`` on a
    worker whose heartbeat is older than that (or that never beat); how many."""
    cutoff = timezone.now() - dt.timedelta(seconds=settings.TASKS_WORKER_TIMEOUT)
    alive = set(TaskWorker.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True))
    count = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=cutoff)
    for result in running.only("id", "worker_ids", "started_at"):
        worker = result.worker_ids[-1] if result.worker_ids else ""
        if worker in alive or worker == IN_PROCESS:
            continue
        # Unless another worker queued it again (and one took it) meanwhile.
        count += DBTaskResult.objects.filter(
            pk=result.pk, status=TaskResultStatus.RUNNING, started_at=result.started_at
        ).update(status=TaskResultStatus.READY, started_at=None)
        logger.warning(
            "Job %s was left running by %s, whose heartbeat stopped: queued again",
            result.pk,
            worker or "an unknown worker",
        )
    return count


@health.register("tasks")
def check_queue() -> ComponentHealth:
    """How many jobs are due and how long the oldest has waited: ``degraded`` once it
    waits more than ``LATE_SECONDS`` (no worker runs, or the workers cannot keep up)."""
    now = timezone.now()
    due = DBTaskResult.objects.ready()
    oldest = due.order_by("run_after", "enqueued_at").first()
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count()
    cutoff = now - dt.timedelta(seconds=settings.TASKS_WORKER_TIMEOUT)
    workers = TaskWorker.objects.filter(seen_at__gte=cutoff).count()
    if oldest is None:
        return ComponentHealth(ok=True, data={"due": 0, "running": running, "workers": workers})
    # Due since it was queued, or since the moment it was queued for (a retry).
    since = oldest.enqueued_at
    if oldest.run_after <= now:
        since = max(since, oldest.run_after)
    waited = max((now - since).total_seconds(), 0.0)
    data = {"due": due.count(), "running": running, "oldest_wait_s": round(waited, 1)}
    data["workers"] = workers
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
