"""The session socket: ``/ws/sessions/<id>/``, one per browser tab.

Thin by design: it authenticates through the services, joins the groups they
name, sends the snapshot, hands every frame to ``protocol`` (through
``sockets.ProtocolSocket``, in a worker thread, where the ORM is allowed) and
forwards ``live.event`` messages. The session group, which every socket
joins, is delivered by the process's ``fanout`` relay rather than per socket.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.utils import translation
from django.utils.translation import gettext_lazy

from plenary.core.errors import NotFoundRefusal
from plenary.core.websocket import SEND_NOW
from plenary.live import fanout, protocol, services
from plenary.live.events import error_event, session_group
from plenary.live.sockets import CLOSE_NOT_FOUND, ProtocolSocket, id_from

NO_SUCH_SESSION = gettext_lazy("This session does not exist.")


class SessionConsumer(ProtocolSocket):
    kind = "session socket"
    session_id: int
    groups_joined: list[str]
    participant: bool
    outbox: fanout.Outbox | None

    async def connect(self) -> None:
        self.session_id = 0
        self.groups_joined = []
        self.participant = False
        self.outbox = None
        if not await self.open_guarded():
            return
        session_id = id_from(self.scope["url_route"]["kwargs"].get("session_id"))
        if session_id is None:
            await self.refuse(CLOSE_NOT_FOUND, self._not_found())
            return
        self.session_id = session_id
        # The session group first, held: an event published while the snapshot
        # is built then follows it (clients drop what the snapshot holds already,
        # by version) instead of falling between the two.
        group = session_group(session_id)
        self.outbox = await fanout.join(
            self.channel_layer,
            group,
            self.channel_name,
            self.base_send,
            self.scope.get("extensions", {}).get(SEND_NOW),
        )
        self.groups_joined = [group]
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        headers = dict(self.scope.get("headers", []))
        try:
            connection = await database_sync_to_async(self._connect)(
                (query.get("device") or [None])[0],
                headers.get(b"user-agent", b"").decode(errors="replace"),
            )
        except NotFoundRefusal:
            await self._leave_held()
            await self.refuse(CLOSE_NOT_FOUND, self._not_found())
            return
        except Exception:
            await self._leave_held()
            await self.refuse_internal()
            return
        self.participant = connection.participant
        for other in connection.groups:
            if other != group:
                await self.channel_layer.group_add(other, self.channel_name)
        self.groups_joined = connection.groups
        await self.accept()
        await self.send_json(connection.snapshot)
        self.outbox.open()  # events since joining follow the snapshot

    async def _leave_held(self) -> None:
        """A refused socket leaves the group it joined before the checks."""
        await fanout.leave(self.groups_joined[0], self.channel_name)
        self.groups_joined = []
        self.outbox = None

    def _connect(self, device: str | None, user_agent: str) -> services.Connection:
        with translation.override(self.language):
            return services.do_connect(
                self.scope["user"], self.session_id, self.connection_id, device, user_agent
            )

    def _not_found(self) -> dict[str, Any]:
        return error_event("not_found", self.say(NO_SUCH_SESSION))

    async def disconnect(self, code: int) -> None:
        self.release_guard()
        for group in getattr(self, "groups_joined", []):
            if group == session_group(self.session_id):
                await fanout.leave(group, self.channel_name)
            else:
                await self.channel_layer.group_discard(group, self.channel_name)
        if getattr(self, "groups_joined", None):
            await database_sync_to_async(protocol.disconnected)(self._context())
        if getattr(self, "participant", False):
            await database_sync_to_async(services.do_disconnect)(self.connection_id)

    def handle(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        return protocol.dispatch(self._context(), message)

    def _context(self) -> protocol.Context:
        return protocol.Context(
            user=self.scope["user"],
            session_id=self.session_id,
            channel_name=self.channel_name,
            connection_id=self.connection_id,
            language=self.language,
        )
