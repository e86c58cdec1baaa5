from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "plenary.media"
    label = "media"
    verbose_name = _("Media")

    def ready(self) -> None:
        # Registers the media.* commands, the floor moderation and the metrics.
        from django.conf import settings

        from plenary.core import children
        from plenary.media import (  # noqa: F401 - registers commands and events
            commands,
            embedded,
            event_types,
            metrics,
            receivers,
            webcast,
        )
        from plenary.media.health import register_janus_check

        children.register_process(embedded.plan)
        children.before_serving(receivers.restore_sessions)
        if settings.JANUS_URLS:  # the embedded Janus registers its check when planned
            register_janus_check()
