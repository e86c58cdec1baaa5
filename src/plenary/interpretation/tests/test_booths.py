"""Booth rules; Janus is not running here, so only the decisions are checked."""

from __future__ import annotations

from typing import Any

import pytest

from plenary.core.errors import PermissionRefusal, Refusal
from plenary.interpretation import services
from plenary.live.protocol import Context, dispatch
from plenary.media.services import heard
from plenary.media.tests import fixtures
from plenary.meetings.models import Participation, Session
from plenary.meetings.tests.factories import ParticipationFactory

pytestmark = pytest.mark.django_db
# Shared with the other Janus-less media tests: Janus unreachable, a fresh session.
janus_down = fixtures.janus_down
session = fixtures.session


def _interpreter(session: Session, language: str = "fr") -> Any:
    return ParticipationFactory.create(
        meeting=session.meeting, role=Participation.Role.INTERPRETER, language=language
    ).user


def test_one_live_microphone_per_booth(session: Session) -> None:
    first, second = _interpreter(session), _interpreter(session)
    services.do_take_air(first, session, "fr")
    assert heard(session.pk, "fr") == {first.pk}
    with pytest.raises(Refusal) as refused:
        services.do_take_air(second, session, "fr")
    assert refused.value.code == "booth_busy"


def test_handover_passes_the_microphone_when_accepted_and_due(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = _interpreter(session), _interpreter(session)
    services.do_take_air(first, session, "fr")
    services.do_request_handover(second, session, "fr")
    assert services.do_complete_handover(session, "fr")["on_air"] == first.pk  # not accepted
    monkeypatch.setattr(services, "HANDOVER_SECONDS", 0)
    services.do_accept_handover(first, session, "fr")
    assert services.do_complete_handover(session, "fr")["on_air"] == second.pk
    assert heard(session.pk, "fr") == {second.pk}


def test_the_cough_key_silences_the_interpreter_on_air(session: Session) -> None:
    first = _interpreter(session)
    services.do_take_air(first, session, "fr")
    services.do_cough(first, session, "fr", down=True)
    assert heard(session.pk, "fr") == frozenset()
    services.do_cough(first, session, "fr", down=False)
    assert heard(session.pk, "fr") == {first.pk}


def test_only_the_booth_s_interpreters_may_act_in_it(session: Session) -> None:
    outsider = _interpreter(session, "en")
    with pytest.raises(PermissionRefusal):
        services.do_take_air(outsider, session, "fr")
    with pytest.raises(PermissionRefusal):
        services.do_chat(outsider, session, "fr", "hello")


def test_booth_chat_refuses_empty_or_long_messages(session: Session) -> None:
    first = _interpreter(session)
    for text in ("  ", "x" * (services.MAX_CHAT_CHARS + 1)):
        with pytest.raises(Refusal):
            services.do_chat(first, session, "fr", text)
    services.do_chat(first, session, "fr", "Next speaker reads fast.")


def test_a_booth_message_is_acknowledged_to_its_sender(session: Session) -> None:
    ctx = Context(
        user=_interpreter(session), session_id=session.pk, channel_name="c", connection_id="s1"
    )
    message = {"v": 1, "id": "c3", "type": "booth.chat", "language": "fr", "text": "Slow down."}
    assert dispatch(ctx, message) == [
        {"v": 1, "type": "booth.chat_sent", "language": "fr", "ref": "c3"}
    ]


def test_a_console_catches_up_with_its_booth_only(session: Session) -> None:
    first, second = _interpreter(session), _interpreter(session)
    services.do_take_air(first, session, "fr")
    ctx = Context(user=second, session_id=session.pk, channel_name="c", connection_id="s2")
    [state] = dispatch(ctx, {"v": 1, "id": "c9", "type": "booth.state", "language": "fr"})
    assert (state["type"], state["on_air"], state["ref"]) == ("booth.state", first.pk, "c9")
    [refusal] = dispatch(ctx, {"v": 1, "id": "c10", "type": "booth.state", "language": "en"})
    assert refusal["code"] == "not_in_booth"


@pytest.mark.django_db(transaction=True)
def test_two_consoles_pressing_on_air_at_once_leave_one_live_microphone() -> None:
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from django.db import connection

    from plenary.interpretation.models import Booth
    from plenary.meetings.tests.factories import SessionFactory

    session = SessionFactory.create(meeting__languages=["en", "fr"])
    first, second = _interpreter(session), _interpreter(session)
    start = Barrier(2)

    def press(user: Any) -> str:
        start.wait()
        try:
            services.do_take_air(user, session, "fr")
        except Refusal as refusal:
            return refusal.code
        finally:
            connection.close()
        return "on_air"

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(press, [first, second]))

    assert outcomes == ["booth_busy", "on_air"]
    booth = Booth.objects.get(session=session, language="fr")
    assert booth.on_air_id in {first.pk, second.pk}
    assert heard(session.pk, "fr") == {booth.on_air_id}


def test_who_is_heard_from_a_booth_comes_back_from_its_row(session: Session) -> None:
    """After a server restart the cache is empty; the booth's row says who is on air."""
    from django.core.cache import cache

    interpreter = _interpreter(session)
    services.do_take_air(interpreter, session, "fr")
    cache.delete(f"media:heard:{session.pk}:fr")  # what a restart of the server loses
    assert heard(session.pk, "fr") == frozenset()

    services.remoderate([session.pk])
    assert heard(session.pk, "fr") == {interpreter.pk}
