"""``/healthz`` for speech: degraded while an open caption stream has no live worker."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from plenary.meetings.models import Participation, Session
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory
from plenary.speech import services
from plenary.speech.models import SpeechWorker

pytestmark = pytest.mark.django_db


@pytest.fixture
def session() -> Session:
    return SessionFactory.create(meeting__languages=["en"])


@pytest.fixture
def chair(session: Session) -> Any:
    return ParticipationFactory.create(meeting=session.meeting, role=Participation.Role.CHAIR).user


def _speech(client: Client) -> dict[str, Any]:
    response = client.get("/healthz")
    # Captions waiting never take the server out of a load balancer.
    assert response.status_code == 200
    return dict(response.json()["components"]["speech"])


def _captioned(session: Session, chair: Any) -> tuple[int, SpeechWorker]:
    worker = services.do_register_worker("w", "cpu", 1, "chan")
    services.do_heartbeat(worker.pk, {})
    stream = services.do_start_stream(chair, session.pk, "floor", "en")
    services.do_stream_ready(worker.pk, stream.pk, 40000)
    return stream.pk, worker


def test_speech_is_ok_while_every_open_stream_has_a_worker(
    client: Client, session: Session, chair: Any
) -> None:
    _captioned(session, chair)
    speech = _speech(client)
    assert (speech["status"], speech["ok"], speech["data"]["waiting"]) == ("ok", True, [])


def test_speech_is_degraded_while_a_lost_workers_stream_waits(
    client: Client, session: Session, chair: Any
) -> None:
    stream_id, worker = _captioned(session, chair)
    services.do_worker_lost(worker.pk)
    speech = _speech(client)
    assert speech["status"] == "degraded"
    assert f"session {session.pk} floor since" in speech["detail"]
    assert "(worker_lost)" in speech["detail"]
    [waiting] = speech["data"]["waiting"]
    assert (waiting["stream"], waiting["interruption"]) == (stream_id, "worker_lost")


def test_speech_is_ok_again_once_another_worker_listens(
    client: Client, session: Session, chair: Any
) -> None:
    stream_id, worker = _captioned(session, chair)
    services.do_worker_lost(worker.pk)
    replacement = services.do_register_worker("w2", "cpu", 1, "chan2")
    services.do_heartbeat(replacement.pk, {})
    services.do_stream_ready(replacement.pk, stream_id, 40002)
    assert _speech(client)["status"] == "ok"


def test_a_stream_whose_worker_went_silent_counts_as_without_a_worker(
    client: Client, session: Session, chair: Any
) -> None:
    """Before anything expired it (no other worker beat since), health already says so."""
    _, worker = _captioned(session, chair)
    SpeechWorker.objects.filter(pk=worker.pk).update(
        last_seen_at=timezone.now() - dt.timedelta(minutes=1)
    )
    speech = _speech(client)
    assert speech["status"] == "degraded"
    assert speech["data"]["workers"] == 0


def test_a_stream_no_worker_ever_took_is_degraded_too(
    client: Client, session: Session, chair: Any
) -> None:
    services.do_start_stream(chair, session.pk, "floor", "en")
    speech = _speech(client)
    assert speech["status"] == "degraded" and "(no worker yet)" in speech["detail"]
