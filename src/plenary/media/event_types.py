"""Payloads of the media plane's events, to every socket of a session."""

from __future__ import annotations

from typing import Literal

from plenary.core.events import Payload, event_type


@event_type("media.heard")
class Heard(Payload):
    """Who is heard on ``channel`` now (sorted user ids)."""

    channel: str
    user_ids: list[int]


@event_type("media.reset")
class Reset(Payload):
    """The audio server restarted (no scope: every leg), or the listening legs were rebuilt."""

    scope: Literal["listen"] | None = None


@event_type("media.screen_stopped")
class ScreenStopped(Payload):
    """A presenter stopped the shared screen of ``user_ids``."""

    user_ids: list[int]


@event_type("media.stage")
class Stage(Payload):
    """Whose camera may be seen (``user_ids``), and whether the floor holder may share a screen."""

    user_ids: list[int]
    floor_may_present: bool
