"""Enforce the floor's decisions, connect caption streams, and recover after a restart.

After a Janus restart (supervised or external) the room manager re-creates the
rooms of the sessions in use; then, here, who may be heard is re-derived from
the floor's state, the forwards to the speech workers are made again, and
every client is told to re-establish its legs (``media.reset``). After a
server restart, :func:`restore_sessions` re-derives who may be heard before
the first client is served, so a floor holder whose page reconnects is on air
again without the chair giving the floor again.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from asgiref.sync import sync_to_async
from django.dispatch import receiver

from plenary.live.events import event, publish_to_session
from plenary.live.floor import floor
from plenary.live.signals import floor_changed
from plenary.media import captioning, engine, recorder, services, video
from plenary.media.rooms import FLOOR
from plenary.meetings.models import Session
from plenary.speech.signals import stream_audio_changed


@receiver(floor_changed, dispatch_uid="media.moderate_floor")
def moderate_floor(
    sender: Any,
    session_id: int,
    unmuted_user_ids: frozenset[int],
    stage_user_ids: frozenset[int],
    **kwargs: Any,
) -> None:
    """Only the users the floor allows are heard in the floor room (server side), and
    only the cameras it puts on the stage are seen."""
    services.set_heard(session_id, FLOOR, frozenset(unmuted_user_ids))
    video.set_stage(session_id, frozenset(stage_user_ids))


def remoderate_floor(session_ids: list[int]) -> None:
    """Who may be heard and seen on these sessions' floor, re-derived from the floor's state."""
    for session_id in Session.objects.filter(pk__in=session_ids).values_list("pk", flat=True):
        services.set_heard(session_id, FLOOR, floor().heard(session_id))
        video.set_stage(session_id, floor().stage(session_id))


def restore_sessions() -> None:
    """Start-up step of ``plenary serve``: moderation of every open session, before serving,
    and new recording files for those recorded (the old ones end where the last server
    did: its silent participants went with it)."""
    open_ids = floor().open_session_ids()
    remoderate_floor(open_ids)
    for session_id in recorder.recorded_session_ids(open_ids):
        engine.submit(
            partial(recorder.apply_recording, session_id, new_files=True), f"record {session_id}"
        )


@engine.on_restart
async def reconnect_clients(session_ids: list[int]) -> None:
    """Janus restarted: its legs are gone; clients re-establish theirs on ``media.reset``.

    Moderation is re-applied first, so that a leg that rejoins is muted or
    heard as the floor says now.
    """
    await services.forget_session_legs(session_ids)
    await sync_to_async(remoderate_floor)(session_ids)
    for session_id in session_ids:
        await sync_to_async(publish_to_session)(session_id, event("media.reset"))


@engine.on_restart
async def record_again(session_ids: list[int]) -> None:
    """Janus restarted: its rooms are new and record nothing; each recorded one starts a
    new file (the one before ends at the crash: the gap between them is the loss)."""
    for session_id in recorder.recorded_session_ids(session_ids):
        await recorder.apply_recording(session_id)


@engine.on_rebuilt
async def reconnect_listeners(session_id: int) -> None:
    """The session's mountpoint was replaced (a language added): its listeners reconnect.

    Rooms, and so speakers and interpreters, are untouched: ``scope`` tells
    their legs to stay.
    """
    await sync_to_async(publish_to_session)(session_id, event("media.reset", scope="listen"))


@receiver(stream_audio_changed, dispatch_uid="media.connect_caption_stream")
def connect_caption_stream(sender: Any, stream_id: int, **kwargs: Any) -> None:
    """Forward the channel to its worker and take AI voices in (after the commit, on the
    server's event loop: the committing thread does not wait for Janus)."""
    engine.submit(partial(captioning.apply_stream, stream_id), f"caption stream {stream_id}")


@engine.on_restart
async def reconnect_caption_streams(session_ids: list[int]) -> None:
    """Janus restarted: forwards to the workers and AI voice inputs went with the rooms."""
    await captioning.resync_sessions(session_ids)
