"""Media services: who may listen or speak, and the Janus legs of each socket.

``check_*`` functions decide on the server, from the meeting's roles and the
live state, and raise ``Refusal``. ``do_*`` coroutines talk to Janus through
the room manager of the running loop. A socket (``connection``) has at most
one listening leg (a Streaming subscription carrying every channel, of which
only the chosen ones are sent) and one speaking leg per target (the floor or
a booth language), each an AudioBridge participant.

Who is heard on a channel is decided by other apps (``floor`` for the floor,
``interpretation`` for the booths) through :func:`set_heard`; it is kept in
the cache so that every process and every later join applies it, and it is
enforced with AudioBridge moderation, never by the browser.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.cache import cache
from django.utils.translation import gettext as _

from plenary.core.errors import PermissionRefusal, Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.live.events import event, publish_to_session
from plenary.live.services import snapshot_part
from plenary.live.standing import Standing, standing_for
from plenary.media import engine, video
from plenary.media.janus.client import Handle, JanusError, JanusUnavailableError
from plenary.media.rooms import FLOOR, STAGE, VIDEO, RoomManager, SessionLayout
from plenary.meetings.models import Participation, Session

logger = logging.getLogger(__name__)

Role = Participation.Role
HEARD_TTL_SECONDS = 24 * 3600


class MediaUnavailable(Refusal):
    """Janus is down or restarting; the client should retry shortly."""

    def __init__(self) -> None:
        super().__init__(_("Audio is temporarily unavailable. Reconnecting…"), "media_unavailable")


# --- Layout and rights ----------------------------------------------------


def layout_for(session: Session) -> SessionLayout:
    """The floor plus one channel per interpretation language of the meeting."""
    offered = {str(code) for code in session.meeting.languages or []}
    return SessionLayout(session.pk, tuple(code for code in UN_LANGUAGES if code in offered))


def check_channel(layout: SessionLayout, channel: str) -> str:
    if channel not in layout.channels:
        raise Refusal(_("This session has no such channel."), "unknown_channel")
    return channel


def check_listen(user: Any, session: Session) -> Standing:
    """Participants of the meeting may listen (the public listens through the webcast)."""
    standing = standing_for(user, session)
    if not standing.is_participant:
        raise PermissionRefusal(_("You are not a participant of this meeting."))
    return standing


def check_speak(user: Any, session: Session, target: str) -> Standing:
    """May ``user`` send audio to ``target`` (the floor, or a booth language)?"""
    standing = standing_for(user, session)
    check_channel(layout_for(session), target)
    if target == FLOOR:
        allowed = standing.may_speak() or Role.ROOM_OPERATOR in standing.roles
    else:
        allowed = (
            standing.user_id is not None
            and Participation.objects.filter(
                meeting_id=session.meeting_id, user=user, role=Role.INTERPRETER, language=target
            ).exists()
        )
    if not allowed:
        raise PermissionRefusal(_("You may not speak on this channel."), "may_not_speak")
    return standing


# --- Who is heard ---------------------------------------------------------


def _heard_key(session_id: int, channel: str) -> str:
    return f"media:heard:{session_id}:{channel}"


def heard(session_id: int, channel: str) -> frozenset[int]:
    """The users whose microphones are open on ``channel`` (nobody until decided)."""
    return frozenset(cache.get(_heard_key(session_id, channel), ()))


def channels_on_air(session: Session) -> list[str]:
    """The language channels someone is heard on now (an interpreter on air);
    listen pages tell a listener when the channel they chose is silent."""
    return [code for code in layout_for(session).languages if heard(session.pk, code)]


@snapshot_part
def _media_snapshot(session: Session, standing: Standing) -> dict[str, Any]:
    """The channels on air, in every snapshot: a page that connects (again)
    after a ``media.heard`` it missed still shows which booths are on air."""
    return {"on_air": channels_on_air(session)}


def set_heard(session_id: int, channel: str, user_ids: frozenset[int]) -> None:
    """Decide who is heard on ``channel`` and have Janus enforce it (``engine.submit``:
    the caller does not wait for Janus).

    Called from synchronous code (signal receivers, command handlers). If
    Janus is unreachable the decision is still stored and applies to every
    (re)join; the failure is logged, never raised into the caller's commit.
    Enforcement reads the decision when it runs, so the latest one wins.
    """
    cache.set(_heard_key(session_id, channel), sorted(user_ids), HEARD_TTL_SECONDS)
    # Clients show their on-air state from this; enforcement does not depend on them.
    publish_to_session(session_id, event("media.heard", channel=channel, user_ids=sorted(user_ids)))
    engine.submit(partial(_enforce_heard, session_id, channel), f"moderate {session_id}/{channel}")


async def _enforce_heard(session_id: int, channel: str) -> None:
    try:
        await apply_heard(session_id, channel)
    except JanusError as exc:
        logger.warning("Could not moderate %s/%s in Janus: %s", session_id, channel, exc)


async def apply_heard(session_id: int, channel: str) -> None:
    """Mute every participant of the channel's room except those allowed."""
    allowed = heard(session_id, channel)
    async with engine.rooms_now() as rooms:
        try:
            participants = await rooms.participants(session_id, channel)
        except JanusError as exc:
            if exc.code == 485:  # no such room: nobody joined yet, the joins apply the rule
                return
            raise
        for participant in participants:
            user = _user_of(participant)
            if user is None:  # an AI voice input (only the server creates those)
                continue
            want_muted = user not in allowed
            if bool(participant.get("muted")) != want_muted:
                await rooms.set_muted(session_id, channel, int(str(participant["id"])), want_muted)


