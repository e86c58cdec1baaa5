"""``plenary models``: what speech models are installed, per task and language, and
``plenary models add PATH``: check an operator's model and install it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plenary.core.languages import UN_LANGUAGES
from plenary.speech.engines import catalog, install, quality
from plenary.speech.engines.base import EngineError
from plenary.speech.mt import available_pairs


class Command(BaseCommand):
    help = "List the installed speech models (recognition, translation, voices) per language."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Machine-readable output.")
        actions = parser.add_subparsers(dest="action")
        add = actions.add_parser(
            "add",
            help="Check a model (recognised, checksummed, run once) and install it "
            "into the first PLENARY_SPEECH_MODEL_DIRS folder.",
        )
        add.add_argument("path", type=Path, help="A model folder, .argosmodel or Piper .onnx.")
        add.add_argument("--sha256", help="The checksum the model must have.")
        add.add_argument("--replace", action="store_true", help="Replace an installed copy.")

    def handle(self, *args: Any, json: bool, action: str | None = None, **options: Any) -> None:
        if action == "add":
            self._add(options["path"], options["sha256"], options["replace"])
            return
        models = catalog.installed_models()
        if json:
            import json as json_module

            self.stdout.write(
                json_module.dumps(
                    [
                        {
                            "task": m.task,
                            "name": m.name,
                            "engine": m.engine,
                            "origin": m.origin,
                            "languages": list(m.languages),
                            "pairs": [list(p) for p in m.pairs],
                            "fallback": m.fallback,
                            "path": str(m.path or ""),
                        }
                        for m in models
                    ],
                    indent=2,
                )
            )
            return
        for m in models:
            label = " (fallback)" if m.fallback else ""
            pairs = f" pairs={', '.join(f'{a}>{b}' for a, b in m.pairs)}" if m.pairs else ""
            self.stdout.write(
                f"{m.task:4} {m.name}{label} [{m.engine}, {m.origin}] "
                f"languages={','.join(m.languages)}{pairs}"
            )
        self.stdout.write("")
        translation_pairs = available_pairs()
        for code in UN_LANGUAGES:
            asr = (
                ", ".join(
                    " ".join(filter(None, [m.name, quality.describe(m.name, code)]))
                    for m in catalog.models_for("asr", code)
                )
                or "-"
            )
            tts = ", ".join(m.name for m in catalog.models_for("tts", code)) or "-"
            mt_targets = ", ".join(sorted(t for s, t in translation_pairs if s == code)) or "-"
            self.stdout.write(
                f"{code:8} captions: {asr} | translation to: {mt_targets} | voice: {tts}"
            )

    def _add(self, path: Path, sha256: str | None, replace: bool) -> None:
        try:
            installed = install.install(path, sha256=sha256, replace=replace)
        except EngineError as exc:
            raise CommandError(f"Not installed: {exc}") from exc
        info = installed.info
        self.stdout.write(
            f"Installed {info.task} {info.name} [{info.engine}] "
            f"languages={','.join(info.languages)} sha256={installed.sha256}"
        )
