"""The embedded Janus of ``plenary serve`` (no ``PLENARY_JANUS_URLS`` set).

Registered with ``plenary.core.children`` by the media app: ``plenary serve``
starts it before serving and its supervisor restarts it if it dies; the room
manager then rebuilds the rooms, forwards and moderation (see ``receivers``).
"""

from __future__ import annotations

import logging

from django.conf import settings

from plenary.core.children import Child
from plenary.media import engine
from plenary.media.health import register_janus_check
from plenary.media.janus.process import JanusProcess

logger = logging.getLogger(__name__)


def plan(host: str, port: int) -> Child | None:
    """Janus as a child, if the embedded mode applies and Janus is installed."""
    if settings.JANUS_URLS:
        return None
    if not JanusProcess.available():
        logger.warning("Janus is not installed: audio is unavailable (install the janus package)")
        return None
    process = JanusProcess(engine.embedded_config(), settings.DATA_DIR / "janus")

    def start() -> JanusProcess:
        process.start()
        return process

    register_janus_check()
    return Child("janus", start)
