"""Payloads of the booths' events."""

from __future__ import annotations

from plenary.core.events import Payload, event_type


@event_type("booth.state")
class BoothState(Payload):
    """A booth changed (to every socket of the session)."""

    language: str
    on_air: int | None
    requested_by: int | None
    handover_at: str | None
    cough: bool


@event_type("booth.floor_language")
class FloorLanguage(Payload):
    """The floor's language, as an interpreter set it (to every socket of the session)."""

    language: str


@event_type("booth.chat")
class Chat(Payload):
    """A message between the interpreters of one booth (to each of them)."""

    language: str
    user_id: int
    name: str
    text: str
    at: str
