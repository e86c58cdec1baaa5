"""``captions.*`` commands on the session socket (registered in ``SpeechConfig.ready``).

``captions.subscribe`` joins the socket to one language's captions (one at a
time: the previous language is left) and answers with a ``captions.snapshot``:
the latest final segments in that language and the state of every stream.
Each subscription is an attendance fact (channel ``captions``, the caption
language), which the statistics count as caption use.
"""

from __future__ import annotations

from typing import Literal

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from plenary.core.languages import Language
from plenary.floor.attendance import record_attendance
from plenary.floor.events import event
from plenary.floor.models import AttendanceRecord
from plenary.floor.protocol import Command, Context, command
from plenary.floor.rights import standing_for
from plenary.speech import events, services
from plenary.speech.models import CaptionStream
from plenary.stats.queries import CAPTIONS_CHANNEL


class Subscribe(Command):
    type: Literal["captions.subscribe"]
    language: Language


class Unsubscribe(Command):
    type: Literal["captions.unsubscribe"]


def _leave_all(ctx: Context) -> None:
    layer = get_channel_layer()
    for code in Language.values:
        async_to_sync(layer.group_discard)(
            events.caption_group(ctx.session_id, code), ctx.channel_name
        )


@command("captions.subscribe", Subscribe)
def subscribe(ctx: Context, cmd: Subscribe) -> None:
    session = services.get_session(ctx.session_id)
    _leave_all(ctx)
    async_to_sync(get_channel_layer().group_add)(
        events.caption_group(session.pk, cmd.language), ctx.channel_name
    )
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
        )
    )


@command("captions.unsubscribe", Unsubscribe)
def unsubscribe(ctx: Context, cmd: Unsubscribe) -> None:
    _leave_all(ctx)
