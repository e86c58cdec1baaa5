from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LiveConfig(AppConfig):
    """The live kernel: the session socket, its commands and events, presence, attendance."""

    name = "plenary.live"
    label = "live"
    verbose_name = _("Live sessions")

    def ready(self) -> None:
        # Registers the kernel's own commands (ping, resync) on the session socket.
        from plenary.core.websocket import refuse_anonymous_from
        from plenary.live import commands, event_types  # noqa: F401
        from plenary.live.limits import penalised

        # A flooder's anonymous handshakes are refused before the application runs.
        refuse_anonymous_from(penalised)
