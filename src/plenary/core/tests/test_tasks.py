"""Background jobs on Django's tasks framework and its database backend, run in-process
by its own worker (``db_worker --batch``); the worker killed under ``plenary serve``
is in ``tests/e2e/test_recovery.py``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from plenary.core import tasks
from plenary.core.health import run_checks

pytestmark = pytest.mark.django_db

DONE: list[int] = []


@tasks.task()
def note(value: int) -> None:
    DONE.append(value)


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
    assert run_checks()["components"]["tasks"]["data"] == {"due": 0, "running": 0}
    tasks.enqueue(note, 5)
    fresh = run_checks()["components"]["tasks"]
    assert fresh["status"] == "ok" and fresh["data"]["due"] == 1
    long_ago = timezone.now() - dt.timedelta(seconds=tasks.LATE_SECONDS + 60)
    DBTaskResult.objects.update(enqueued_at=long_ago)
    late = run_checks()["components"]["tasks"]
    assert late["status"] == "degraded" and late["ok"] and late["data"]["oldest_wait_s"] > 300
