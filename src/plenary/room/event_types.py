"""Payloads of the chat's events."""

from __future__ import annotations

from typing import Literal

from plenary.core.events import Payload, event_type


class Message(Payload):
    id: int
    author_id: int
    author: str
    entity: str
    audience: Literal["everyone", "secretariat", "delegation"]
    to_entity: str
    text: str
    language: str
    at: str
    hidden: bool


@event_type("chat.message")
class ChatMessage(Payload):
    """A new message, to those who may read it."""

    message: Message


@event_type("chat.hidden")
class ChatHidden(Payload):
    """A moderator hid a message (moderators keep it, marked; others drop it)."""

    id: int


@event_type("chat.policy")
class ChatPolicy(Payload):
    """The chair opened or closed the public chat (to every socket of the session)."""

    public_open: bool
