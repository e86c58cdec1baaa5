"""The apps' import graph: every import runs from a higher layer to a lower one.

The layers are those of docs/architecture.md ("Apps and layers"). An app may
import any app of a lower layer and none of its own or a higher one, so there
is no cycle; ``core`` imports no app at all. Tests and migrations are left
out (a test may use another app's factories). Imports inside functions count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import plenary

LAYERS: list[set[str]] = [
    {"core"},
    {"accounts"},
    {"meetings"},
    {"guidance"},
    {"provisioning"},
    {"live"},
    {"stats"},
    {"floor", "speech"},
    {"media"},
    {"interpretation", "recordings"},
    {"proposals"},
    {"documents"},
    {"room"},
    {"workspaces"},
    {"demo"},
    {"config"},
]
LAYER = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
ROOT = Path(plenary.__file__).parent


def _imports(path: Path) -> set[str]:
    """The ``plenary`` apps that ``path`` imports."""
    apps = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        apps |= {name.split(".")[1] for name in names if name.startswith("plenary.")}
    return apps


def _sources() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if len(path.relative_to(ROOT).parts) > 1
        and not {"tests", "migrations"} & set(path.relative_to(ROOT).parts)
    ]


def test_every_app_has_a_layer() -> None:
    apps = {path.relative_to(ROOT).parts[0] for path in _sources()}
    assert apps - set(LAYER) == set()


def test_no_import_runs_up_or_sideways() -> None:
    wrong = []
    for path in _sources():
        app = path.relative_to(ROOT).parts[0]
        for imported in _imports(path) - {app}:
            if LAYER[imported] >= LAYER[app]:
                wrong.append(f"{path.relative_to(ROOT)} imports plenary.{imported}")
    assert wrong == []


def test_the_live_apps_use_the_kernel_not_the_floor() -> None:
    """Media, speech and interpretation read the floor through ``plenary.live.floor``."""
    for path in _sources():
        app = path.relative_to(ROOT).parts[0]
        if app in {"media", "speech", "interpretation"}:
            assert "floor" not in _imports(path), path
