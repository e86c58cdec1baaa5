"""Payloads of the caption events (machine output: every client labels it)."""

from __future__ import annotations

from typing import Literal

from plenary.core.events import Payload, event_type


class Segment(Payload):
    id: int
    channel: str
    language: str
    kind: Literal["asr", "mt", "gap"]
    source: int | None
    speaker: str
    starts_at: str
    ends_at: str
    text: str
    corrected: bool
    machine: Literal[True]


class Stream(Payload):
    id: int
    channel: str
    language: str
    status: str
    detail: str
    voices: list[str]
    interruption: str
    interrupted_at: str | None


class Coverage(Payload):
    status: Literal["captioned", "translated", "unavailable", "idle"]
    source: str | None = None


@event_type("captions.final", "captions.corrected")
class Final(Payload):
    """A finished (or corrected) segment, to the sockets subscribed to its language."""

    session: int
    segment: Segment


@event_type("captions.partial")
class Partial(Payload):
    """The words recognised so far of an unfinished sentence (replaced by the next)."""

    session: int
    stream: int
    channel: str
    language: str
    text: str
    machine: Literal[True]


@event_type("captions.stream")
class StreamChanged(Payload):
    """A stream started, changed status or was interrupted (to every socket of the session)."""

    stream: Stream
    coverage: dict[str, Coverage]
