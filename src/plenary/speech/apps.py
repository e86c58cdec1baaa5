from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpeechConfig(AppConfig):
    name = "plenary.speech"
    label = "speech"
    verbose_name = _("Captions and speech")

    def ready(self) -> None:
        # Registers captions.* on the session socket, the /healthz check and
        # the receiver that starts and stops captions with the session.
        from plenary.core import children
        from plenary.speech import (  # noqa: F401
            commands,
            embedded,
            event_types,
            health,
            metrics,
            receivers,
        )

        children.register_process(embedded.plan)
