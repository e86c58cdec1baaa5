"""The embedded Janus of ``plenary serve`` (no ``PLENARY_JANUS_URLS`` set)."""

from __future__ import annotations

import logging

from django.conf import settings

from plenary.media import engine
from plenary.media.health import register_janus_check
from plenary.media.janus.process import JanusProcess

logger = logging.getLogger(__name__)

_process: JanusProcess | None = None


def start() -> JanusProcess | None:
    """Start Janus as a child if the embedded mode applies and Janus is installed."""
    global _process  # noqa: PLW0603 - one child per server process
    if settings.JANUS_URLS:
        return None
    if not JanusProcess.available():
        logger.warning("Janus is not installed: audio is unavailable (install the janus package)")
        return None
    _process = JanusProcess(engine.embedded_config(), settings.DATA_DIR / "janus")
    _process.start()
    register_janus_check()
    return _process


def stop() -> None:
    if _process is not None:
        _process.stop()
