from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FloorConfig(AppConfig):
    name = "plenary.floor"
    label = "floor"
    verbose_name = _("Speakers' list and floor")

    def ready(self) -> None:
        # Registers the floor's commands on the session socket and lets the
        # other live apps read the floor through the kernel.
        from plenary.floor import commands, event_types  # noqa: F401
        from plenary.floor.reader import Reader
        from plenary.live.floor import provide

        provide(Reader())
