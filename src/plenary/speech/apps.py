from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpeechConfig(AppConfig):
    name = "plenary.speech"
    label = "speech"
    verbose_name = _("Captions and speech")

    def ready(self) -> None:
        # Registers captions.* on the session socket and the /healthz check.
        from plenary.speech import commands, health  # noqa: F401
