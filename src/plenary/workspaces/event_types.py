"""Payloads of the events the workspace sockets receive (docs/realtime.md)."""

from __future__ import annotations

from typing import Literal

from plenary.core.events import Payload, event_type


class Attachment(Payload):
    """A file posted with a message (a version of a document of the library)."""

    id: int
    title: str
    name: str
    kind: str
    size: int
    version: int
    url: str


class Message(Payload):
    id: int
    topic_id: int
    author_id: int
    author: str
    entity: str
    html: str  # sanitised when written (workspaces.markup)
    language: str
    at: str
    edited: bool
    hidden: bool
    reply_to: int | None
    attachments: list[Attachment]


class Reaction(Payload):
    emoji: str
    count: int
    users: list[int]


@event_type("workspace.message", "workspace.edited")
class WorkspaceMessage(Payload):
    """A new message, or a message edited, hidden or shown again (to the workspace's readers)."""

    channel_id: int
    message: Message


@event_type("workspace.reactions")
class WorkspaceReactions(Payload):
    """A message's reactions now."""

    message_id: int
    topic_id: int
    reactions: list[Reaction]


@event_type("workspace.topic")
class WorkspaceTopic(Payload):
    """A moderator locked, unlocked, pinned or unpinned a topic."""

    topic_id: int
    channel_id: int
    locked: bool
    pinned: bool


@event_type("workspace.read")
class WorkspaceRead(Payload):
    """One person read a topic up to a message (to that person's tabs only)."""

    topic_id: int
    channel_id: int
    last_read_id: int
    unread_notices: int


class Notice(Payload):
    id: int
    reason: Literal["mention", "reply", "followed"]
    message_id: int
    topic_id: int
    topic: str
    workspace: str
    author: str


@event_type("workspace.notice")
class WorkspaceNotice(Payload):
    """Something new for one person: a mention, a reply, a followed topic (their tabs only)."""

    notice: Notice
    unread: int


class ChannelState(Payload):
    id: int
    unread_topics: int


class CallPayload(Payload):
    id: int
    session_id: int
    started_by: str
    started_by_id: int
    at: str


class TopicState(Payload):
    id: int
    channel_id: int
    locked: bool
    last_read_id: int
    messages: list[Message]
    reactions: dict[str, list[Reaction]]
    call: CallPayload | None


@event_type("workspace.snapshot")
class WorkspaceSnapshot(Payload):
    """Sent on every (re)connection and on ``workspace.resync``: the state to show now."""

    workspace_id: int
    member: bool
    moderator: bool
    unread_notices: int
    channels: list[ChannelState]
    topic: TopicState | None
    ref: str | None = None


@event_type("workspace.done")
class WorkspaceDone(Payload):
    """A command was carried out (the change itself arrives as its own event)."""

    ref: str | None = None


@event_type("workspace.call")
class WorkspaceCall(Payload):
    """A call started in a topic (``call``), or ended (``call`` is null)."""

    topic_id: int
    call: CallPayload | None
