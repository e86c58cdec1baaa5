"""The media commands of the session socket: rights, bad input and a Janus that is down.

Janus is deliberately not running here (``JANUS_PORT`` points at a closed
port): the real-media paths are covered in ``tests/e2e/test_media.py``.
"""

from __future__ import annotations

from typing import Any

import pytest

from plenary.live.protocol import Context, dispatch
from plenary.live.signals import floor_changed
from plenary.media import services
from plenary.media.rooms import FLOOR
from plenary.media.signalling import issue_nonce
from plenary.media.tests import fixtures
from plenary.media.tests.test_signalling import SDP
from plenary.meetings.models import Participation, Session
from plenary.meetings.tests.factories import ParticipationFactory

pytestmark = pytest.mark.django_db
# Shared with the other Janus-less media tests: Janus unreachable, a fresh session.
janus_down = fixtures.janus_down
session = fixtures.session
Role = Participation.Role


def _send(user: Any, session: Session, **message: Any) -> dict[str, Any]:
    ctx = Context(user=user, session_id=session.pk, channel_name="c", connection_id="socket-1")
    replies = dispatch(ctx, {"v": 1, **message})
    assert len(replies) == 1
    return replies[0]


def _participant(session: Session, role: str = Role.DELEGATE, **fields: Any) -> Any:
    return ParticipationFactory.create(meeting=session.meeting, role=role, **fields).user


def test_an_observer_may_not_send_an_offer_to_the_floor(session: Session) -> None:
    observer = _participant(session, Role.OBSERVER)
    nonce = issue_nonce(observer.pk, session.pk, "socket-1")
    reply = _send(observer, session, type="media.speak", nonce=nonce, target=FLOOR, sdp=SDP)
    assert (reply["type"], reply["code"]) == ("error", "may_not_speak")


def test_an_interpreter_may_only_speak_into_their_own_booth(session: Session) -> None:
    interpreter = _participant(session, Role.INTERPRETER, language="fr")
    session.meeting.languages = ["en", "fr", "es"]
    session.meeting.save()
    services.check_speak(interpreter, session, "fr")
    nonce = issue_nonce(interpreter.pk, session.pk, "socket-1")
    reply = _send(interpreter, session, type="media.speak", nonce=nonce, target="es", sdp=SDP)
    assert reply["code"] == "may_not_speak"


def test_an_unknown_channel_is_refused(session: Session) -> None:
    delegate = _participant(session)
    nonce = issue_nonce(delegate.pk, session.pk, "socket-1")
    reply = _send(delegate, session, type="media.listen", nonce=nonce, channel="xx")
    assert reply["code"] == "unknown_channel"


def test_an_offer_with_a_replayed_nonce_is_refused(session: Session) -> None:
    delegate = _participant(session)
    nonce = issue_nonce(delegate.pk, session.pk, "socket-1")
    _send(delegate, session, type="media.speak", nonce=nonce, sdp="garbage")
    reply = _send(delegate, session, type="media.speak", nonce=nonce, sdp=SDP)
    assert reply["code"] == "stale_nonce"


def test_garbage_and_huge_sdp_get_clear_errors(session: Session) -> None:
    delegate = _participant(session)
    nonce = issue_nonce(delegate.pk, session.pk, "socket-1")
    reply = _send(delegate, session, type="media.speak", nonce=nonce, sdp="garbage")
    assert reply["code"] == "invalid_sdp"
    reply = _send(delegate, session, type="media.speak", nonce="n", sdp="v=0\n" * 10_000)
    assert reply["code"] == "invalid"


def test_janus_down_is_a_clear_error_not_a_crash(session: Session) -> None:
    delegate = _participant(session)
    nonce = _send(delegate, session, type="media.nonce")["nonce"]
    reply = _send(delegate, session, type="media.listen", nonce=nonce, channel="fr")
    assert reply["type"] == "error"
    assert reply["code"] == "media_unavailable"
    assert reply["message"]  # translated into the delegate's language


def test_the_floor_decides_who_is_heard_even_while_janus_is_down(session: Session) -> None:
    floor_changed.send(
        sender=Session,
        session_id=session.pk,
        speaker_user_id=5,
        unmuted_user_ids=frozenset({5, 9}),
        stage_user_ids=frozenset({5}),
    )
    assert services.heard(session.pk, FLOOR) == frozenset({5, 9})
    assert services.heard(session.pk, "fr") == frozenset()


class _Leg:
    """A Janus handle stand-in: Janus is not running here, only which legs close is checked."""

    def __init__(self) -> None:
        self.detached = False

    async def detach(self) -> None:
        self.detached = True


def test_stopping_listening_keeps_the_microphone_of_the_same_socket(session: Session) -> None:
    delegate = _participant(session)
    listening: Any = _Leg()
    speaking: Any = _Leg()
    services._connections["socket-1"] = services.Connection(
        session.pk, delegate.pk, listener=listening, speakers={FLOOR: speaking}
    )
    try:
        reply = _send(delegate, session, type="media.hangup", target=services.LISTENING)
        assert reply["type"] == "media.closed"
        assert (listening.detached, speaking.detached) == (True, False)
        assert services._connections["socket-1"].speakers == {FLOOR: speaking}
    finally:
        services._connections.pop("socket-1", None)
