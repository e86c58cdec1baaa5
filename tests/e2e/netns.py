"""Run a test module again inside a private network namespace, and collect its outcomes.

WebRTC cannot run over loopback alone (Janus and aiortc skip loopback when
gathering ICE candidates), so the media tests run inside a network namespace
that the test creates: ``unshare -n`` with a veth pair (10.99.0.1 and
10.99.0.2) that exists only there, so no packet can leave the machine. The
module is run again, inside, with ``PLENARY_MEDIA_NETNS=1``; outside, one
test per scenario reports that scenario's outcome. The namespace run uses
SQLite and the in-memory channel layer (PostgreSQL and Redis listen outside
the namespace).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from plenary.core.tests.live import free_port

IN_NAMESPACE = os.environ.get("PLENARY_MEDIA_NETNS") == "1"
ROOT = Path(__file__).resolve().parents[2]
# The interface Janus gathers ICE candidates on, inside the namespace.
INTERFACE = "v0"
NAMESPACE_SETUP = (
    "set -e; ip link set lo up; ip link add v0 type veth peer name v1;"
    " ip addr add 10.99.0.1/24 dev v0; ip addr add 10.99.0.2/24 dev v1;"
    " ip link set v0 up; ip link set v1 up;"
    # The browsers' and aiortc's ports stay out of Janus's RTP range (20000-40000),
    # so that a test can tell Janus's packets by their source port.
    ' echo "45000 60999" > /proc/sys/net/ipv4/ip_local_port_range; exec "$@"'
)


def reporting(module: str, scenarios: Sequence[str], timeout: float = 400) -> tuple[Any, Any]:
    """The module-scoped fixture ``namespace_results`` and the test that reports each
    scenario from it, for a module to bind at its top level::

        namespace_results, test_in_private_network = netns.reporting(__file__, SCENARIOS)
    """

    @pytest.fixture(scope="module")
    def namespace_results() -> Iterator[dict[str, str]]:
        with results_in_namespace(str(module), scenarios, timeout=timeout) as results:
            yield results

    @pytest.mark.parametrize("scenario", scenarios)
    def test_in_private_network(scenario: str, namespace_results: dict[str, str]) -> None:
        assert namespace_results[scenario] == "passed", namespace_results[scenario]

    return namespace_results, test_in_private_network


@contextmanager
def results_in_namespace(
    module: str, scenarios: Sequence[str], timeout: float
) -> Iterator[dict[str, str]]:
    """Run ``module``'s tests inside a fresh network namespace: the outcome per scenario,
    ``"passed"`` or the end of its failure."""
    if os.environ.get("DATABASE_URL") or os.environ.get("REDIS_URL"):
        # The namespace cannot reach PostgreSQL or Redis, so the run inside is the
        # embedded one whatever the leg: the SQLite leg has run exactly this.
        pytest.skip("the namespace run is SQLite and in-memory: the embedded leg ran it")
    if os.geteuid() != 0 or not shutil.which("unshare") or not shutil.which("ip"):
        pytest.fail("media tests need root, unshare and ip (iproute2) for a network namespace")
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.xml"
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL"}
        }
        env.update(
            PLENARY_MEDIA_NETNS="1",
            PLENARY_DATA_DIR=folder,
            PLENARY_JANUS_PORT=str(free_port()),
            PLENARY_JANUS_ICE_INTERFACES=INTERFACE,
        )
        run = subprocess.run(  # noqa: S603 - our own interpreter and module
            [
                shutil.which("unshare") or "/usr/bin/unshare",
                "-n",
                "sh",
                "-c",
                NAMESPACE_SETUP,
                "netns",
                sys.executable,
                "-m",
                "pytest",
                module,
                "-q",
                "-p",
                "no:cacheprovider",
                f"--junitxml={report}",
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        results = dict.fromkeys(scenarios, run.stdout[-4000:] + run.stderr[-2000:])
        if report.exists():
            for case in ET.parse(report).iter("testcase"):  # noqa: S314 - our own file
                failure = case.find("failure")
                if failure is None:
                    failure = case.find("error")
                results[case.attrib["name"]] = (
                    "passed" if failure is None else (failure.text or "")[-4000:]
                )
        yield results


def run_in_namespace() -> None:
    """For a benchmark script: outside the namespace, run this script again inside a
    fresh one (on SQLite and in memory) and exit with its status; inside, return."""
    if IN_NAMESPACE:
        return
    env = {**os.environ, "PLENARY_MEDIA_NETNS": "1", "PLENARY_JANUS_ICE_INTERFACES": INTERFACE}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    unshare = shutil.which("unshare") or "/usr/bin/unshare"
    command = [unshare, "-n", "sh", "-c", NAMESPACE_SETUP, "netns", sys.executable, *sys.argv]
    sys.exit(subprocess.run(command, env=env, check=False).returncode)  # noqa: S603
