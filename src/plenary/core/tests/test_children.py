"""The supervisor of ``plenary serve``'s children, with real child processes."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator

import pytest
from django.test import Client

from plenary.core import health
from plenary.core.children import Child, State, Subprocess, Supervisor
from plenary.core.models import AuditEntry
from plenary.core.tests.processes import alive, until

pytestmark = pytest.mark.django_db(transaction=True)

SLEEPER = [sys.executable, "-c", "import time; time.sleep(600)"]
QUITTER = [sys.executable, "-c", "raise SystemExit(3)"]


@pytest.fixture
def supervise() -> Iterator[Callable[..., Supervisor]]:
    started: list[Supervisor] = []

    def start(*children: Child, **options: float) -> Supervisor:
        supervisor = Supervisor(children, **options)  # type: ignore[arg-type]
        supervisor.start()
        started.append(supervisor)
        return supervisor

    yield start
    for supervisor in started:
        supervisor.stop()


def test_a_killed_child_is_restarted_and_its_restart_is_reported(
    supervise: Callable[..., Supervisor], client: Client
) -> None:
    supervisor = supervise(Child("sleeper", lambda: Subprocess(SLEEPER)))
    first = supervisor["sleeper"].process
    assert first is not None and first.pid is not None

    os.kill(first.pid, signal.SIGKILL)
    until(lambda: supervisor["sleeper"].restarts == 1)

    watched = supervisor["sleeper"]
    assert watched.state == State.RUNNING
    assert watched.process is not None and watched.process.pid != first.pid
    assert alive(watched.process.pid)  # type: ignore[arg-type]
    component = client.get("/healthz").json()["components"]["process.sleeper"]
    assert component["ok"] is True
    assert component["status"] == "running"
    assert component["data"]["restarts"] == 1
    assert component["data"]["last_exit"] == -signal.SIGKILL
    actions = AuditEntry.objects.filter(target_type="process", target_id="sleeper")
    assert set(actions.values_list("action", flat=True)) == {"process.exited", "process.restarted"}


def test_a_child_that_keeps_dying_is_reported_down_and_not_retried_in_a_loop(
    supervise: Callable[..., Supervisor], client: Client
) -> None:
    launches: list[Subprocess] = []

    def start() -> Subprocess:
        launches.append(Subprocess(QUITTER))
        return launches[-1]

    supervisor = supervise(
        Child("quitter", start), backoff=(0.0, 0.05), give_up_after=3, down_retry=3600
    )
    until(lambda: supervisor["quitter"].state == State.DOWN)
    time.sleep(1.0)  # a hot loop would have started it many more times by now
    assert len(launches) == 3
    response = client.get("/healthz")
    assert response.status_code == 503
    component = response.json()["components"]["process.quitter"]
    assert (component["ok"], component["status"]) == (False, "down")
    assert component["detail"] == "down (exited with status 3)"
    assert AuditEntry.objects.filter(action="process.down", target_id="quitter").exists()


def test_a_child_waiting_for_its_restart_is_reported_restarting(
    supervise: Callable[..., Supervisor], client: Client
) -> None:
    supervisor = supervise(
        Child("sleeper", lambda: Subprocess(SLEEPER)), backoff=(3600.0,), give_up_after=5
    )
    pid = supervisor["sleeper"].process.pid  # type: ignore[union-attr]
    os.kill(pid, signal.SIGKILL)  # type: ignore[arg-type]
    until(lambda: supervisor["sleeper"].state == State.RESTARTING)
    response = client.get("/healthz")
    assert response.status_code == 503
    component = response.json()["components"]["process.sleeper"]
    assert (component["ok"], component["status"]) == (False, "restarting")


def test_a_child_that_cannot_start_is_retried(supervise: Callable[..., Supervisor]) -> None:
    attempts: list[int] = []

    def start() -> Subprocess:
        attempts.append(1)
        if len(attempts) == 1:
            raise RuntimeError("port in use")
        return Subprocess(SLEEPER)

    supervisor = supervise(Child("flaky", start), backoff=(0.0,))
    until(lambda: supervisor["flaky"].state == State.RUNNING)
    assert len(attempts) == 2


def test_stopping_stops_every_child_and_its_health_check() -> None:
    supervisor = Supervisor([Child("sleeper", lambda: Subprocess(SLEEPER))])
    supervisor.start()
    pid = supervisor["sleeper"].process.pid  # type: ignore[union-attr]
    supervisor.stop()
    assert not alive(pid)  # type: ignore[arg-type]
    assert "process.sleeper" not in health._checks
