"""Messages between speech workers and the control plane (``/ws/speech/worker/``).

JSON objects ``{"type": ...}``; the worker speaks first (``hello`` with the
shared token), then sends heartbeats, stream readiness, partial and final
captions. The control plane sends ``assign`` and ``release`` (built in
``services.assignment``). Both sides validate with these schemas.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, IPvAnyAddress, TypeAdapter

Text = Annotated[str, Field(max_length=2000)]
Seconds = Annotated[float, Field(ge=0, le=1e11)]


class _Message(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Hello(_Message):
    type: Literal["hello"]
    token: Annotated[str, Field(max_length=200)]
    name: Annotated[str, Field(max_length=80)] = "worker"
    device: Annotated[str, Field(max_length=16)] = "cpu"
    capacity: Annotated[int, Field(ge=1, le=1000)] = 1


class Heartbeat(_Message):
    type: Literal["heartbeat"]
    # Seconds of audio waiting per stream id.
    lags: dict[int, Annotated[float, Field(ge=0)]] = Field(default_factory=dict, max_length=1000)


class Ready(_Message):
    type: Literal["ready"]
    stream: int
    rtp_port: Annotated[int, Field(ge=1, le=65535)]
    # The address Janus sends to (the worker's ``--rtp-host``); loopback if not said.
    rtp_host: IPvAnyAddress = Field(default="127.0.0.1", validate_default=True)


class Failed(_Message):
    type: Literal["failed"]
    stream: int
    reason: Annotated[str, Field(max_length=300)]


class Partial(_Message):
    type: Literal["partial"]
    stream: int
    text: Text


class Final(_Message):
    type: Literal["final"]
    stream: int
    text: Annotated[str, Field(min_length=1, max_length=2000)]
    # Wall-clock times (seconds since the epoch) of the segment's audio.
    start: Seconds
    end: Seconds
    translations: dict[str, Text] = Field(default_factory=dict, max_length=6)


class Gap(_Message):
    """A span of the channel's audio the worker could not recognise (a pass failed)."""

    type: Literal["gap"]
    stream: int
    start: Seconds
    end: Seconds


WorkerMessage = Annotated[
    Hello | Heartbeat | Ready | Failed | Partial | Final | Gap, Field(discriminator="type")
]
worker_message: TypeAdapter[WorkerMessage] = TypeAdapter(WorkerMessage)


class Assign(_Message):
    type: Literal["assign"]
    stream: int
    session: int
    channel: str
    language: str
    targets: list[str] = Field(default_factory=list)
    # AI voice language -> "host:port" to send its RTP to.
    voices: dict[str, str] = Field(default_factory=dict)
    prompt: str = ""
    hotwords: str = ""
    glossary: dict[str, dict[str, str]] = Field(default_factory=dict)


class Release(_Message):
    type: Literal["release"]
    stream: int


class Welcome(_Message):
    type: Literal["welcome"]
    worker: int


ControlMessage = Annotated[Assign | Release | Welcome, Field(discriminator="type")]
control_message: TypeAdapter[ControlMessage] = TypeAdapter(ControlMessage)
