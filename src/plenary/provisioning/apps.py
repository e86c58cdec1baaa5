from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvisioningConfig(AppConfig):
    name = "plenary.provisioning"
    label = "provisioning"
    verbose_name = _("Services")

    def ready(self) -> None:
        from plenary.provisioning import signals  # noqa: F401 -- connects the receivers
