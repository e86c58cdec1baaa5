from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "plenary.documents"
    verbose_name = _("Documents")
    label = "documents"

    def ready(self) -> None:
        # Registers the documents.* commands on the session socket, and the periodic
        # job of scan retries.
        from plenary.documents import commands  # noqa: F401
        from plenary.documents.services import processing  # noqa: F401
