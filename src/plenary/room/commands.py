"""``chat.*`` commands on the session socket (registered in ``RoomConfig.ready``).

``chat.join`` puts a participant's socket in the session's chat and answers
with ``chat.history``; the room page sends it on every (re)connection.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import StringConstraints

from plenary.live.events import event
from plenary.live.protocol import Command, Context, command
from plenary.room import services

CHAT = "chat"  # the socket's slot for the session's chat group (plenary.live.groups)
Audience = Literal["everyone", "secretariat", "delegation"]


class Join(Command):
    type: Literal["chat.join"]


class Send(Command):
    type: Literal["chat.send"]
    audience: Audience = "everyone"
    # Twice the stored limit: the service trims and counts characters and says so.
    text: Annotated[str, StringConstraints(max_length=services.MAX_CHARS * 2)]
    to: int | None = None


class Hide(Command):
    type: Literal["chat.hide"]
    message_id: int


class Translate(Command):
    type: Literal["chat.translate"]
    message_id: int


class SetPublic(Command):
    type: Literal["chat.public"]
    open: bool


@command("chat.join", Join)
def join(ctx: Context, cmd: Join) -> None:
    services.check_reader(ctx.standing)
    ctx.join(CHAT, services.chat_group(ctx.session_id))
    ctx.reply(
        event(
            "chat.history",
            ref=cmd.id,
            messages=services.history(ctx.standing, ctx.session),
            public_open=services.public_open(ctx.session),
            moderator=services.may_moderate(ctx.standing),
        )
    )


@command("chat.send", Send)
def send(ctx: Context, cmd: Send) -> None:
    message = services.do_send(
        ctx.user, ctx.session, cmd.audience, cmd.text, to_entity_id=cmd.to, language=ctx.language
    )
    ctx.reply(event("chat.sent", id=message.pk, ref=cmd.id))


@command("chat.hide", Hide)
def hide(ctx: Context, cmd: Hide) -> None:
    services.do_hide(ctx.user, ctx.session, cmd.message_id)
    ctx.reply(event("chat.done", ref=cmd.id))


@command("chat.translate", Translate)
def translate(ctx: Context, cmd: Translate) -> None:
    language = ctx.language or "en"
    text = services.translate(ctx.standing, ctx.session, cmd.message_id, language)
    ctx.reply(
        event("chat.translation", id=cmd.message_id, language=language, text=text, ref=cmd.id)
    )


@command("chat.public", SetPublic)
def set_public(ctx: Context, cmd: SetPublic) -> None:
    services.do_set_public(ctx.user, ctx.session, cmd.open)
    ctx.reply(event("chat.done", ref=cmd.id))
