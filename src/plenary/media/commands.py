"""The ``media.*`` commands of the session socket (registered from ``MediaConfig.ready``).

The browser's WebRTC signalling goes through these: it asks for a nonce,
then sends its offer (to speak) or asks for Janus's offer and answers it (to
listen), each bound to the nonce. ICE is not trickled: browsers send a
complete offer or answer after gathering, which suits Janus's single public
candidate and keeps the protocol to one round trip.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Annotated, Any, Literal, TypeVar

from asgiref.sync import async_to_sync
from django.utils.translation import gettext as _
from pydantic import Field, StringConstraints

from plenary.core.errors import PermissionRefusal, Refusal
from plenary.live.events import event, publish_to_session
from plenary.live.protocol import Command, Context, command, on_disconnect
from plenary.media import services, video
from plenary.media.janus.client import JanusError, JanusUnavailableError
from plenary.media.rooms import FLOOR
from plenary.media.signalling import MAX_SDP_BYTES, consume_nonce, issue_nonce, validate_sdp
from plenary.media.turn import ice_servers

T = TypeVar("T")
Sdp = Annotated[str, StringConstraints(max_length=MAX_SDP_BYTES)]
Channel = Annotated[str, StringConstraints(max_length=16)]
Nonce = Annotated[str, StringConstraints(max_length=64)]


class NonceCommand(Command):
    type: Literal["media.nonce"]


class SpeakCommand(Command):
    type: Literal["media.speak"]
    nonce: Nonce
    target: Channel = FLOOR
    sdp: Sdp


class ListenCommand(Command):
    type: Literal["media.listen"]
    nonce: Nonce
    channel: Channel = FLOOR
    underneath: bool = False
    video: bool = False


class PublishCommand(Command):
    type: Literal["media.publish"]
    nonce: Nonce
    kind: Literal["camera", "screen"]
    sdp: Sdp


class VideoCommand(Command):
    type: Literal["media.video"]
    on: bool
    layer: Annotated[int, Field(ge=0, le=2)] = 0


class FloorPresentsCommand(Command):
    type: Literal["media.floor_may_present"]
    allowed: bool


class StopScreenCommand(Command):
    type: Literal["media.stop_screen"]


class AnswerCommand(Command):
    type: Literal["media.answer"]
    nonce: Nonce
    sdp: Sdp


class ChannelCommand(Command):
    type: Literal["media.channel"]
    channel: Channel
    underneath: bool = False


class HangupCommand(Command):
    type: Literal["media.hangup"]
    target: Channel | None = Field(default=None)


def run(call: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Run a media coroutine on the server's event loop; Janus errors become refusals."""
    try:
        return async_to_sync(call)(*args)
    except JanusUnavailableError:
        raise services.MediaUnavailable from None
    except JanusError:
        raise Refusal(_("The audio server refused the connection."), "media_refused") from None


def _record_channel(ctx: Context, channel: str) -> None:
    """An attendance fact: this socket now hears ``channel`` (empty: stopped listening)."""
    ctx.record_channel(channel, "" if channel in (FLOOR, "") else channel)


@command("media.nonce", NonceCommand)
def handle_nonce(ctx: Context, cmd: NonceCommand) -> None:
    nonce = issue_nonce(getattr(ctx.user, "pk", None), ctx.session_id, ctx.connection_id)
    user_key = str(getattr(ctx.user, "pk", None) or ctx.connection_id)
    ctx.reply(event("media.nonce", nonce=nonce, ice_servers=ice_servers(user_key), ref=cmd.id))


@command("media.speak", SpeakCommand)
def handle_speak(ctx: Context, cmd: SpeakCommand) -> None:
    session = ctx.session
    services.check_speak(ctx.user, session, cmd.target)
    consume_nonce(cmd.nonce, ctx.user.pk, ctx.session_id, ctx.connection_id)
    sdp = validate_sdp(cmd.sdp)
    layout = services.layout_for(session)
    answer = run(services.do_speak, ctx.connection_id, ctx.user.pk, layout, cmd.target, sdp)
    ctx.reply(event("media.answer", target=cmd.target, sdp=answer, ref=cmd.id))
    # Whether this microphone is heard now: a page that connects (or reconnects)
    # while its user has the floor shows "on air" without waiting for a change.
    heard = services.heard(ctx.session_id, cmd.target)
    ctx.reply(event("media.heard", channel=cmd.target, user_ids=sorted(heard)))


