"""The floor's own commands on the session socket (registered in ``FloorConfig.ready``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from plenary.floor import services
from plenary.live.protocol import Command, Context, command

RequestKind = Literal["speak", "contribution", "point_of_order", "right_of_reply"]
Version = Field(ge=0)


class RequestFloor(Command):
    type: Literal["floor.request"]
    kind: RequestKind = "speak"


class AddSpeaker(Command):
    type: Literal["floor.add"]
    user_id: int
    kind: RequestKind = "speak"


class Withdraw(Command):
    type: Literal["floor.withdraw"]
    request_id: int


class Reorder(Command):
    type: Literal["floor.reorder"]
    order: list[int] = Field(max_length=1000)
    version: int = Version


class Give(Command):
    type: Literal["floor.give"]
    request_id: int
    version: int = Version


class VersionedCommand(Command):
    version: int = Version


class Next(VersionedCommand):
    type: Literal["floor.next"]


class End(VersionedCommand):
    type: Literal["floor.end"]


class Mute(VersionedCommand):
    type: Literal["floor.mute", "floor.unmute"]


class SetLimit(VersionedCommand):
    type: Literal["floor.set_limit"]
    seconds: int


class SetStatus(VersionedCommand):
    type: Literal["session.open", "session.suspend", "session.close"]


class AssignChair(VersionedCommand):
    type: Literal["chair.assign"]
    user_id: int | None


@command("floor.request", RequestFloor)
def request_floor(ctx: Context, cmd: RequestFloor) -> None:
    services.do_request_floor(ctx.user, ctx.session_id, cmd.kind)


@command("floor.add", AddSpeaker)
def add_speaker(ctx: Context, cmd: AddSpeaker) -> None:
    services.do_add_speaker(ctx.user, ctx.session_id, cmd.user_id, cmd.kind)


@command("floor.withdraw", Withdraw)
def withdraw(ctx: Context, cmd: Withdraw) -> None:
    services.do_withdraw_request(ctx.user, ctx.session_id, cmd.request_id)


@command("floor.reorder", Reorder)
def reorder(ctx: Context, cmd: Reorder) -> None:
    services.do_reorder(ctx.user, ctx.session_id, cmd.order, cmd.version)


@command("floor.give", Give)
def give(ctx: Context, cmd: Give) -> None:
    services.do_give_floor(ctx.user, ctx.session_id, cmd.request_id, cmd.version)


@command("floor.next", Next)
def next_speaker(ctx: Context, cmd: Next) -> None:
    services.do_next_speaker(ctx.user, ctx.session_id, cmd.version)


@command("floor.end", End)
def end(ctx: Context, cmd: End) -> None:
    services.do_end_floor(ctx.user, ctx.session_id, cmd.version)


@command("floor.mute", Mute)
@command("floor.unmute", Mute)
def mute(ctx: Context, cmd: Mute) -> None:
    services.do_mute(ctx.user, ctx.session_id, cmd.type == "floor.mute", cmd.version)


@command("floor.set_limit", SetLimit)
def set_limit(ctx: Context, cmd: SetLimit) -> None:
    services.do_set_limit(ctx.user, ctx.session_id, cmd.seconds, cmd.version)


@command("session.open", SetStatus)
@command("session.suspend", SetStatus)
@command("session.close", SetStatus)
def set_status(ctx: Context, cmd: SetStatus) -> None:
    action = cmd.type.removeprefix("session.")
    services.do_set_status(ctx.user, ctx.session_id, action, cmd.version)


@command("chair.assign", AssignChair)
def assign_chair(ctx: Context, cmd: AssignChair) -> None:
    services.do_assign_chair(ctx.user, ctx.session_id, cmd.user_id, cmd.version)