def _user_of(participant: dict[str, Any]) -> int | None:
    display = str(participant.get("display", ""))
    return int(display) if display.isdigit() else None


# --- Janus legs of a socket -----------------------------------------------


@dataclass
class Connection:
    """The media legs of one socket, held by the process that holds the socket.

    ``speakers`` are the sending legs: a microphone per target (the floor or
    a booth language), and the ``camera`` and ``screen`` video publishers.
    """

    session_id: int
    user_id: int | None
    listener: Handle | None = None
    channel: str = FLOOR
    underneath: bool = False
    video: bool = False
    layer: int = 0
    speakers: dict[str, Handle] = field(default_factory=dict)


_connections: dict[str, Connection] = {}
# The hangup target that closes the listening leg only (the others name a speaking leg).
LISTENING = "listening"


def connection(connection_id: str) -> Connection | None:
    return _connections.get(connection_id)


def connections() -> list[Connection]:
    """The media legs of every socket this process holds."""
    return list(_connections.values())


def _sent_mids(
    layout: SessionLayout, channel: str, underneath: bool, with_video: bool
) -> dict[str, bool]:
    sent = {mid: mid == channel or (underneath and mid == FLOOR) for mid in layout.channels}
    return sent | dict.fromkeys(VIDEO, with_video)


async def _guard(coro: Any) -> Any:
    try:
        return await coro
    except JanusUnavailableError as exc:
        raise MediaUnavailable from exc


async def do_speak(
    connection_id: str, user_id: int, layout: SessionLayout, target: str, sdp: str
) -> str:
    """Join ``target``'s room with the browser's offer; return Janus's answer.

    The participant starts muted unless ``target``'s moderation allows the
    user, so a browser that sends audio without the right is never heard.
    """
    return str(await _guard(_speak(connection_id, user_id, layout, target, sdp)))


async def _speak(
    connection_id: str, user_id: int, layout: SessionLayout, target: str, sdp: str
) -> str:
    rooms = engine.manager()
    await rooms.ensure_session(layout)
    conn = _connections.setdefault(connection_id, Connection(layout.session_id, user_id))
    old = conn.speakers.pop(target, None)
    if old is not None:
        await old.detach()
    muted = user_id not in heard(layout.session_id, target)
    handle, answer = await rooms.join(layout.session_id, target, str(user_id), muted, sdp)
    if answer is None:
        await handle.detach()
        raise Refusal(_("The audio server did not accept the connection."), "no_answer")
    conn.speakers[target] = handle
    _watch(connection_id, handle)
    return answer


async def do_listen(
    connection_id: str,
    user_id: int | None,
    layout: SessionLayout,
    channel: str,
    underneath: bool,
    *,
    with_video: bool = False,
) -> str:
    """Subscribe this socket to the session's channels (and the video, unless audio
    only); return Janus's offer to answer."""
    return str(
        await _guard(
            _listen(connection_id, user_id, layout, channel, underneath, with_video=with_video)
        )
    )


async def _listen(
    connection_id: str,
    user_id: int | None,
    layout: SessionLayout,
    channel: str,
    underneath: bool,
    *,
    with_video: bool,
) -> str:
    rooms = engine.manager()
    await rooms.ensure_session(layout)
    conn = _connections.setdefault(connection_id, Connection(layout.session_id, user_id))
    if conn.listener is not None:
        await conn.listener.detach()
        conn.listener = None
    handle, offer = await rooms.watch(layout.session_id)
    if offer is None:
        await handle.detach()
        raise Refusal(_("The audio server did not offer a connection."), "no_offer")
    conn.listener, conn.channel, conn.underneath = handle, channel, underneath
    conn.video, conn.layer = with_video, 0
    _watch(connection_id, handle)
    return offer


async def do_listen_answer(connection_id: str, layout: SessionLayout, sdp: str) -> None:
    """Complete the listening leg with the client's answer and send the chosen channel."""
    conn = _connections.get(connection_id)
    if conn is None or conn.listener is None:
        raise Refusal(_("Start listening before sending an answer."), "not_listening")
    await _guard(RoomManager.start_watching(conn.listener, sdp))
    if conn.video:
        await _guard(RoomManager.choose_layer(conn.listener, STAGE, conn.layer))
    await do_switch(connection_id, layout, conn.channel, conn.underneath)


