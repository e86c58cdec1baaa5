from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediaConfig(AppConfig):
    name = "plenary.media"
    label = "media"
    verbose_name = _("Media")

    def ready(self) -> None:
        # Registers the media.* commands and the floor moderation.
        from django.conf import settings

        from plenary.media import commands, receivers  # noqa: F401
        from plenary.media.health import register_janus_check

        if settings.JANUS_URLS:  # the embedded Janus registers its check when started
            register_janus_check()
