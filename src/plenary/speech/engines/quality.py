"""How well each installed recogniser did on the development set of real speech,
as ``./scripts/bench speech-accuracy --record`` measured it on this installation;
``plenary models`` shows it next to each language."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone


def _path() -> Path:
    return Path(settings.DATA_DIR) / "speech-quality.json"


def measured() -> dict[str, dict[str, dict[str, Any]]]:
    """``{model name: {language: {"live", "offline" (error rates, %), "metric",
    "clips", "measured_at"}}}``; empty where nothing was measured."""
    try:
        return dict(json.loads(_path().read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def record(model: str, language: str, figures: dict[str, Any]) -> None:
    """Keep one measurement (replacing the model's earlier one for ``language``)."""
    everything = measured()
    everything.setdefault(model, {})[language] = {
        **figures,
        "measured_at": timezone.now().isoformat(),
    }
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_suffix(".tmp")
    staged.write_text(json.dumps(everything, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(staged, path)


def describe(model: str, language: str) -> str:
    """``"live WER 12.0% (offline 9.5%, 5 clips)"``, or "" if never measured."""
    figures = measured().get(model, {}).get(language)
    if not figures:
        return ""
    return (
        f"live {figures['metric']} {figures['live']:.1f}% "
        f"(offline {figures['offline']:.1f}%, {figures['clips']} clips)"
    )
