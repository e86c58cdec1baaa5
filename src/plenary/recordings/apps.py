from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordingsConfig(AppConfig):
    name = "plenary.recordings"
    verbose_name = _("Recordings")
    label = "recordings"

    def ready(self) -> None:
        from plenary.core import children

        # Starts and stops a session's recording with the session; registers the
        # recording.* commands on the session socket and the retention's periodic job.
        from plenary.recordings import commands, embedded, receivers  # noqa: F401
        from plenary.recordings.services import record_running

        children.before_serving(record_running)
        children.register_process(embedded.plan)  # the live origin
