"""``plenary media-servers``: register, drain and remove the Janus servers of a scale-out."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from plenary.media import placement


class Command(BaseCommand):
    help = "List, register, drain, resume or remove the media servers sessions are placed on."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="The servers, their state and load.")
        add = actions.add_parser("add", help="Register a server (checked with our keys).")
        add.add_argument("url", help="Its WebSocket API, ws://host:8188 or wss://…")
        add.add_argument("--capacity", type=int, default=settings.JANUS_CAPACITY)
        for name, what in (
            ("drain", "No new session on it; those on it finish."),
            ("resume", "Take new sessions again."),
            ("remove", "Forget it (once no session is going on it)."),
        ):
            actions.add_parser(name, help=what).add_argument("url")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "add":
                placement.register(options["url"], options["capacity"])
            elif action in ("drain", "resume"):
                placement.set_draining(options["url"], action == "drain")
            elif action == "remove":
                placement.remove(options["url"])
        except placement.PlacementError as exc:
            raise CommandError(str(exc)) from exc
        placement.register_configured()
        for server in placement.servers():
            state = _("down") if server.down else _("draining") if server.draining else _("up")
            self.stdout.write(
                _(
                    "%(url)s  %(state)s  %(sessions)s sessions, %(listeners)s of %(capacity)s "
                    "listeners, %(rooms)s rooms"
                )
                % {
                    "url": server.url,
                    "state": state,
                    "sessions": server.sessions,
                    "listeners": server.listeners,
                    "capacity": server.capacity,
                    "rooms": server.rooms,
                }
            )
