"""Captions follow the live session (the floor app's ``floor_changed`` signal) and its
booths on air (``booth_changed``), and the streams of a dead server's workers wait
for the new ones."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from plenary.core import children
from plenary.live.signals import booth_changed, floor_changed
from plenary.speech import services


@receiver(floor_changed)
def follow_session(sender: Any, session_id: int, **kwargs: Any) -> None:
    services.do_follow_session(session_id)


@receiver(booth_changed)
def follow_booth(sender: Any, session_id: int, language: str, on_air: bool, **kwargs: Any) -> None:
    services.do_follow_booth(session_id, language, on_air)


# ``plenary serve`` starting after a crash: its workers died with it.
children.before_serving(services.do_forget_workers_of_a_previous_server)