@command("media.listen", ListenCommand)
def handle_listen(ctx: Context, cmd: ListenCommand) -> None:
    session = ctx.session
    standing = services.check_listen(ctx.user, session)
    layout = services.layout_for(session)
    services.check_channel(layout, cmd.channel)
    consume_nonce(cmd.nonce, standing.user_id, ctx.session_id, ctx.connection_id)
    offer = run(
        partial(services.do_listen, with_video=cmd.video),
        ctx.connection_id,
        standing.user_id,
        layout,
        cmd.channel,
        cmd.underneath,
    )
    ctx.reply(event("media.offer", channel=cmd.channel, sdp=offer, ref=cmd.id))


@command("media.video", VideoCommand)
def handle_video(ctx: Context, cmd: VideoCommand) -> None:
    services.check_listen(ctx.user, ctx.session)
    run(services.do_video, ctx.connection_id, services.layout_for(ctx.session), cmd.on, cmd.layer)
    ctx.reply(event("media.video", on=cmd.on, layer=cmd.layer, ref=cmd.id))


@command("media.publish", PublishCommand)
def handle_publish(ctx: Context, cmd: PublishCommand) -> None:
    session = ctx.session
    standing = video.check_publish(ctx.user, session, cmd.kind)
    consume_nonce(cmd.nonce, ctx.user.pk, ctx.session_id, ctx.connection_id)
    sdp = validate_sdp(cmd.sdp, "video")
    video.video_mid(sdp)
    layout = services.layout_for(session)
    answer = run(services.do_publish, ctx.connection_id, standing, layout, cmd.kind, sdp)
    ctx.reply(event("media.published", kind=cmd.kind, sdp=answer, ref=cmd.id))


@command("media.floor_may_present", FloorPresentsCommand)
def handle_floor_may_present(ctx: Context, cmd: FloorPresentsCommand) -> None:
    if not video.presents_by_role(ctx.standing):
        raise PermissionRefusal(_("Only the chair or the secretariat may decide this."))
    video.set_floor_may_present(ctx.session_id, cmd.allowed)
    ctx.reply(event("media.floor_may_present", allowed=cmd.allowed, ref=cmd.id))


@command("media.stop_screen", StopScreenCommand)
def handle_stop_screen(ctx: Context, cmd: StopScreenCommand) -> None:
    if not video.presents_by_role(ctx.standing):
        raise PermissionRefusal(_("Only the chair or the secretariat may stop a shared screen."))
    stopped = run(video.stop_screens, ctx.session_id)
    publish_to_session(ctx.session_id, event("media.screen_stopped", user_ids=stopped))
    ctx.reply(event("media.screen_stopped", user_ids=stopped, ref=cmd.id))


@command("media.answer", AnswerCommand)
def handle_answer(ctx: Context, cmd: AnswerCommand) -> None:
    session = ctx.session
    standing = services.check_listen(ctx.user, session)
    consume_nonce(cmd.nonce, standing.user_id, ctx.session_id, ctx.connection_id)
    sdp = validate_sdp(cmd.sdp)
    layout = services.layout_for(session)
    run(services.do_listen_answer, ctx.connection_id, layout, sdp)
    conn = services.connection(ctx.connection_id)
    channel = conn.channel if conn else FLOOR
    _record_channel(ctx, channel)
    ctx.reply(event("media.listening", channel=channel, ref=cmd.id))


@command("media.channel", ChannelCommand)
def handle_channel(ctx: Context, cmd: ChannelCommand) -> None:
    session = ctx.session
    services.check_listen(ctx.user, session)
    layout = services.layout_for(session)
    services.check_channel(layout, cmd.channel)
    run(services.do_switch, ctx.connection_id, layout, cmd.channel, cmd.underneath)
    _record_channel(ctx, cmd.channel)
    ctx.reply(event("media.channel", channel=cmd.channel, underneath=cmd.underneath, ref=cmd.id))


@command("media.hangup", HangupCommand)
def handle_hangup(ctx: Context, cmd: HangupCommand) -> None:
    session = ctx.session
    services.check_listen(ctx.user, session)
    conn = services.connection(ctx.connection_id)
    was_listening = conn is not None and conn.listener is not None
    run(services.do_hangup, ctx.connection_id, cmd.target)
    if cmd.target in (None, services.LISTENING) and was_listening:
        _record_channel(ctx, "")
    ctx.reply(event("media.closed", target=cmd.target, ref=cmd.id))


def release(connection_id: str) -> None:
    """Close every media leg of a socket that went away (call from its ``disconnect``)."""
    try:
        async_to_sync(services.do_hangup)(connection_id)
    except JanusError:
        return


@on_disconnect
def release_session_socket(ctx: Context) -> None:
    release(ctx.connection_id)
