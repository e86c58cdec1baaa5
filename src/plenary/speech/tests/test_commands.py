"""``captions.*`` commands of the session socket."""

from __future__ import annotations

from typing import Any

import pytest

from plenary.floor.models import AttendanceRecord
from plenary.floor.protocol import Context, dispatch
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory
from plenary.stats.queries import CAPTIONS_CHANNEL

pytestmark = pytest.mark.django_db


def _send(user: Any, session_id: int, **message: Any) -> dict[str, Any]:
    ctx = Context(user=user, session_id=session_id, channel_name="c", connection_id="socket-1")
    replies = dispatch(ctx, {"v": 1, **message})
    assert len(replies) == 1
    return replies[0]


def test_subscribing_to_captions_is_counted_as_caption_use() -> None:
    session = SessionFactory.create(meeting__languages=["en", "fr"])
    delegate = ParticipationFactory.create(meeting=session.meeting).user
    reply = _send(delegate, session.pk, type="captions.subscribe", language="fr")
    assert reply["type"] == "captions.snapshot"
    facts = AttendanceRecord.objects.filter(user=delegate, session=session)
    assert {(f.kind, f.channel, f.language, f.connection) for f in facts} == {
        (AttendanceRecord.Kind.CHANNEL, CAPTIONS_CHANNEL, "fr", "socket-1")
    }


def test_a_bad_caption_language_records_nothing() -> None:
    session = SessionFactory.create()
    delegate = ParticipationFactory.create(meeting=session.meeting).user
    assert _send(delegate, session.pk, type="captions.subscribe", language="xx")["type"] == "error"
    assert not AttendanceRecord.objects.filter(user=delegate).exists()
