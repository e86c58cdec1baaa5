from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterpretationConfig(AppConfig):
    name = "plenary.interpretation"
    label = "interpretation"
    verbose_name = _("Interpretation")

    def ready(self) -> None:
        # Registers the booth.* commands on the session socket, and the
        # re-moderation of the booths after a restart.
        from plenary.interpretation import commands, event_types, receivers  # noqa: F401
