from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoomConfig(AppConfig):
    """The meeting room: one page per session that composes the live apps, and its chat."""

    name = "plenary.room"
    label = "room"
    verbose_name = _("Meeting room")

    def ready(self) -> None:
        # Registers the chat.* commands on the session socket and their events.
        from plenary.room import commands, event_types  # noqa: F401
