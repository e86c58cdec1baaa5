"""Janus records the channels of a session, as the recordings app decides.

The decision (the folder each channel is recorded into, or none) is kept in
the cache, as who is heard is, so every process and every restart applies the
latest one; enforcement runs on the engine's loop (``engine.submit``), and a
Janus that is down gets it when it comes back (``media.receivers``). Janus
writes one WAV file per start into each channel's folder
(``RoomManager.record``) and one MJR file per video stream and start into the
video folder (``RoomManager.record_video``); the recordings app packages them.
"""

from __future__ import annotations

import logging
from functools import partial

from django.core.cache import cache

from plenary.media import engine
from plenary.media.janus.client import JanusError
from plenary.media.rooms import SessionLayout

logger = logging.getLogger(__name__)

RECORDING_TTL_SECONDS = 7 * 24 * 3600


def _key(session_id: int) -> str:
    return f"media:recording:{session_id}"


def _decision(session_id: int) -> tuple[SessionLayout, dict[str, str], str | None]:
    found = cache.get(_key(session_id)) or {"languages": [], "folders": {}}
    layout = SessionLayout(session_id, tuple(found["languages"]))
    return layout, dict(found["folders"]), found.get("video")


def folders(session_id: int) -> dict[str, str]:
    """Where each channel of the session is being recorded (empty: not recorded)."""
    return _decision(session_id)[1]


def video_folder(session_id: int) -> str | None:
    """Where the session's video (stage and screen) is being recorded, if it is."""
    return _decision(session_id)[2]


def set_recording(
    layout: SessionLayout, by_channel: dict[str, str] | None, video: str | None = None
) -> None:
    """Record each channel of the session into its folder and its video (the stage and
    the screen) into ``video``, or stop recording it (``by_channel`` ``None``).

    Called from synchronous code; Janus is not waited for.
    """
    key = _key(layout.session_id)
    before = folders(layout.session_id)
    if by_channel:
        decision = {"languages": list(layout.languages), "folders": dict(by_channel)}
        cache.set(key, decision | {"video": video}, RECORDING_TTL_SECONDS)
    else:
        cache.delete(key)
    job = partial(_enforce, layout, before)
    engine.submit(job, f"record {layout.session_id}")


async def _enforce(layout: SessionLayout, before: dict[str, str]) -> None:
    try:
        await apply_recording(layout.session_id, stopped=before, layout=layout)
    except JanusError as exc:
        logger.warning("Could not change the recording of %s in Janus: %s", layout.session_id, exc)


async def apply_recording(
    session_id: int,
    *,
    stopped: dict[str, str] | None = None,
    new_files: bool = False,
    layout: SessionLayout | None = None,
) -> None:
    """Make Janus record what the decision says: each channel into its folder, and
    none of ``stopped``'s channels that it no longer names. ``new_files`` starts
    new files (after a restart of the control plane, whose silent participants
    went with its connection)."""
    known, wanted, video = _decision(session_id)
    layout = layout or known
    rooms = engine.manager()  # its connection holds the rooms' silent participants
    for channel in sorted({*wanted, *(stopped or {})}):
        await rooms.record(layout, channel, wanted.get(channel), new_file=new_files)
    if video or stopped:
        await rooms.record_video(layout, video)


def recorded_session_ids(session_ids: list[int]) -> list[int]:
    """Those of ``session_ids`` that are being recorded."""
    return [session_id for session_id in session_ids if folders(session_id)]
