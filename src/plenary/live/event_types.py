"""Payloads of the kernel's events (declared with ``plenary.core.events.event_type``)."""

from __future__ import annotations

from plenary.core.events import Payload, event_type


@event_type("presence.joined")
class PresenceJoined(Payload):
    """A participant's socket opened (to the session's staff)."""

    connection: str
    user_id: int
    name: str
    attendance: str
    device_class: str


@event_type("presence.left")
class PresenceLeft(Payload):
    """A participant's socket closed, or its server died (to the session's staff)."""

    connection: str
