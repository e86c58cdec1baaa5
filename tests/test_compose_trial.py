"""The compose trial brought up for real: every service of ``deploy/compose`` up,
``/healthz`` through haproxy saying every component is ok (PostgreSQL, Redis, the
task queue, both Janus, both speech workers), then everything taken down
(``deploy/compose/trial.sh``, which builds the image from Debian's packages when
it is missing: a few minutes, once per machine).

Docker's daemon is started here if none runs (root, Debian's ``docker.io``). Where
it cannot run, the test says why and stops there: the compose file is then only
checked by ``docker-compose config`` (``test_deploy.py``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

TRIAL = Path(__file__).resolve().parents[1] / "deploy" / "compose" / "trial.sh"


def _docker_answers() -> bool:
    docker = shutil.which("docker")
    return docker is not None and (
        subprocess.run([docker, "info"], capture_output=True, check=False).returncode == 0  # noqa: S603
    )


@contextmanager
def docker_daemon() -> Iterator[None]:
    """A running Docker daemon: the one there is, or one started for the test."""
    if _docker_answers():
        yield
        return
    dockerd = shutil.which("dockerd")
    if dockerd is None or os.geteuid() != 0:
        pytest.skip("Docker's daemon cannot run here (needs root and docker.io)")
    with tempfile.TemporaryFile() as log:
        # No iptables rules or default bridge: the trial's network brings its own.
        daemon = subprocess.Popen(  # noqa: S603 - Debian's dockerd
            [dockerd, "--iptables=false", "--bridge=none"], stdout=log, stderr=log
        )
        try:
            for _ in range(60):
                if _docker_answers() or daemon.poll() is not None:
                    break
                time.sleep(0.5)
            if not _docker_answers():
                log.seek(0)
                pytest.skip(f"Docker's daemon cannot run here: {log.read()[-600:]!r}")
            yield
        finally:
            daemon.terminate()
            daemon.wait(60)


def test_the_compose_trial_comes_up_healthy_and_goes_down() -> None:
    if os.environ.get("DATABASE_URL") or os.environ.get("REDIS_URL"):
        pytest.skip("the trial brings its own PostgreSQL and Redis: the embedded leg ran it")
    with docker_daemon():
        run = subprocess.run(  # noqa: S603 - our own script
            [str(TRIAL)], capture_output=True, text=True, timeout=1500, check=False
        )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "The compose trial is up and healthy." in run.stdout
