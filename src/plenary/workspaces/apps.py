from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspacesConfig(AppConfig):
    """The delegates' collaboration platform: workspaces, channels, topics, messages."""

    name = "plenary.workspaces"
    label = "workspaces"
    verbose_name = _("Workspaces")

    def ready(self) -> None:
        # Registers the workspace socket's commands and the events it sends, and the
        # periodic jobs (digests, calls left alone).
        from plenary.workspaces import commands, event_types  # noqa: F401
        from plenary.workspaces.services import calls, digests  # noqa: F401
