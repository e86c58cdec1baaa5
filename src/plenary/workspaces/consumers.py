"""The workspace socket: ``/ws/workspaces/<id>/[?topic=<id>]``, one per tab.

It joins the workspace's group (its readers', delivered by the process's
``live.fanout`` relay) and the person's own group (notices, read markers),
sends ``workspace.snapshot`` and then the events;
a tab that reconnects gets a fresh snapshot, so it misses nothing. Guards,
parsing and replies are the kernel's (``plenary.live.sockets``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.utils import translation
from django.utils.translation import gettext_lazy

from plenary.core.errors import NotFoundRefusal
from plenary.core.websocket import SEND_NOW
from plenary.live import fanout
from plenary.live.events import error_event
from plenary.live.sockets import CLOSE_NOT_FOUND, ProtocolSocket, id_from
from plenary.workspaces import commands
from plenary.workspaces.events import person_group, workspace_group

NO_SUCH_WORKSPACE = gettext_lazy("This workspace does not exist.")


class WorkspaceConsumer(ProtocolSocket):
    kind = "workspace socket"
    groups_joined: list[str]
    ctx_base: dict[str, Any]
    fanned = ""  # the group delivered by the relay, once joined

    async def connect(self) -> None:
        self.groups_joined = []
        if not await self.open_guarded():
            return
        workspace_id = id_from(self.scope["url_route"]["kwargs"].get("workspace_id"))
        query = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))
        raw_topic = (query.get("topic") or [None])[0]
        topic_id = id_from(raw_topic) if raw_topic is not None else None
        if workspace_id is None or (raw_topic is not None and topic_id is None):
            await self.refuse(
                CLOSE_NOT_FOUND, error_event("not_found", self.say(NO_SUCH_WORKSPACE))
            )
            return
        self.ctx_base = {"workspace_id": workspace_id, "topic_id": topic_id}
        try:
            snapshot = await database_sync_to_async(self._snapshot)()
        except NotFoundRefusal as refusal:
            await self.refuse(CLOSE_NOT_FOUND, error_event("not_found", str(refusal.message)))
            return
        except Exception:
            await self.refuse_internal()
            return
        user = self.scope["user"]
        # The workspace's group, which every socket joins, through the process's relay
        # (one encoding per process, as the session group: plenary.live.fanout).
        self.fanned = workspace_group(workspace_id)
        outbox = await fanout.join(
            self.channel_layer,
            self.fanned,
            self.channel_name,
            self.base_send,
            self.scope.get("extensions", {}).get(SEND_NOW),
        )
        self.groups_joined = [person_group(user.pk)] if user.is_authenticated else []
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json(snapshot)
        outbox.open()  # events since joining follow the snapshot

    def _context(self) -> commands.WorkspaceContext:
        return commands.WorkspaceContext(
            user=self.scope["user"],
            connection_id=self.connection_id,
            language=self.language,
            **self.ctx_base,
        )

    def _snapshot(self) -> dict[str, Any]:
        with translation.override(self.language):
            return commands.snapshot(self._context())

    async def disconnect(self, code: int) -> None:
        self.release_guard()
        if self.fanned:
            await fanout.leave(self.fanned, self.channel_name)
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    def handle(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        return commands.workspace_commands.dispatch(self._context(), message)
