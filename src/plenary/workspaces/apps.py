from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkspacesConfig(AppConfig):
    """The delegates' collaboration platform: workspaces, channels, topics, messages."""

    name = "plenary.workspaces"
    label = "workspaces"
    verbose_name = _("Workspaces")

    def ready(self) -> None:
        from plenary.core import children

        # Registers the workspace socket's commands and the events it sends.
        from plenary.workspaces import commands, event_types  # noqa: F401
        from plenary.workspaces.services.calls import start_ending_idle_calls
        from plenary.workspaces.services.digests import start_digests

        children.before_serving(start_digests)
        children.before_serving(start_ending_idle_calls)