async def do_switch(
    connection_id: str, layout: SessionLayout, channel: str, underneath: bool
) -> None:
    """Change what this socket hears, on the same connection (no renegotiation)."""
    conn = _connections.get(connection_id)
    if conn is None or conn.listener is None:
        raise Refusal(_("Start listening before choosing a channel."), "not_listening")
    await _guard(
        RoomManager.send_streams(conn.listener, _sent_mids(layout, channel, underneath, conn.video))
    )
    conn.channel, conn.underneath = channel, underneath


async def do_video(connection_id: str, layout: SessionLayout, on: bool, layer: int) -> None:
    """Send this socket's listening leg the stage and screen video (at simulcast
    ``layer``, 0 the lowest), or none at all (audio only)."""
    conn = _connections.get(connection_id)
    if conn is None or conn.listener is None:
        raise Refusal(_("Start listening before choosing a channel."), "not_listening")
    conn.video = on
    if on:
        await _guard(RoomManager.choose_layer(conn.listener, STAGE, layer))
    conn.layer = layer
    await do_switch(connection_id, layout, conn.channel, conn.underneath)


async def do_publish(
    connection_id: str, standing: Standing, layout: SessionLayout, kind: str, sdp: str
) -> str:
    """Publish this socket's camera or screen (``kind``); return Janus's answer.

    The stage shows one camera: a publisher already there (the previous
    floor holder's, a stale one) is removed. A screen shared by someone else
    is not replaced: the presenter, or the secretariat, stops it first.
    """
    return str(await _guard(_publish(connection_id, standing, layout, kind, sdp)))


async def _publish(
    connection_id: str, standing: Standing, layout: SessionLayout, kind: str, sdp: str
) -> str:
    rooms = engine.manager()
    await rooms.ensure_session(layout)
    user_id = int(standing.user_id or 0)
    conn = _connections.setdefault(connection_id, Connection(layout.session_id, user_id))
    old = conn.speakers.pop(kind, None)
    if old is not None:
        await old.detach()
    present = video.publishers_of(await rooms.publishers(layout.session_id), kind)
    if kind == "screen" and any(user != user_id for _, user in present):
        raise Refusal(
            _("Someone else is sharing a screen. It must be stopped before you share yours."),
            "screen_in_use",
        )
    for participant, _user in present:
        await rooms.kick(layout.session_id, participant)
    by_role = video.presents_by_role(standing)
    handle, answer = await rooms.publish(
        layout.session_id,
        video.MID_OF[kind],
        video.display(user_id, kind, by_role),
        video.video_mid(sdp),
        sdp,
    )
    if answer is None:
        await handle.detach()
        raise Refusal(_("The audio server did not accept the connection."), "no_answer")
    conn.speakers[kind] = handle
    _watch(connection_id, handle)
    return answer


_watchers: set[asyncio.Task[None]] = set()


def _watch(connection_id: str, handle: Handle) -> None:
    """Drop a leg when Janus reports its peer gone (tab closed, network lost)."""
    task = asyncio.get_running_loop().create_task(_until_hangup(connection_id, handle))
    _watchers.add(task)
    task.add_done_callback(_watchers.discard)


async def _until_hangup(connection_id: str, handle: Handle) -> None:
    while (await handle.events.get()).get("janus") not in ("hangup", "detached"):
        continue
    conn = _connections.get(connection_id)
    if conn is None:
        return
    if conn.listener is not handle and handle not in conn.speakers.values():
        return  # a leg replaced meanwhile (a restart): its successor is not concerned
    if conn.listener is handle:
        conn.listener = None
    conn.speakers = {target: leg for target, leg in conn.speakers.items() if leg is not handle}
    if conn.listener is None and not conn.speakers:
        del _connections[connection_id]
    with contextlib.suppress(JanusError):
        await handle.detach()


async def do_hangup(connection_id: str, target: str | None = None) -> None:
    """Close one speaking leg (``target``), the listening leg (``LISTENING``), or every leg
    of the socket (``None``)."""
    conn = _connections.get(connection_id)
    if conn is None:
        return
    handles: list[Handle] = []
    if target == LISTENING:
        if conn.listener is not None:
            handles.append(conn.listener)
        conn.listener = None
        if not conn.speakers:
            del _connections[connection_id]
    elif target is None:
        handles = list(conn.speakers.values())
        conn.speakers.clear()
        if conn.listener is not None:
            handles.append(conn.listener)
        conn.listener = None
        del _connections[connection_id]
    elif target in conn.speakers:
        handles.append(conn.speakers.pop(target))
    for handle in handles:
        try:
            await handle.detach()
        except JanusError as exc:  # Janus gone: its objects are gone too
            logger.info("detach after Janus loss: %s", exc)


async def forget_session_legs(session_ids: list[int]) -> None:
    """Drop the legs of sessions whose Janus restarted (their handles no longer exist)."""
    for connection_id, conn in list(_connections.items()):
        if conn.session_id in session_ids:
            del _connections[connection_id]
