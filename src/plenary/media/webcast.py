"""The public webcast: the meeting room without its interactive parts.

Anyone with the webcast's address sees the stage (who has the floor, the
speaker's camera, the shared screen), hears any channel and reads the
captions; nobody speaks, asks for the floor or chats. Its socket
(``/ws/media/webcast/<token>/<session>/``) sends a snapshot on connect, then
the session's public events (``is_public``: the floor, media, captions, the
booths; never chat or presence), and accepts only the watching commands
(``webcast_commands``, a registry of the kernel's protocol: the same
schemas, parsing and errors as the session socket, with handlers for an
anonymous viewer);
the token is checked on connect (a provisioned, public webcast of a
published meeting, and the session belongs to that meeting).

Viewers are counted without signing in (``stats.WebcastView``): once audio
plays, and at each channel change, with the anonymous key the page keeps in
the browser (``?viewer=`` on the socket; this socket's id without one).
"""

from __future__ import annotations

import re
from functools import partial
from urllib.parse import parse_qs

from django.utils.translation import gettext as _

from plenary.core.errors import NotFoundRefusal
from plenary.live import protocol
from plenary.live.commands import Ping, Resync, ping, resync
from plenary.live.events import event
from plenary.live.protocol import Context
from plenary.media import services
from plenary.media.commands import (
    AnswerCommand,
    ChannelCommand,
    HangupCommand,
    ListenCommand,
    NonceCommand,
    VideoCommand,
    run,
)
from plenary.media.rooms import FLOOR
from plenary.media.signalling import consume_nonce, issue_nonce, validate_sdp
from plenary.media.turn import ice_servers
from plenary.meetings.models import Session
from plenary.provisioning.services import webcast_by_token
from plenary.speech.commands import Subscribe, Unsubscribe, subscribe, unsubscribe
from plenary.stats.services import record_webcast_view

# What of the session's events a webcast viewer is sent (by type prefix). Every event of the
# session's log is among them (``document.*`` too), so that the viewer's copy of the state
# stays in step without a resync.
PUBLIC_EVENTS = ("session.", "chair.", "floor.", "document.", "media.", "booth.", "captions.")


def is_public(event_type: str) -> bool:
    return event_type.startswith(PUBLIC_EVENTS)


def check_webcast(token: str, session_id: int | None) -> Session:
    """The session, if ``token`` is a public webcast of its meeting; else not found.

    ``session_id`` is ``None`` when the address's session part is no id.
    """
    webcast = webcast_by_token(token)
    session = (
        Session.objects.select_related("meeting")
        .filter(pk=session_id, meeting_id=webcast.meeting_id)
        .first()
        if session_id is not None
        else None
    )
    if session is None:
        raise NotFoundRefusal(_("There is no public webcast at this address."))
    return session


_VIEWER_KEY = re.compile(r"[A-Za-z0-9_-]{8,64}")


def viewer_key(query_string: bytes, connection_id: str) -> str:
    """The browser's anonymous viewer key from the socket's query, else the socket's id."""
    keys = parse_qs(query_string.decode("latin-1")).get("viewer", [])
    return keys[0] if keys and _VIEWER_KEY.fullmatch(keys[0]) else connection_id


def record_view(session: Session, viewer: str, channel: str) -> None:
    """A webcast viewer hears ``channel`` (the floor counts as no particular language)."""
    record_webcast_view(session, viewer, "" if channel == FLOOR else channel)


webcast_commands = protocol.Registry("webcast")
webcast_commands.command("ping", Ping)(ping)  # the shared page socket's keepalive
webcast_commands.command("resync", Resync)(resync)  # the floor's state, as anyone sees it
webcast_commands.command("captions.subscribe", Subscribe)(subscribe)
webcast_commands.command("captions.unsubscribe", Unsubscribe)(unsubscribe)


@webcast_commands.command("media.nonce", NonceCommand)
def nonce(ctx: Context, cmd: NonceCommand) -> None:
    issued = issue_nonce(None, ctx.session_id, ctx.connection_id)
    ctx.reply(
        event("media.nonce", nonce=issued, ice_servers=ice_servers(ctx.connection_id), ref=cmd.id)
    )


@webcast_commands.command("media.listen", ListenCommand)
def listen(ctx: Context, cmd: ListenCommand) -> None:
    layout = services.layout_for(ctx.session)
    services.check_channel(layout, cmd.channel)
    consume_nonce(cmd.nonce, None, ctx.session_id, ctx.connection_id)
    offer = run(
        partial(services.do_listen, with_video=cmd.video),
        ctx.connection_id,
        None,
        layout,
        cmd.channel,
        cmd.underneath,
    )
    ctx.reply(event("media.offer", channel=cmd.channel, sdp=offer, ref=cmd.id))


@webcast_commands.command("media.video", VideoCommand)
def see(ctx: Context, cmd: VideoCommand) -> None:
    run(services.do_video, ctx.connection_id, services.layout_for(ctx.session), cmd.on, cmd.layer)
    ctx.reply(event("media.video", on=cmd.on, layer=cmd.layer, ref=cmd.id))


@webcast_commands.command("media.answer", AnswerCommand)
def answer(ctx: Context, cmd: AnswerCommand) -> None:
    consume_nonce(cmd.nonce, None, ctx.session_id, ctx.connection_id)
    layout = services.layout_for(ctx.session)
    run(services.do_listen_answer, ctx.connection_id, layout, validate_sdp(cmd.sdp))
    conn = services.connection(ctx.connection_id)
    record_view(ctx.session, ctx.viewer, conn.channel if conn is not None else FLOOR)
    ctx.reply(event("media.listening", ref=cmd.id))


@webcast_commands.command("media.channel", ChannelCommand)
def channel(ctx: Context, cmd: ChannelCommand) -> None:
    layout = services.layout_for(ctx.session)
    services.check_channel(layout, cmd.channel)
    run(services.do_switch, ctx.connection_id, layout, cmd.channel, cmd.underneath)
    record_view(ctx.session, ctx.viewer, cmd.channel)
    ctx.reply(event("media.channel", channel=cmd.channel, underneath=cmd.underneath, ref=cmd.id))


@webcast_commands.command("media.hangup", HangupCommand)
def hangup(ctx: Context, cmd: HangupCommand) -> None:
    run(services.do_hangup, ctx.connection_id, None)
    ctx.reply(event("media.closed", target=None, ref=cmd.id))
