"""Commands of the workspace socket (``/ws/workspaces/<id>/``), registered at start-up.

Writing (posting, editing, reacting) goes through the pages' forms and the
API, which work without JavaScript too; the socket carries what a tab says
while it is open: that it is alive, how far its reader has read, and a
request for a fresh snapshot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import Field

from plenary.live.events import event, iso
from plenary.live.protocol import Command, Registry
from plenary.workspaces import queries
from plenary.workspaces.services import access, reading
from plenary.workspaces.services.messages import get_topic

workspace_commands = Registry("workspace")


@dataclass
class WorkspaceContext:
    """Who sent a command, on which workspace's socket, following which topic."""

    user: Any
    workspace_id: int
    topic_id: int | None
    connection_id: str
    language: str = ""
    replies: list[dict[str, Any]] = field(default_factory=list)

    def reply(self, payload: dict[str, Any]) -> None:
        self.replies.append(payload)

    def place(self) -> access.Place:
        """The sender's place now (membership can change while the socket is open)."""
        return access.get_place(self.user, pk=self.workspace_id)


def snapshot(ctx: WorkspaceContext, ref: str | None = None) -> dict[str, Any]:
    place = ctx.place()
    topic = get_topic(place, ctx.topic_id) if ctx.topic_id is not None else None
    return event("workspace.snapshot", **queries.snapshot(place, topic), ref=ref)


class Ping(Command):
    type: Literal["ping"]


class Resync(Command):
    type: Literal["workspace.resync"]


class Read(Command):
    type: Literal["workspace.read"]
    topic_id: int = Field(ge=1)
    up_to: int = Field(ge=0)


@workspace_commands.command("ping", Ping)
def ping(ctx: WorkspaceContext, cmd: Ping) -> None:
    ctx.reply(event("pong", server_time=iso(), ref=cmd.id))


@workspace_commands.command("workspace.resync", Resync)
def resync(ctx: WorkspaceContext, cmd: Resync) -> None:
    ctx.reply(snapshot(ctx, cmd.id))


@workspace_commands.command("workspace.read", Read)
def read(ctx: WorkspaceContext, cmd: Read) -> None:
    reading.do_mark_read(ctx.user, ctx.place(), cmd.topic_id, cmd.up_to)
    ctx.reply(event("workspace.done", ref=cmd.id))
