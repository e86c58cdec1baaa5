"""``captions.*`` commands on the session socket (registered in ``SpeechConfig.ready``).

``captions.subscribe`` joins the socket to one language's captions (one at a
time: the previous language is left) and answers with a ``captions.snapshot``:
the latest final segments in that language and the state of every stream.
Each subscription is an attendance fact (channel ``captions``, the caption
language), which the statistics count as caption use.

A socket belongs to one caption group at a time (its ``captions`` slot in
``plenary.live.groups``): switching language leaves the old group,
``captions.unsubscribe`` leaves it, and the kernel leaves it when the socket
closes.
"""

from __future__ import annotations

from typing import Literal

from plenary.core.languages import Language
from plenary.live.events import event
from plenary.live.protocol import Command, Context, command
from plenary.speech import events, services
from plenary.speech.models import CaptionStream
from plenary.stats.queries import CAPTIONS_CHANNEL


class Subscribe(Command):
    type: Literal["captions.subscribe"]
    language: Language


class Unsubscribe(Command):
    type: Literal["captions.unsubscribe"]


CAPTIONS = "captions"  # the socket's slot for its caption group (plenary.live.groups)


@command("captions.subscribe", Subscribe)
def subscribe(ctx: Context, cmd: Subscribe) -> None:
    session = ctx.session
    ctx.join(CAPTIONS, events.caption_group(session.pk, cmd.language))
    ctx.record_channel(CAPTIONS_CHANNEL, cmd.language)
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
    ctx.leave(CAPTIONS)
