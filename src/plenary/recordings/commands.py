"""``recording.*`` commands on the session socket: the secretariat starts and stops the
session's recording by hand (registered in ``RecordingsConfig.ready``; the events are
the floor's: ``recording.started``, ``recording.stopped``)."""

from __future__ import annotations

from typing import Literal

from plenary.live.protocol import Command, Context, command
from plenary.recordings import services


class Start(Command):
    type: Literal["recording.start"]


class Stop(Command):
    type: Literal["recording.stop"]


@command("recording.start", Start)
def start(ctx: Context, cmd: Start) -> None:
    services.do_start_recording(ctx.user, ctx.session_id)


@command("recording.stop", Stop)
def stop(ctx: Context, cmd: Stop) -> None:
    services.do_stop_recording(ctx.user, ctx.session_id)
