"""Background jobs on Django's tasks framework and its database backend, run in-process
by its own worker (``db_worker --batch``); the worker killed under ``plenary serve``
is in ``tests/e2e/test_recovery.py``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from plenary.core import tasks
from plenary.core.health import run_checks
from plenary.core.models import PeriodicJob, TaskWorker

pytestmark = pytest.mark.django_db

DONE: list[int] = []


@tasks.task()
def note(value: int) -> None:
    DONE.append(value)


@tasks.task()
def chime() -> None:
    DONE.append(0)


@pytest.fixture(autouse=True)
def forget() -> None:
    DONE.clear()


def test_a_job_is_queued_with_its_transaction_or_not_at_all() -> None:
    with transaction.atomic():
        tasks.enqueue(note, 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        tasks.enqueue(note, 2)
        raise RuntimeError("the request failed")
    assert tasks.queued(note) == [[1]]
    tasks.run_queued()
    assert DONE == [1] and tasks.queued(note) == []


def test_a_retry_waits_for_its_time() -> None:
    tasks.enqueue_in(60, note, 3)
    tasks.run_queued()
    assert DONE == [] and tasks.queued(note) == [[3]]
    DBTaskResult.objects.update(run_after=timezone.now() - dt.timedelta(seconds=1))
    tasks.run_queued()
    assert DONE == [3]


def test_a_job_a_dead_worker_left_running_is_queued_again() -> None:
    tasks.enqueue(note, 4)
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    tasks.run_queued()
    assert DONE == []
    assert tasks.requeue_abandoned() == 1
    tasks.run_queued()
    assert DONE == [4] and tasks.requeue_abandoned() == 0


def test_healthz_says_when_jobs_wait_too_long() -> None:
    assert run_checks()["components"]["tasks"]["data"] == {"due": 0, "running": 0, "workers": 0}
    tasks.enqueue(note, 5)
    fresh = run_checks()["components"]["tasks"]
    assert fresh["status"] == "ok" and fresh["data"]["due"] == 1
    long_ago = timezone.now() - dt.timedelta(seconds=tasks.LATE_SECONDS + 60)
    DBTaskResult.objects.update(enqueued_at=long_ago)
    late = run_checks()["components"]["tasks"]
    assert late["status"] == "degraded" and late["ok"] and late["data"]["oldest_wait_s"] > 300


def _running(value: int, worker: str, minutes_ago: float) -> DBTaskResult:
    tasks.enqueue(note, value)
    result = DBTaskResult.objects.get(args_kwargs__args=[value])
    result.status, result.worker_ids = "RUNNING", [worker] if worker else []
    result.started_at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    result.save()
    return result


def test_the_jobs_of_a_worker_whose_heartbeat_stopped_are_queued_again(settings: Any) -> None:
    settings.TASKS_WORKER_TIMEOUT = 30
    tasks.beat("alive-host-1")
    TaskWorker.objects.create(
        worker_id="dead-host-7", host="dead", pid=7, seen_at=timezone.now() - dt.timedelta(hours=1)
    )
    orphan = _running(10, "dead-host-7", minutes_ago=5)
    nobody = _running(11, "", minutes_ago=5)  # claimed, and its worker never beat
    busy = _running(12, "alive-host-1", minutes_ago=5)  # a long job on a live worker
    fresh = _running(13, "dead-host-7", minutes_ago=0)  # just started: not yet
    here = _running(14, tasks.IN_PROCESS, minutes_ago=5)
    assert tasks.requeue_orphaned() == 2
    status = dict(DBTaskResult.objects.values_list("id", "status"))
    assert (status[orphan.pk], status[nobody.pk]) == ("READY", "READY")
    assert {status[busy.pk], status[fresh.pk], status[here.pk]} == {"RUNNING"}
    assert tasks.requeue_orphaned() == 0
    # /healthz counts the workers alive; those gone for a day are forgotten at a beat.
    assert run_checks()["components"]["tasks"]["data"]["workers"] == 1
    TaskWorker.objects.filter(worker_id="dead-host-7").update(
        seen_at=timezone.now() - dt.timedelta(days=2)
    )
    tasks.beat("alive-host-1")
    assert list(TaskWorker.objects.values_list("worker_id", flat=True)) == ["alive-host-1"]


def test_a_periodic_job_is_queued_once_per_interval_whoever_asks(settings: Any) -> None:
    interval = {"seconds": 60.0}
    tasks.every(lambda: interval["seconds"], chime)
    try:
        assert "plenary.core.tests.test_tasks.chime" in tasks.queue_periodic()
        # A second worker's heartbeat, at once: not due again.
        assert "plenary.core.tests.test_tasks.chime" not in tasks.queue_periodic()
        assert tasks.queued(chime) == [[]]
        tasks.run_queued()
        assert DONE == [0]
        # Due again once its time has come.
        PeriodicJob.objects.update(next_at=timezone.now() - dt.timedelta(seconds=1))
        assert "plenary.core.tests.test_tasks.chime" in tasks.queue_periodic()
        # Turned off (interval 0): never queued.
        PeriodicJob.objects.update(next_at=timezone.now() - dt.timedelta(seconds=1))
        interval["seconds"] = 0
        assert "plenary.core.tests.test_tasks.chime" not in tasks.queue_periodic()
    finally:
        tasks._periodic.pop(chime.module_path)


def test_the_apps_periodic_jobs_are_registered() -> None:
    names = set(tasks._periodic)
    assert {
        "plenary.workspaces.services.digests.send_due_digests",
        "plenary.workspaces.services.calls.end_calls_left_alone",
        "plenary.recordings.services.apply_retention",
        "plenary.documents.services.processing.retry_waiting_scans",
    } <= names


def test_a_job_that_cannot_be_read_fails_alone_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    tasks.enqueue(note, 20)
    DBTaskResult.objects.update(task_path="plenary.nowhere.job")  # a job from another release
    tasks.enqueue(note, 21)
    DBTaskResult.objects.filter(args_kwargs__args=[21]).update(
        args_kwargs={"args": "not a list", "kwargs": {}}  # a payload that cannot be used
    )
    tasks.enqueue(note, 22)
    tasks.run_queued()
    assert DONE == [22]
    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert "failed unexpectedly" in caplog.text
