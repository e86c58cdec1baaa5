"""Live sessions API (``/api/v1/floor/``): read-only; changes go through the session socket."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from plenary.live import services

router = Router(tags=["floor"])


@router.get("/sessions/{session_id}/", response=dict[str, Any])
def live_state(request: HttpRequest, session_id: int) -> dict[str, Any]:
    """The session's live state: the socket's ``snapshot`` message (docs/realtime.md)."""
    return services.resync(request.user, session_id)
