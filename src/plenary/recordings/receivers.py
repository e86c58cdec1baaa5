"""A session is recorded while it is open (``services.follow_session``)."""

from __future__ import annotations

import logging
from typing import Any

from django.dispatch import receiver

from plenary.live.signals import floor_changed
from plenary.recordings import services

logger = logging.getLogger(__name__)


@receiver(floor_changed, dispatch_uid="recordings.follow_session")
def follow_session(sender: Any, session_id: int, **kwargs: Any) -> None:
    # A recording that cannot start must not stop the floor's other receivers.
    try:
        services.follow_session(session_id)
    except Exception:
        logger.exception("Could not follow session %s for its recording", session_id)
