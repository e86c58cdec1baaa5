from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "plenary.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from plenary.core import children, embedded, logfilters, tasks  # noqa: F401 (its check)

        logfilters.install()
        children.register_process(embedded.plan)  # the task worker
