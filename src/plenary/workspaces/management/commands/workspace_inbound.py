"""``plenary workspace_inbound [--maildir DIR]``: post answers received by e-mail.

An MTA pipes one message to standard input (exit 0: posted; 67, EX_NOUSER,
or 65, EX_DATAERR: refused, and the reason on standard error, so the MTA
bounces it); ``--maildir DIR`` reads every message of ``DIR/new`` and moves
each to ``DIR/cur`` once handled, posted or refused.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from plenary.workspaces.services.inbound import MAX_BYTES, receive_quietly

EX_DATAERR, EX_NOUSER = 65, 67


class Command(BaseCommand):
    help = "Post answers received by e-mail in their topics."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--maildir", type=Path, help="a maildir whose new messages to read")

    def handle(self, *args: Any, maildir: Path | None = None, **options: Any) -> None:
        if maildir is None:
            message, reason = receive_quietly(sys.stdin.buffer.read(MAX_BYTES + 1))
            if message is None:
                self.stderr.write(reason)
                sys.exit(EX_NOUSER if reason.startswith(("no_topic", "forged")) else EX_DATAERR)
            self.stdout.write(f"posted message {message.pk}")
            return
        (maildir / "cur").mkdir(exist_ok=True)
        for path in sorted((maildir / "new").iterdir()):
            message, reason = receive_quietly(path.read_bytes()[: MAX_BYTES + 1])
            path.rename(maildir / "cur" / f"{path.name}:2,S")
            self.stdout.write(f"{path.name}: " + (f"posted {message.pk}" if message else reason))
