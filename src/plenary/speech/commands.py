"""``captions.*`` commands on the session socket (registered in ``SpeechConfig.ready``).

``captions.subscribe`` joins the socket to one language's captions (one at a
time: the previous language is left) and answers with a ``captions.snapshot``:
the latest final segments in that language and the state of every stream.
Each subscription is an attendance fact (channel ``captions``, the caption
language), which the statistics count as caption use.

A socket belongs to one caption group at a time, remembered here per channel
name: switching language leaves the old group, ``captions.unsubscribe``
leaves it, and :func:`leave_captions` runs when the session socket closes,
so no membership is left to the channel layer's expiry.
"""

from __future__ import annotations

import threading
from typing import Literal

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from plenary.core.languages import Language
from plenary.floor.attendance import record_attendance
from plenary.floor.events import event
from plenary.floor.models import AttendanceRecord
from plenary.floor.protocol import Command, Context, command, on_disconnect
from plenary.floor.rights import standing_for
from plenary.speech import events, services
from plenary.speech.models import CaptionStream
from plenary.stats.queries import CAPTIONS_CHANNEL


class Subscribe(Command):
    type: Literal["captions.subscribe"]
    language: Language


class Unsubscribe(Command):
    type: Literal["captions.unsubscribe"]


# Channel name -> the caption group that socket is in (one per socket, this process's sockets).
_joined: dict[str, str] = {}
_joined_lock = threading.Lock()


def _switch(channel_name: str, group: str | None) -> str | None:
    """Record ``channel_name`` as in ``group`` (``None``: in none); return its previous group."""
    with _joined_lock:
        previous = _joined.pop(channel_name, None)
        if group is not None:
            _joined[channel_name] = group
    return previous


def caption_group_of(channel_name: str) -> str | None:
    """The caption group a socket of this process is in, if any."""
    return _joined.get(channel_name)


def _join(channel_name: str, group: str) -> None:
    layer = get_channel_layer()
    previous = _switch(channel_name, group)
    if previous is not None and previous != group:
        async_to_sync(layer.group_discard)(previous, channel_name)
    async_to_sync(layer.group_add)(group, channel_name)


def _leave(channel_name: str) -> None:
    previous = _switch(channel_name, None)
    if previous is not None:
        async_to_sync(get_channel_layer().group_discard)(previous, channel_name)


@on_disconnect
def leave_captions(ctx: Context) -> None:
    """The session socket closed: leave its caption group."""
    _leave(ctx.channel_name)


@command("captions.subscribe", Subscribe)
def subscribe(ctx: Context, cmd: Subscribe) -> None:
    session = services.get_session(ctx.session_id)
    _join(ctx.channel_name, events.caption_group(session.pk, cmd.language))
    standing = standing_for(ctx.user, session)
    if standing.user_id is not None and standing.is_participant:
        record_attendance(
            user=ctx.user,
            session=session,
            kind=AttendanceRecord.Kind.CHANNEL,
            attendance=standing.attendance,
            channel=CAPTIONS_CHANNEL,
            language=cmd.language,
            connection=ctx.connection_id,
        )
    streams = CaptionStream.objects.filter(session=session, stopped_at__isnull=True)
    ctx.reply(
        event(
            "captions.snapshot",
            ref=cmd.id,
            language=cmd.language,
            segments=[
                events.segment_json(s) for s in services.recent_segments(session.pk, cmd.language)
            ],
            streams=[events.stream_json(s) for s in streams],
            coverage=services.caption_coverage(session),
        )
    )


@command("captions.unsubscribe", Unsubscribe)
def unsubscribe(ctx: Context, cmd: Unsubscribe) -> None:
    _leave(ctx.channel_name)
