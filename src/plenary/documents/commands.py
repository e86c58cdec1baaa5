"""``documents.*`` commands on the session socket: the document on the room's screen
(registered in ``DocumentsConfig.ready``; the events are the floor's, see ``screen``)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, StringConstraints

from plenary.documents import screen
from plenary.live.protocol import Command, Context, command

Page = Annotated[int, Field(ge=1, le=screen.MAX_PAGE)]


class Show(Command):
    type: Literal["documents.show"]
    document_id: int
    language: Annotated[str, StringConstraints(max_length=8)] = ""
    page: Page = 1


class TurnPage(Command):
    type: Literal["documents.page"]
    page: Page


class Clear(Command):
    type: Literal["documents.clear"]


@command("documents.show", Show)
def show(ctx: Context, cmd: Show) -> None:
    screen.do_show(ctx.user, ctx.session_id, cmd.document_id, cmd.language, cmd.page)


@command("documents.page", TurnPage)
def turn_page(ctx: Context, cmd: TurnPage) -> None:
    screen.do_page(ctx.user, ctx.session_id, cmd.page)


@command("documents.clear", Clear)
def clear(ctx: Context, cmd: Clear) -> None:
    screen.do_clear(ctx.user, ctx.session_id)
