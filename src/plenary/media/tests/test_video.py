"""Who may publish video, and what a publishing browser may send (without Janus).

The video itself, through a real Janus and Chromium, is tested in
``tests/e2e/test_video.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from plenary.live.protocol import Context, dispatch
from plenary.live.signals import floor_changed
from plenary.media import video
from plenary.media.signalling import issue_nonce
from plenary.media.tests import fixtures
from plenary.meetings.models import Participation, Session
from plenary.meetings.tests.factories import ParticipationFactory

pytestmark = pytest.mark.django_db
janus_down = fixtures.janus_down
session = fixtures.session
Role = Participation.Role

VIDEO_SDP = (
    "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\n"
    "a=mid:0\r\na=fingerprint:sha-256 AB:CD\r\na=rtpmap:96 VP8/90000\r\n"
)


def _send(user: Any, session: Session, **message: Any) -> dict[str, Any]:
    ctx = Context(user=user, session_id=session.pk, channel_name="c", connection_id="socket-1")
    replies = dispatch(ctx, {"v": 1, **message})
    assert len(replies) == 1
    return replies[0]


def _participant(session: Session, role: str = Role.DELEGATE) -> Any:
    return ParticipationFactory.create(meeting=session.meeting, role=role).user


def _publish(user: Any, session: Session, kind: str, sdp: str = VIDEO_SDP) -> dict[str, Any]:
    nonce = issue_nonce(user.pk, session.pk, "socket-1")
    return _send(user, session, type="media.publish", nonce=nonce, kind=kind, sdp=sdp)


def _floor(session: Session, speaker: int | None, stage: set[int]) -> None:
    """The floor changed: ``stage`` may show a camera (and is heard)."""
    floor_changed.send(
        sender=Session,
        session_id=session.pk,
        speaker_user_id=speaker,
        unmuted_user_ids=frozenset(stage),
        stage_user_ids=frozenset(stage),
    )


def test_only_the_floor_holder_may_turn_on_a_camera(session: Session) -> None:
    delegate, other = _participant(session), _participant(session)
    assert _publish(delegate, session, "camera")["code"] == "may_not_publish"
    _floor(session, delegate.pk, {delegate.pk})
    assert video.on_stage(session.pk) == frozenset({delegate.pk})
    # Past the rights check, Janus (down here) is what answers.
    assert _publish(delegate, session, "camera")["code"] == "media_unavailable"
    assert _publish(other, session, "camera")["code"] == "may_not_publish"
    _floor(session, None, {99})  # nobody holds the floor: those heard (the chair) may
    assert video.on_stage(session.pk) == frozenset({99})


def test_a_screen_is_shared_by_a_presenter_or_by_the_speaker_when_the_chair_allows(
    session: Session,
) -> None:
    chair, secretary = _participant(session, Role.CHAIR), _participant(session, Role.SECRETARIAT)
    delegate = _participant(session)
    for presenter in (chair, secretary):
        assert _publish(presenter, session, "screen")["code"] == "media_unavailable"
    _floor(session, delegate.pk, {delegate.pk})
    assert _publish(delegate, session, "screen")["code"] == "may_not_publish"
    refused = _send(delegate, session, type="media.floor_may_present", allowed=True)
    assert refused["code"] == "forbidden"
    allowed = _send(chair, session, type="media.floor_may_present", allowed=True)
    assert allowed["type"] == "media.floor_may_present"
    assert _publish(delegate, session, "screen")["code"] == "media_unavailable"


@pytest.mark.parametrize(
    ("sdp", "code"),
    [
        (VIDEO_SDP.replace("m=video", "m=audio"), "invalid_sdp"),  # no video
        (VIDEO_SDP + "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:1\r\n", "invalid_sdp"),
        (VIDEO_SDP + "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\n", "invalid_sdp"),
        (VIDEO_SDP.replace("a=mid:0\r\n", ""), "invalid_sdp"),
        ("<script>alert(1)</script>", "invalid_sdp"),
    ],
)
def test_a_publisher_sends_one_video_track_and_nothing_else(
    session: Session, sdp: str, code: str
) -> None:
    chair = _participant(session, Role.CHAIR)
    assert _publish(chair, session, "screen", sdp)["code"] == code


def test_a_forged_publisher_id_or_kind_is_refused(session: Session) -> None:
    chair = _participant(session, Role.CHAIR)
    nonce = issue_nonce(chair.pk, session.pk, "socket-1")
    forged = _send(
        chair,
        session,
        type="media.publish",
        nonce=nonce,
        kind="screen",
        sdp=VIDEO_SDP,
        publisher_id=1,
    )
    assert forged["code"] == "invalid"
    assert _publish(chair, session, "hologram")["code"] == "invalid"


def test_a_viewer_chooses_a_layer_between_0_and_2(session: Session) -> None:
    observer = _participant(session, Role.OBSERVER)
    assert _send(observer, session, type="media.video", on=True, layer=3)["code"] == "invalid"
    # A valid choice before listening: the server says to listen first.
    assert _send(observer, session, type="media.video", on=True, layer=1)["code"] == "not_listening"


def test_the_display_names_read_back(session: Session) -> None:
    participants = [
        {"id": 1, "display": video.display(5, "camera", by_role=False)},
        {"id": 2, "display": video.display(6, "screen", by_role=True)},
        {"id": 3, "display": "someone else"},
    ]
    assert video.publishers_of(participants, "camera") == [(1, 5)]
    assert video.publishers_of(participants, "screen") == [(2, 6)]


def test_only_a_presenter_may_stop_someone_elses_screen(session: Session) -> None:
    chair, delegate = _participant(session, Role.CHAIR), _participant(session)
    refused = _send(delegate, session, type="media.stop_screen")
    assert refused["code"] == "forbidden"
    # Past the rights check, Janus (down here) is what answers.
    assert _send(chair, session, type="media.stop_screen")["code"] == "media_unavailable"
