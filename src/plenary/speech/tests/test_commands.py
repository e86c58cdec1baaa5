"""``captions.*`` commands of the session socket."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from plenary.live import groups
from plenary.live.models import AttendanceRecord
from plenary.live.protocol import Context, disconnected, dispatch
from plenary.meetings.models import Participation
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory
from plenary.speech import commands, events, services
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


def _received(channel: str) -> list[str]:
    """The types of the events waiting for ``channel`` (drained once: with Redis, a
    channel's receive buffer belongs to the event loop that first waited on it)."""

    async def drain() -> list[str]:
        layer = get_channel_layer()
        types: list[str] = []
        while True:
            try:
                message = await asyncio.wait_for(layer.receive(channel), 0.2)
            except TimeoutError:
                return types
            types.append(message["event"]["type"])

    return async_to_sync(drain)()


def _send_to_languages(session_id: int, *languages: str) -> None:
    layer = get_channel_layer()
    for language in languages:
        async_to_sync(layer.group_send)(
            events.caption_group(session_id, language),
            {"type": "live.event", "event": {"type": f"to-{language}"}},
        )


def test_a_socket_is_in_one_caption_group_and_leaves_it_when_it_closes() -> None:
    session = SessionFactory.create(meeting__languages=["en", "fr", "es"])
    delegate = ParticipationFactory.create(meeting=session.meeting).user

    def socket() -> tuple[str, Callable[..., None]]:
        channel = async_to_sync(get_channel_layer().new_channel)()
        ctx = Context(user=delegate, session_id=session.pk, channel_name=channel, connection_id="s")

        def command(**message: Any) -> None:
            replies = dispatch(ctx, {"v": 1, **message})
            assert all(r["type"] != "error" for r in replies), replies

        return channel, command

    switching, command = socket()
    command(type="captions.subscribe", language="fr")
    command(type="captions.subscribe", language="es")
    assert groups.joined(switching, commands.CAPTIONS) == events.caption_group(session.pk, "es")

    unsubscribed, command = socket()
    command(type="captions.subscribe", language="en")
    command(type="captions.unsubscribe")

    closed, command = socket()
    command(type="captions.subscribe", language="en")
    disconnected(Context(delegate, session.pk, closed, "s"))  # what the consumer runs on close
    assert groups.joined(closed, commands.CAPTIONS) is None

    _send_to_languages(session.pk, "en", "fr", "es")
    assert _received(switching) == ["to-es"]
    assert _received(unsubscribed) == []
    assert _received(closed) == []


def test_the_snapshot_says_a_language_has_no_captions_and_why(speech_models: Any) -> None:
    session = SessionFactory.create(meeting__languages=["en", "fr", "ru"])
    chair = ParticipationFactory.create(meeting=session.meeting, role=Participation.Role.CHAIR).user
    services.do_start_stream(chair, session.pk, "floor", "en")
    reply = _send(chair, session.pk, type="captions.subscribe", language="ru")
    assert reply["coverage"] == {
        "en": {"status": "captioned"},
        "fr": {"status": "translated", "source": "en"},
        "ru": {"status": "unavailable", "source": "en"},
    }
