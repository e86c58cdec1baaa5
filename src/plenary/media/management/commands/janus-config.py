"""``plenary janus-config FOLDER``: write the configuration of a scale-out's media host.

The same configuration the embedded Janus gets (``media.janus.config``), from
the same settings (API secret, admin key, port, RTP ports, ICE interfaces,
event loops), with the WebSocket API on ``--listen`` (a private address the
web servers reach). Run by ``deploy/systemd/plenary-janus.service`` before Janus.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from plenary.media.engine import embedded_config
from plenary.media.janus.config import write


class Command(BaseCommand):
    help = "Write a Janus configuration folder for a media host (then: janus -F FOLDER)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--listen", default="127.0.0.1", help="Address of the WebSocket API (private)."
        )

    def handle(self, *args: Any, folder: Path, listen: str, **options: Any) -> None:
        config = dataclasses.replace(embedded_config(), ws_ip=listen)
        try:
            write(config, folder.resolve())
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Janus configuration written to {folder} ({listen}:{config.ws_port})")
