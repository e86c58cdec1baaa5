"""The live origin as a child of ``plenary serve`` (registered by the recordings app).

It runs where Janus writes the recordings (``PLENARY_DATA_DIR``); the server's
supervisor restarts it if it dies, and it starts its ffmpegs again at the live edge.
"""

from __future__ import annotations

import logging
import shutil
import sys

from django.conf import settings

from plenary.core.children import Child, Subprocess

logger = logging.getLogger(__name__)


def plan(host: str, port: int) -> Child | None:
    if not settings.RECORDINGS_LIVE_ORIGIN:
        return None
    if shutil.which("ffmpeg") is None:
        logger.warning("ffmpeg is not installed: no live HLS webcast (apt-get install ffmpeg)")
        return None
    argv = [sys.executable, "-m", "plenary", "live-origin"]
    return Child("live-origin", lambda: Subprocess(argv))
