"""What ``plenary serve`` runs besides the web server, and its supervision.

Apps register their children here the way they register health checks, so
that ``serve`` (in ``core``) imports no domain app:

- a *child process* plan (:func:`register_process`): given the address the
  server binds, a :class:`Child` to run, or ``None`` where it does not apply
  (Janus when external Janus servers are configured, the speech worker when
  turned off);
- a *start-up step* (:func:`before_serving`): run once the children are up
  and before the first client is served (restore moderation, start a
  sampling thread).

:class:`Supervisor` starts the children in order, watches them from one
thread and restarts any that exits, after a backoff that grows while it keeps
dying quickly. A child that dies ``GIVE_UP_AFTER`` times in a row without
staying up is reported as down and retried only every ``DOWN_RETRY_SECONDS``:
never in a hot loop. Every exit and restart is logged, written to the audit
log, and visible in ``/healthz`` (component ``process.<name>``).
"""

from __future__ import annotations

import contextlib
import ctypes
import enum
import functools
import logging
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from django.db import close_old_connections

from plenary.core import health
from plenary.core.health import ComponentHealth

logger = logging.getLogger(__name__)

# Seconds to wait before the n-th restart in a row (the last one repeats).
BACKOFF_SECONDS = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0)
# A child up this long has recovered: its next death is a first one again.
STABLE_AFTER_SECONDS = 30.0
GIVE_UP_AFTER = 5
DOWN_RETRY_SECONDS = 60.0
POLL_SECONDS = 0.1


class Process(Protocol):
    """A running child: ``poll()`` is its exit status, ``None`` while it runs."""

    @property
    def pid(self) -> int | None: ...

    def poll(self) -> int | None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Child:
    """A child process to run: ``start()`` starts it, returns once it is ready,
    and raises if it cannot be started."""

    name: str
    start: Callable[[], Process]


