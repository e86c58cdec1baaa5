"""Captions follow the live session (the floor app's ``floor_changed`` signal)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from plenary.floor.signals import floor_changed
from plenary.speech import services


@receiver(floor_changed)
def follow_session(sender: Any, session_id: int, **kwargs: Any) -> None:
    services.do_follow_session(session_id)
