"""The floor as the other live apps read it (``plenary.live.floor.FloorReader``)."""

from __future__ import annotations

import datetime as dt

from plenary.floor import services
from plenary.floor.models import LiveSession, SessionEvent
from plenary.live.services import get_session


class Reader:
    def status(self, session_id: int) -> str:
        row = LiveSession.objects.filter(session_id=session_id).values_list("state", flat=True)
        state = row.first()
        return str(state.get("status", "scheduled")) if state else "scheduled"

    def open_session_ids(self) -> list[int]:
        return list(
            LiveSession.objects.filter(state__status="open").values_list("session_id", flat=True)
        )

    def heard(self, session_id: int) -> frozenset[int]:
        _version, state = services.current_state(session_id)
        return services.unmuted_user_ids(get_session(session_id), state)

    def stage(self, session_id: int) -> frozenset[int]:
        _version, state = services.current_state(session_id)
        return services.stage_user_ids(get_session(session_id), state)

    def speaker_at(self, session_id: int, moment: dt.datetime) -> tuple[int | None, str]:
        last = (
            SessionEvent.objects.filter(
                session_id=session_id,
                at__lte=moment,
                kind__in=["floor.given", "floor.ended", "session.suspended", "session.closed"],
            )
            .order_by("-seq")
            .first()
        )
        if last is None or last.kind != "floor.given":
            return None, ""
        request = last.data.get("request", {})
        return request.get("user_id"), str(request.get("name", ""))
