"""The public webcast socket: thin, watching commands only (see ``webcast``).

It shares the session socket's guards (``plenary.live.limits``: every viewer
is anonymous, so by address), its parsing (``plenary.live.protocol``) and
its close codes: 4404 for no such webcast (accepted, then closed, so that the
page stops retrying), 4429 for a flood.
"""

from __future__ import annotations

import logging
from typing import Any

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from django.utils import translation

from plenary.core.errors import Refusal
from plenary.live import groups, protocol
from plenary.live.events import error_event, session_group
from plenary.live.services import resync
from plenary.live.sockets import CLOSE_NOT_FOUND, ProtocolSocket, id_from
from plenary.media import commands, webcast
from plenary.meetings.models import Session

logger = logging.getLogger(__name__)


class WebcastConsumer(ProtocolSocket):
    kind = "webcast socket"
    session: Session
    viewer: str

    async def connect(self) -> None:
        kwargs = self.scope["url_route"]["kwargs"]
        if not await self.open_guarded():
            return
        self.viewer = webcast.viewer_key(self.scope.get("query_string", b""), self.connection_id)
        check = database_sync_to_async(self._check)
        try:
            self.session = await check(str(kwargs.get("token")), id_from(kwargs.get("session_id")))
        except Refusal as refusal:
            await self.refuse(CLOSE_NOT_FOUND, error_event("not_found", str(refusal.message)))
            return
        except Exception:
            await self.refuse_internal()
            return
        # Session events carry the floor and media.reset (Janus restarted: reconnect).
        await self.channel_layer.group_add(session_group(self.session.pk), self.channel_name)
        await self.accept()
        try:
            await self.send_json(await database_sync_to_async(self._snapshot)())
        except Exception:  # the page asks again (resync); the audio does not need it
            logger.exception("webcast socket %s: no snapshot", self.connection_id)

    def _check(self, token: str, session_id: int | None) -> Session:
        with translation.override(self.language):
            return webcast.check_webcast(token, session_id)

    def _snapshot(self) -> dict[str, Any]:
        """The session as anyone may see it (the floor's state; no presence)."""
        with translation.override(self.language):
            return resync(AnonymousUser(), self.session.pk)

    async def disconnect(self, code: int) -> None:
        self.release_guard()
        if hasattr(self, "session"):
            await self.channel_layer.group_discard(
                session_group(self.session.pk), self.channel_name
            )
            await database_sync_to_async(commands.release)(self.connection_id)
            await database_sync_to_async(groups.leave_all)(self.channel_name)  # captions

    def handle(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        ctx = protocol.Context(
            user=AnonymousUser(),
            session_id=self.session.pk,
            channel_name=self.channel_name,
            connection_id=self.connection_id,
            language=self.language,
            viewer=self.viewer,
        )
        return webcast.webcast_commands.dispatch(ctx, message)

    def forwards(self, event: dict[str, Any]) -> bool:
        return webcast.is_public(str(event.get("type", "")))
