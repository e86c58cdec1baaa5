from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "plenary.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from plenary.core import logfilters

        logfilters.install()
