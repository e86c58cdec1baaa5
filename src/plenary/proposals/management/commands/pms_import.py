"""``plenary pms_import FILE``: load base texts and conferences (JSON or Akoma Ntoso XML)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plenary.core.errors import Refusal
from plenary.proposals import akn, importer


class Command(BaseCommand):
    help = "Import base texts and conferences from a plenary-pms/1 JSON or Akoma Ntoso XML file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from None
        try:
            if raw.lstrip().startswith(b"<"):
                data = importer.ImportFile(
                    format=importer.FORMAT, instruments=[akn.parse_edition(raw)]
                )
            else:
                data = importer.parse(raw)
            counts = importer.load(data)
        except Refusal as refusal:
            raise CommandError(str(refusal.message)) from None
        self.stdout.write(
            self.style.SUCCESS(
                "Imported {instruments} new instrument(s), {editions} edition(s), "
                "{conferences} conference(s).".format(**counts)
            )
        )
