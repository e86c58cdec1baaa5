"""The kernel's own commands on the session socket (registered in ``LiveConfig.ready``)."""

from __future__ import annotations

from typing import Literal

from plenary.live import services
from plenary.live.events import event, iso
from plenary.live.protocol import Command, Context, command


class Ping(Command):
    type: Literal["ping"]


class Resync(Command):
    type: Literal["resync"]


class ReportQuality(Command):
    type: Literal["presence.quality"]
    quality: Literal["good", "fair", "poor"]


@command("ping", Ping)
def ping(ctx: Context, cmd: Ping) -> None:
    if ctx.user.is_authenticated:  # only participants are present; a viewer costs no write
        services.do_ping(ctx.connection_id)
    ctx.reply(event("pong", server_time=iso(), ref=cmd.id))


@command("resync", Resync)
def resync(ctx: Context, cmd: Resync) -> None:
    ctx.reply(services.resync(ctx.user, ctx.session_id))


@command("presence.quality", ReportQuality)
def report_quality(ctx: Context, cmd: ReportQuality) -> None:
    """The page's measure of its connection (no reply); only participants have a
    presence to keep it."""
    if ctx.user.is_authenticated:
        services.do_report_quality(ctx.connection_id, cmd.quality)
