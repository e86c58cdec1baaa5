from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "plenary.stats"
    label = "stats"
    verbose_name = _("Statistics")

    def ready(self) -> None:
        # ``plenary serve`` samples the components' health for availability figures.
        from plenary.core import children
        from plenary.stats.health import start_sampler

        children.before_serving(start_sampler)
