"""After a restart, who is heard from each booth comes back from the booths' rows."""

from __future__ import annotations

from asgiref.sync import sync_to_async

from plenary.core import children
from plenary.interpretation import services
from plenary.live.floor import floor
from plenary.media import engine


@engine.on_restart
async def remoderate_booths(session_ids: list[int]) -> None:
    """Janus restarted: the booths' moderation, before the legs come back."""
    await sync_to_async(services.remoderate)(session_ids)


@children.before_serving
def restore_booths() -> None:
    """Start-up step of ``plenary serve``: every open session's booths, before serving."""
    services.remoderate(floor().open_session_ids())
