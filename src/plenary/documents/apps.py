from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "plenary.documents"
    verbose_name = _("Documents")
    label = "documents"

    def ready(self) -> None:
        from plenary.core import children

        # Registers the documents.* commands on the session socket.
        from plenary.documents import commands  # noqa: F401
        from plenary.documents.services.processing import start_scan_retries

        children.before_serving(start_scan_retries)
