"""The files in ``deploy/`` are read by the tools that will run them, and name real things.

haproxy checks its configurations (``haproxy -c``, with a certificate made
here); docker-compose validates the compose file; every Plenary command the
units and services run exists; every setting read from the environment is
documented. The compose trial is brought up for real by ``test_compose_trial.py``.
"""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
PROCESSES = {
    "db", "redis", "migrate", "web1", "web2", "tasks", "speech1", "speech2",
    "live-origin", "janus1", "janus2", "proxy", "turn",
}  # fmt: skip


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is needed (scripts/test installs it)"
    return path


def _plenary_command(argv: list[str]) -> str | None:
    """The Plenary management command an argv runs, if it runs one."""
    for n, arg in enumerate(argv):
        if arg.endswith("/plenary") and n + 1 < len(argv):
            return argv[n + 1]
    return None


def test_the_compose_file_validates_and_names_every_process() -> None:
    compose = DEPLOY / "compose" / "compose.yaml"
    result = subprocess.run(  # noqa: S603 - the tools found on PATH, our own files
        [_tool("docker-compose"), "-f", str(compose), "config"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    assert set(services) == PROCESSES
    commands = get_commands()
    for name, service in services.items():
        command = _plenary_command(service["command"])
        if command is not None:
            assert command in commands, f"{name} runs plenary {command}, which does not exist"
    for script in ("janus.sh", "postgres.sh", "build-image.sh"):
        assert (DEPLOY / "compose" / script).stat().st_mode & 0o111, script


@pytest.mark.parametrize("config", ["haproxy/plenary.cfg", "compose/haproxy.cfg"])
def test_haproxy_accepts_its_configuration(config: str, tmp_path: Path) -> None:
    pem = tmp_path / "plenary.pem"
    subprocess.run(  # noqa: S603
        [_tool("openssl"), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=plenary.test", "-keyout", str(pem), "-out", str(pem)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    text = (DEPLOY / config).read_text().replace("/etc/haproxy/certs/plenary.pem", str(pem))
    checked = tmp_path / "haproxy.cfg"
    checked.write_text(text)
    result = subprocess.run(  # noqa: S603
        [_tool("haproxy"), "-c", "-f", str(checked)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "deny status 403 if { path /metrics }" in text


@pytest.mark.parametrize("unit", sorted(p.name for p in (DEPLOY / "systemd").glob("*.service")))
def test_each_systemd_unit_runs_a_real_command_with_the_shared_environment(unit: str) -> None:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "systemd" / unit)
    service = parser["Service"]
    assert service["EnvironmentFile"] == "/etc/plenary/plenary.env"
    assert service["Restart"] == "always"
    assert parser["Install"]["WantedBy"] == "multi-user.target"
    for key in ("ExecStartPre", "ExecStart"):
        if key in service:
            command = _plenary_command(service[key].split())
            assert command is None or command in get_commands(), (unit, command)


def test_every_setting_from_the_environment_is_documented() -> None:
    settings = (ROOT / "src" / "plenary" / "config" / "settings.py").read_text()
    names = set(re.findall(r'env\(\s*"([A-Z_]+)"', settings))
    docs = "".join(path.read_text() for path in (ROOT / "docs").glob("*.md"))
    assert names, "no settings found"
    assert sorted(name for name in names if name not in docs) == []
    example = (DEPLOY / "plenary.env.example").read_text()
    named = set(re.findall(r"^([A-Z_]+)=", example, flags=re.MULTILINE))
    assert named <= names, f"not read by the settings: {sorted(named - names)}"
