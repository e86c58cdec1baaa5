"""``captions.*`` commands on the session socket (registered in ``SpeechConfig.ready``).

``captions.subscribe`` joins the socket to one language's captions (one at a
time: the previous language is left) and answers with a ``captions.snapshot``:
the latest final segments in that language and the state of every stream.
"""

from __future__ import annotations

from typing import Literal

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from plenary.core.languages import Language
from plenary.floor.events import event
from plenary.floor.protocol import Command, Context, command
from plenary.speech import events, services
from plenary.speech.models import CaptionStream


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
