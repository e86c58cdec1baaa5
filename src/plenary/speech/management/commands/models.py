"""``plenary models``: what speech models are installed, per task and language."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from plenary.core.languages import UN_LANGUAGES
from plenary.speech.engines import catalog
from plenary.speech.mt import available_pairs


class Command(BaseCommand):
    help = "List the installed speech models (recognition, translation, voices) per language."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="Machine-readable output.")

    def handle(self, *args: Any, json: bool, **options: Any) -> None:
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
            asr = ", ".join(m.name for m in catalog.models_for("asr", code)) or "-"
            tts = ", ".join(m.name for m in catalog.models_for("tts", code)) or "-"
            mt_targets = ", ".join(sorted(t for s, t in translation_pairs if s == code)) or "-"
            self.stdout.write(
                f"{code:8} captions: {asr} | translation to: {mt_targets} | voice: {tts}"
            )
