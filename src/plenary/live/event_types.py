"""Payloads of the kernel's events (declared with ``plenary.core.events.event_type``)."""

from __future__ import annotations

from typing import Literal

from plenary.core.events import Payload, event_type


@event_type("presence.joined")
class PresenceJoined(Payload):
    """A participant's socket opened (to the session's staff)."""

    connection: str
    user_id: int
    name: str
    attendance: str
    device_class: str
    quality: Literal["", "good", "fair", "poor"]


@event_type("presence.left")
class PresenceLeft(Payload):
    """A participant's socket closed, or its server died (to the session's staff)."""

    connection: str


@event_type("presence.quality")
class PresenceQuality(Payload):
    """A participant's connection quality changed, as their page measured it (to the staff)."""

    connection: str
    quality: Literal["good", "fair", "poor"]
