"""Payloads of the floor's events: each change of the session's log, to every socket.

Every floor event is ``{version, at, data}``: the state's version after it,
when it happened, and what changed (``plenary.floor.state`` folds ``data``).
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel

from plenary.core.events import Payload, event_type

D = TypeVar("D", bound=BaseModel)


class Request(Payload):
    """One request on the speakers' list."""

    id: int
    user_id: int
    name: str
    entity: str
    kind: Literal["speak", "contribution", "point_of_order", "right_of_reply"]
    attendance: str
    requested_at: str
    added_by: int | None


class FloorEvent(Payload, Generic[D]):
    version: int
    at: str
    data: D


class Nothing(Payload):
    pass


class ChairAssigned(Payload):
    user_id: int | None


class Requested(Payload):
    request: Request


class Withdrawn(Payload):
    request_id: int


class Reordered(Payload):
    order: list[int]


class Given(Payload):
    request: Request
    started_at: str


class Ended(Payload):
    reason: Literal["withdrawn", "yielded", "next", "suspend", "close"]


class LimitSet(Payload):
    seconds: int


class DocumentShown(Payload):
    """The document on the room's screen (see ``plenary.floor.state``)."""

    document_id: int
    reference: str
    title: str
    title_language: str
    language: str
    number: int
    pages: int
    page: int
    path: str
    public: bool


class DocumentPage(Payload):
    page: int


class RecordingStarted(Payload):
    """The session is being recorded (``plenary.recordings``)."""

    id: int
    started_at: str


class RecordingStopped(Payload):
    id: int


event_type("session.opened", "session.suspended", "session.closed")(FloorEvent[Nothing])
event_type("floor.muted", "floor.unmuted")(FloorEvent[Nothing])
event_type("chair.assigned")(FloorEvent[ChairAssigned])
event_type("floor.requested")(FloorEvent[Requested])
event_type("floor.withdrawn")(FloorEvent[Withdrawn])
event_type("floor.reordered")(FloorEvent[Reordered])
event_type("floor.given")(FloorEvent[Given])
event_type("floor.ended")(FloorEvent[Ended])
event_type("floor.limit_set")(FloorEvent[LimitSet])
event_type("document.shown")(FloorEvent[DocumentShown])
event_type("document.page")(FloorEvent[DocumentPage])
event_type("document.cleared")(FloorEvent[Nothing])
event_type("recording.started")(FloorEvent[RecordingStarted])
event_type("recording.stopped")(FloorEvent[RecordingStopped])
