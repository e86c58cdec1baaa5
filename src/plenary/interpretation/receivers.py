"""After a restart, who is heard from each booth comes back from the booths' rows;
an opening session hears again which booths are on air (their captions start)."""

from __future__ import annotations

from typing import Any

from asgiref.sync import sync_to_async
from django.dispatch import receiver

from plenary.core import children
from plenary.interpretation import services
from plenary.live.floor import floor
from plenary.live.services import get_session
from plenary.live.signals import floor_changed
from plenary.media import engine


@engine.on_restart
async def remoderate_booths(session_ids: list[int]) -> None:
    """Janus restarted: the booths' moderation, before the legs come back."""
    await sync_to_async(services.remoderate)(session_ids)


@children.before_serving
def restore_booths() -> None:
    """Start-up step of ``plenary serve``: every open session's booths, before serving."""
    services.remoderate(floor().open_session_ids())


@receiver(floor_changed, dispatch_uid="interpretation.booths_follow_session")
def booths_follow_session(sender: Any, session_id: int, **kwargs: Any) -> None:
    """While the session is open, every booth on air is announced (idempotent for
    those who follow): interpreters may take the air before the chair opens."""
    if floor().status(session_id) == "open":
        services.resend_booths_on_air(get_session(session_id))
