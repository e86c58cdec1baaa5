"""Video in the meeting room: who may publish a camera or a screen, and each viewer's layer.

Publishing is decided here, on the server, like speaking: the camera of
whoever the floor gives the stage (the floor holder; while nobody holds it,
those heard on the floor: the presiding officer), and the screen of a
presenter (the chair, vice-chairs and the secretariat; the floor holder too
when the chair allows it). The browser's offer is only ever turned into a
Janus publisher for them, and when the floor moves on :func:`apply_rights`
removes every publisher who lost the right (a VideoRoom ``kick``: its
forward into the mountpoint goes with it); a presenter may also stop
anyone's screen (:func:`stop_screens`). Who has the stage is kept in the
cache, as who is heard is, so every process and every later publish applies
the latest decision.

Viewers get both video streams on their listening leg unless they chose
audio only (``do_video``): then the server sends them no video packet at all.
"""

from __future__ import annotations

import logging
import re
from functools import partial
from typing import Any, Literal

from django.core.cache import cache
from django.utils.translation import gettext as _

from plenary.core.errors import PermissionRefusal, Refusal
from plenary.live.events import event, publish_to_session
from plenary.live.standing import Standing, standing_for
from plenary.media import engine
from plenary.media.janus.client import JanusError
from plenary.media.rooms import SCREEN, STAGE
from plenary.meetings.models import Session

logger = logging.getLogger(__name__)

Kind = Literal["camera", "screen"]
# The mountpoint stream each kind of video is shown on.
MID_OF: dict[str, str] = {"camera": STAGE, "screen": SCREEN}
STAGE_TTL_SECONDS = 24 * 3600
_MID_LINE = re.compile(r"^a=mid:(\S+)$")


def _stage_key(session_id: int) -> str:
    return f"media:stage:{session_id}"


def _floor_presents_key(session_id: int) -> str:
    return f"media:floor-presents:{session_id}"


def on_stage(session_id: int) -> frozenset[int]:
    """Who may send camera video now (user ids)."""
    return frozenset(cache.get(_stage_key(session_id), ()))


def floor_may_present(session_id: int) -> bool:
    """Whether the chair lets the floor holder share a screen."""
    return bool(cache.get(_floor_presents_key(session_id), False))


def _publish_rights(session_id: int) -> None:
    publish_to_session(
        session_id,
        event(
            "media.stage",
            user_ids=sorted(on_stage(session_id)),
            floor_may_present=floor_may_present(session_id),
        ),
    )
    engine.submit(partial(_enforce, session_id), f"video rights {session_id}")


def set_stage(session_id: int, user_ids: frozenset[int]) -> None:
    """Decide whose camera may be seen (called when the floor changes)."""
    cache.set(_stage_key(session_id), sorted(user_ids), STAGE_TTL_SECONDS)
    _publish_rights(session_id)


def set_floor_may_present(session_id: int, allowed: bool) -> None:
    """The chair lets the floor holder share a screen, or stops letting them."""
    cache.set(_floor_presents_key(session_id), allowed, STAGE_TTL_SECONDS)
    _publish_rights(session_id)


def presents_by_role(standing: Standing) -> bool:
    """The chair, vice-chairs and the secretariat may share a screen at any time."""
    return standing.manages_list


def check_publish(user: Any, session: Session, kind: str) -> Standing:
    """May ``user`` publish ``kind`` video in ``session`` now?"""
    standing = standing_for(user, session)
    if standing.user_id is None or not standing.is_participant:
        raise PermissionRefusal(_("You are not a participant of this meeting."))
    stage = on_stage(session.pk)
    if kind == "camera":
        allowed = standing.user_id in stage
        message = _("You may turn on your camera only while you have the floor.")
    else:
        allowed = presents_by_role(standing) or (
            standing.user_id in stage and floor_may_present(session.pk)
        )
        message = _("You may not share your screen now.")
    if not allowed:
        raise PermissionRefusal(message, "may_not_publish")
    return standing


def video_mid(sdp: str) -> str:
    """The ``mid`` of the one video section of a publisher's offer (refused otherwise)."""
    sections = sdp.replace("\r\n", "\n").split("\nm=")[1:]
    kinds = [section.split(" ", 1)[0] for section in sections]
    if kinds != ["video"]:
        raise Refusal(
            _("Send exactly one video track, and no audio, on this connection."), "invalid_sdp"
        )
    mids = [m.group(1) for line in sections[0].split("\n") if (m := _MID_LINE.match(line))]
    if len(mids) != 1 or len(mids[0]) > 16:
        raise Refusal(_("The session description is not valid."), "invalid_sdp")
    return mids[0]


def display(user_id: int, kind: str, by_role: bool) -> str:
    """A publisher's display name in the VideoRoom, which the enforcement reads back."""
    return f"{user_id}/{kind}/{'role' if by_role else 'floor'}"


def _parse_display(text: str) -> tuple[int, str, bool] | None:
    parts = text.split("/")
    if len(parts) != 3 or not parts[0].isdigit() or parts[1] not in MID_OF:
        return None
    return int(parts[0]), parts[1], parts[2] == "role"


def _allowed(session_id: int, user_id: int, kind: str, by_role: bool) -> bool:
    stage = on_stage(session_id)
    if kind == "camera":
        return user_id in stage
    return by_role or (user_id in stage and floor_may_present(session_id))


async def _enforce(session_id: int) -> None:
    try:
        await apply_rights(session_id)
    except JanusError as exc:
        logger.warning("Could not apply the video rights of %s in Janus: %s", session_id, exc)


async def apply_rights(session_id: int) -> None:
    """Remove every VideoRoom publisher of the session who may no longer publish."""
    async with engine.rooms_now() as rooms:
        for participant in await rooms.publishers(session_id):
            parsed = _parse_display(str(participant.get("display", "")))
            if parsed is None or not _allowed(session_id, *parsed):
                await rooms.kick(session_id, int(str(participant["id"])))


async def stop_screens(session_id: int) -> list[int]:
    """Stop every screen shared in the session (a presenter's decision); who shared them."""
    async with engine.rooms_now() as rooms:
        shared = publishers_of(await rooms.publishers(session_id), "screen")
        for participant, _user in shared:
            await rooms.kick(session_id, participant)
    return sorted({user for _participant, user in shared})


def publishers_of(participants: list[dict[str, Any]], kind: str) -> list[tuple[int, int]]:
    """The VideoRoom ids and user ids of the publishers of ``kind`` among ``participants``."""
    found = []
    for participant in participants:
        parsed = _parse_display(str(participant.get("display", "")))
        if parsed is not None and parsed[1] == kind:
            found.append((int(str(participant["id"])), parsed[0]))
    return found
