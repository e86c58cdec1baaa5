"""``plenary realtime_doc``: write the generated tables of docs/realtime.md."""

from typing import Any

from django.core.management.base import BaseCommand

from plenary.live import protocol_doc


class Command(BaseCommand):
    help = "Write the commands and event payloads into docs/realtime.md."

    def handle(self, *args: Any, **options: Any) -> None:
        path = protocol_doc.page()
        path.write_text(protocol_doc.rewrite(path.read_text(encoding="utf-8")), encoding="utf-8")
        self.stdout.write(f"{path}: tables written")
