"""Audio between Janus and the speech workers (``plenary.speech``).

* A caption stream is ``live`` once its worker listens on ``rtp_port``: the
  channel's AudioBridge room is ``rtp_forward``-ed there, and the forward
  stopped when the stream is released or ends. The forward in place for each
  stream is kept in the cache, so that any process can stop or replace it.
* An AI voice requested on a stream gets a plain RTP participant in its
  language's room (held by the server's room manager); the media plane then
  tells the speech plane where to send with ``speech.services.do_route_voice``.
* After a Janus restart both are made again with the rooms
  (:func:`resync_sessions`).

Workers receive on the address they bind (``speech-worker --rtp-host``,
loopback by default) and report it with ``ready`` (``CaptionStream.rtp_host``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.core.cache import cache

from plenary.core.errors import Refusal
from plenary.media import engine, services
from plenary.media.janus.client import JanusError
from plenary.media.rooms import SessionLayout
from plenary.speech import services as speech
from plenary.speech.models import CaptionStream

logger = logging.getLogger(__name__)

FORWARD_TTL_SECONDS = 7 * 24 * 3600


def _forward_key(stream_id: int) -> str:
    return f"media:worker-forward:{stream_id}"


@dataclass(frozen=True)
class Wanted:
    """What Janus should do for one caption stream."""

    forward: tuple[str, str, int] | None  # channel, host, port
    voices: tuple[str, ...]  # languages needing an RTP input (the stream is active)
    routed: dict[str, str]  # language -> "host:port" the worker sends to now


def wanted(stream: CaptionStream, layout: SessionLayout) -> Wanted:
    live = stream.status == CaptionStream.Status.LIVE and stream.rtp_port is not None
    forward = None
    if live and stream.channel in layout.channels:
        forward = (stream.channel, stream.rtp_host, int(stream.rtp_port or 0))
    active = stream.stopped_at is None
    voices = tuple(code for code in stream.voices if active and code in layout.languages)
    return Wanted(forward, voices, {str(k): str(v) for k, v in stream.voices.items()})


def _load(stream_id: int) -> tuple[CaptionStream, SessionLayout] | None:
    stream = CaptionStream.objects.select_related("session__meeting").filter(pk=stream_id).first()
    return (stream, services.layout_for(stream.session)) if stream is not None else None


async def apply_stream(stream_id: int, *, restarted: bool = False) -> None:
    """Make Janus match the caption stream (after each commit that changes it).

    ``restarted``: Janus lost its forwards and inputs, make them again. Janus
    being unreachable is logged, never raised: the restart resync repairs it.
    The database is read and written in short steps; the Janus round trips
    hold no thread.
    """
    loaded = await sync_to_async(_load)(stream_id)
    if loaded is None:
        return
    stream, layout = loaded
    try:
        routes = await _apply(stream, layout, wanted(stream, layout), restarted)
    except JanusError as exc:
        logger.warning("Could not connect caption stream %s to Janus: %s", stream_id, exc)
        return
    for language, (host, port) in routes.items():
        try:
            await sync_to_async(speech.do_route_voice)(stream_id, language, host, port)
        except Refusal as refusal:  # the voice was withdrawn meanwhile
            logger.info("AI voice %s of stream %s not routed: %s", language, stream_id, refusal)


async def _apply(
    stream: CaptionStream, layout: SessionLayout, want: Wanted, restarted: bool
) -> dict[str, tuple[str, int]]:
    await _apply_forward(stream.pk, layout, want.forward, restarted)
    routes: dict[str, tuple[str, int]] = {}
    if want.voices:
        rooms = engine.manager()  # the inputs live as long as the server's connection
        for language in want.voices:
            host, port = await rooms.voice_input(layout, language)
            if want.routed.get(language) != f"{host}:{port}" or restarted:
                routes[language] = (host, port)
    elif stream.voices:
        async with engine.rooms_now() as rooms:
            for language in stream.voices:
                await rooms.drop_voice(layout.session_id, language)
    return routes


async def _apply_forward(
    stream_id: int, layout: SessionLayout, forward: tuple[str, str, int] | None, restarted: bool
) -> None:
    key = _forward_key(stream_id)
    if restarted:  # the forwards went with the rooms
        cache.delete(key)
    current = cache.get(key)
    if (tuple(current["to"]) if current else None) == forward:
        return
    async with engine.rooms_now() as rooms:
        if current is not None:
            try:
                await rooms.stop_forward(layout.session_id, current["to"][0], current["id"])
            except JanusError as exc:  # gone with its room: nothing left to stop
                logger.info("forward of stream %s already gone: %s", stream_id, exc)
        cache.delete(key)
        if forward is not None:
            forward_id = await rooms.forward(layout, *forward)
            cache.set(key, {"to": list(forward), "id": forward_id}, FORWARD_TTL_SECONDS)


async def resync_sessions(session_ids: list[int]) -> None:
    """Janus restarted: make the forwards and AI voice inputs of these sessions again."""
    active = CaptionStream.objects.filter(session_id__in=session_ids, stopped_at__isnull=True)
    ids: list[int] = [pk async for pk in active.values_list("pk", flat=True)]
    for stream_id in ids:
        await apply_stream(stream_id, restarted=True)
