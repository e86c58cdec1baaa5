from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FloorConfig(AppConfig):
    name = "plenary.floor"
    label = "floor"
    verbose_name = _("Live sessions")

    def ready(self) -> None:
        # Registers the floor's commands on the session socket.
        from plenary.floor import commands  # noqa: F401
