"""Enforce the floor's decisions and tell clients when Janus came back."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.dispatch import receiver

from plenary.floor.events import event, publish_to_session
from plenary.floor.signals import floor_changed
from plenary.media import engine, services
from plenary.media.rooms import FLOOR


@receiver(floor_changed, dispatch_uid="media.moderate_floor")
def moderate_floor(
    sender: Any,
    session_id: int,
    speaker_user_id: int | None,
    unmuted_user_ids: frozenset[int],
    **kwargs: Any,
) -> None:
    """Only the users the floor allows are heard in the floor room (server side)."""
    services.set_heard(session_id, FLOOR, frozenset(unmuted_user_ids))


@engine.on_restart
async def reconnect_clients(session_ids: list[int]) -> None:
    """Janus restarted: its legs are gone; clients re-establish theirs on ``media.reset``."""
    await services.forget_session_legs(session_ids)
    for session_id in session_ids:
        await sync_to_async(publish_to_session)(session_id, event("media.reset"))