_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: signal.Signals = signal.SIGTERM, parent: int | None = None) -> None:
    """In a child (``preexec_fn``): get ``sig`` when the server dies, even if it had no
    time to stop it (SIGKILL). Linux sends it when the *thread* that started the
    child ends: start children from the main thread or the supervisor's.

    ``parent``: the pid of the process that started the child; if it died between
    the fork and this call (the signal then never comes), the child gets ``sig`` now.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, sig)
    if parent is not None and os.getppid() != parent:
        os.kill(os.getpid(), sig)


class Subprocess:
    """A plain child process (``argv``), in its own session: a Ctrl-C in the
    terminal reaches ``plenary serve`` only, which stops its children in order."""

    def __init__(
        self,
        argv: Sequence[str],
        stop_timeout: float = 10.0,
        death_signal: signal.Signals = signal.SIGTERM,
    ):
        """``death_signal``: what the child gets if this process dies without stopping it;
        SIGKILL for a child that may not act on SIGTERM then (an ffmpeg following a file
        that no longer grows waits inside its read and takes one SIGTERM as a request to
        finish, which never comes)."""
        preexec = functools.partial(die_with_parent, death_signal, os.getpid())
        self._popen = subprocess.Popen(  # noqa: S603 - our own commands
            list(argv),
            start_new_session=True,
            preexec_fn=preexec,  # noqa: PLW1509 - started by the main or supervisor thread
        )
        self._stop_timeout = stop_timeout

    @property
    def pid(self) -> int | None:
        return self._popen.pid

    def poll(self) -> int | None:
        return self._popen.poll()

    def stop(self) -> None:
        if self._popen.poll() is not None:
            return
        self._popen.terminate()
        try:
            self._popen.wait(self._stop_timeout)
        except subprocess.TimeoutExpired:
            self._popen.kill()
            self._popen.wait()


ProcessPlan = Callable[[str, int], Child | None]
StartupStep = Callable[[], object]
_plans: list[ProcessPlan] = []
_steps: list[StartupStep] = []


def register_process(plan: ProcessPlan) -> ProcessPlan:
    """Register ``plan(host, port)``: the child ``plenary serve`` runs, if any."""
    _plans.append(plan)
    return plan


def before_serving(step: StartupStep) -> StartupStep:
    """Register ``step()``, run by ``plenary serve`` after its children start, before serving."""
    _steps.append(step)
    return step


def planned(host: str, port: int) -> list[Child]:
    return [child for plan in _plans if (child := plan(host, port)) is not None]


def run_startup_steps() -> None:
    for step in _steps:
        try:
            step()
        except Exception:  # one failed step must not keep the server from serving
            logger.exception("start-up step %s failed", getattr(step, "__name__", step))


class State(enum.StrEnum):
    STARTING = "starting"
    RUNNING = "running"
    RESTARTING = "restarting"
    DOWN = "down"
    STOPPED = "stopped"


@dataclass
class Watched:
    """A child and what the supervisor knows of it."""

    child: Child
    process: Process | None = None
    state: State = State.STARTING
    restarts: int = 0
    failures: int = 0  # deaths in a row without staying up
    started_at: float = 0.0
    next_start: float = 0.0
    last_exit: int | None = None

    def health(self) -> ComponentHealth:
        data = {
            "state": str(self.state),
            "restarts": self.restarts,
            "pid": self.process.pid if self.process and self.state == State.RUNNING else None,
            "last_exit": self.last_exit,
        }
        detail = str(self.state)
        if self.state in {State.RESTARTING, State.DOWN} and self.last_exit is not None:
            detail = f"{self.state} (exited with status {self.last_exit})"
        return ComponentHealth(
            ok=self.state == State.RUNNING, detail=detail, data=data, status=str(self.state)
        )


def _audit(action: str, watched: Watched) -> None:
    from plenary.core.models import AuditEntry

    try:
        AuditEntry.objects.create(
            action=action,
            target_type="process",
            target_id=watched.child.name,
            target_repr=watched.child.name,
            data={"restarts": watched.restarts, "exit": watched.last_exit},
        )
    except Exception:  # the audit must never stop the supervision
        logger.exception("could not audit %s of %s", action, watched.child.name)
    finally:
        close_old_connections()


class Supervisor:
    """Runs ``children``, restarting each that exits, until :meth:`stop`."""

    def __init__(
        self,
        children: Sequence[Child],
        *,
        backoff: Sequence[float] = BACKOFF_SECONDS,
        stable_after: float = STABLE_AFTER_SECONDS,
        give_up_after: int = GIVE_UP_AFTER,
        down_retry: float = DOWN_RETRY_SECONDS,
        poll: float = POLL_SECONDS,
    ):
        self.watched = [Watched(child) for child in children]
        self._backoff = tuple(backoff)
        self._stable_after = stable_after
        self._give_up_after = give_up_after
        self._down_retry = down_retry
        self._poll = poll
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def __getitem__(self, name: str) -> Watched:
        return next(w for w in self.watched if w.child.name == name)

    def start(self) -> None:
        """Start every child in order, in this thread, then watch them from another.

        A child that fails to start is retried by the watcher like one that died.
        """
        for watched in self.watched:
            health.register(f"process.{watched.child.name}")(watched.health)
            self._launch(watched)
        self._thread = threading.Thread(target=self._watch, name="plenary-supervisor", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop watching, then stop the children in reverse order."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        for watched in reversed(self.watched):
            if watched.process is not None:
                with contextlib.suppress(Exception):
                    watched.process.stop()
            watched.state = State.STOPPED
            health.unregister(f"process.{watched.child.name}")

    def _launch(self, watched: Watched) -> None:
        try:
            watched.process = watched.child.start()
        except Exception as exc:
            logger.error("%s could not be started: %s", watched.child.name, exc)
            watched.process = None
            self._failed(watched, None)
            return
        watched.state = State.RUNNING
        watched.started_at = time.monotonic()
        logger.info("%s running (pid %s)", watched.child.name, watched.process.pid)

    def _failed(self, watched: Watched, status: int | None) -> None:
        """``watched`` exited (or could not start): schedule its next start."""
        up_for = time.monotonic() - watched.started_at if watched.started_at else 0.0
        watched.failures = 1 if up_for >= self._stable_after else watched.failures + 1
        watched.last_exit = status
        if watched.failures >= self._give_up_after:
            watched.state = State.DOWN
            delay = self._down_retry
            logger.error(
                "%s keeps dying (%s times in a row): down, next try in %.0f s",
                watched.child.name,
                watched.failures,
                delay,
            )
            _audit("process.down", watched)
        else:
            watched.state = State.RESTARTING
            delay = self._backoff[min(watched.failures - 1, len(self._backoff) - 1)]
        watched.next_start = time.monotonic() + delay

    def _watch(self) -> None:
        while not self._stopping.wait(self._poll):
            for watched in self.watched:
                try:
                    self._check(watched)
                except Exception:  # the watcher itself must never die
                    logger.exception("supervising %s failed", watched.child.name)

    def _check(self, watched: Watched) -> None:
        if watched.state == State.RUNNING:
            status = watched.process.poll() if watched.process else None
            if status is None:
                return
            logger.warning("%s exited with status %s; restarting", watched.child.name, status)
            self._failed(watched, status)
            _audit("process.exited", watched)
        if (
            watched.state in {State.RESTARTING, State.DOWN}
            and time.monotonic() >= watched.next_start
        ):
            if self._stopping.is_set():
                return
            self._launch(watched)
            if watched.state == State.RUNNING:
                watched.restarts += 1
                _audit("process.restarted", watched)
