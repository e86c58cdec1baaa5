"""The ``booth.*`` commands of the session socket (registered from ``ready()``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import StringConstraints

from plenary.interpretation import services
from plenary.live.events import event
from plenary.live.protocol import Command, Context, command
from plenary.meetings.models import Session

Language = Annotated[str, StringConstraints(max_length=8)]


class BoothCommand(Command):
    type: Literal[
        "booth.take",
        "booth.leave",
        "booth.request",
        "booth.accept",
        "booth.complete",
        "booth.state",
    ]
    language: Language


class CoughCommand(Command):
    type: Literal["booth.cough"]
    language: Language
    down: bool


class ChatCommand(Command):
    type: Literal["booth.chat"]
    language: Language
    text: Annotated[str, StringConstraints(max_length=services.MAX_CHAT_CHARS * 2)]


_ACTIONS: dict[str, Callable[[Any, Session, str], services.BoothState]] = {
    "booth.take": services.do_take_air,
    "booth.leave": services.do_leave_air,
    "booth.request": services.do_request_handover,
    "booth.accept": services.do_accept_handover,
    "booth.complete": lambda user, session, language: services.do_complete_handover(
        session, language
    ),
    "booth.state": services.check_booth_state,  # read only: a console catching up
}


def handle_booth(ctx: Context, cmd: BoothCommand) -> None:
    state = _ACTIONS[cmd.type](ctx.user, ctx.session, cmd.language)
    ctx.reply(event("booth.state", language=cmd.language, ref=cmd.id, **state))


for _type in _ACTIONS:
    command(_type, BoothCommand)(handle_booth)


@command("booth.cough", CoughCommand)
def handle_cough(ctx: Context, cmd: CoughCommand) -> None:
    state = services.do_cough(ctx.user, ctx.session, cmd.language, cmd.down)
    ctx.reply(event("booth.state", language=cmd.language, ref=cmd.id, **state))


class FloorLanguageCommand(Command):
    type: Literal["booth.floor_language"]
    language: Language


@command("booth.floor_language", FloorLanguageCommand)
def handle_floor_language(ctx: Context, cmd: FloorLanguageCommand) -> None:
    language = services.do_set_floor_language(ctx.user, ctx.session, cmd.language)
    ctx.reply(event("booth.floor_language", language=language, ref=cmd.id))


@command("booth.chat", ChatCommand)
def handle_chat(ctx: Context, cmd: ChatCommand) -> None:
    services.do_chat(ctx.user, ctx.session, cmd.language, cmd.text)
    # The partners get the message as ``booth.chat``; the sender's page clears its input on this.
    ctx.reply(event("booth.chat_sent", language=cmd.language, ref=cmd.id))
