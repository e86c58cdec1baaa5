"""``publish``: JSON round trip and declared payload now, sent to the group only after
the commit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction

from plenary.core import events
from plenary.core.events import Payload, UndeclaredEvent, publish
from plenary.core.tests.layer import IN_MEMORY, group_inbox

pytestmark = pytest.mark.django_db(transaction=True)
GROUP = "test.publish"


class Counted(Payload):
    version: int
    note: str | None = None


@pytest.fixture(autouse=True)
def counted_declared(monkeypatch: pytest.MonkeyPatch) -> None:
    """``test.counted`` is declared for these tests only (not in docs/realtime.md)."""
    monkeypatch.setitem(events._declared, "test.counted", Counted)


@pytest.fixture
def inbox(settings: Any) -> Any:
    """A channel in ``GROUP`` on an in-memory layer of its own; ``inbox()`` drains it."""
    settings.CHANNEL_LAYERS = IN_MEMORY
    return group_inbox(GROUP)


def test_an_event_that_redis_could_not_carry_fails_at_once_in_development(inbox: Any) -> None:
    with pytest.raises(TypeError), transaction.atomic():
        publish(GROUP, {"type": "x", "at": dt.datetime.now(dt.UTC)})
    assert inbox() == []


def test_nothing_is_sent_before_the_commit(inbox: Any) -> None:
    with transaction.atomic():
        publish(GROUP, {"type": "test.counted", "version": 3})
        assert inbox() == []
    assert inbox() == [{"type": "live.event", "event": {"type": "test.counted", "version": 3}}]


def test_nothing_is_sent_when_the_transaction_rolls_back(inbox: Any) -> None:
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        publish(GROUP, {"type": "test.counted", "version": 3})
        raise Abort
    assert inbox() == []


@pytest.mark.parametrize(
    "event",
    [
        {"type": "test.undeclared", "version": 3},
        {"type": "test.counted"},
        {"type": "test.counted", "version": "3"},
        {"type": "test.counted", "version": 3, "extra": 1},
        {"version": 3},
    ],
    ids=["undeclared type", "missing field", "wrong type", "unknown field", "no type"],
)
def test_a_client_event_that_does_not_match_its_declaration_is_refused_before_commit(
    inbox: Any, event: dict[str, Any]
) -> None:
    with pytest.raises(UndeclaredEvent), transaction.atomic():
        publish(GROUP, event)
    assert inbox() == []


def test_every_declared_payload_forbids_unknown_fields() -> None:
    assert events.declared()["test.counted"] is Counted
    for type_, model in events.declared().items():
        assert model.model_config.get("extra") == "forbid", type_


def test_the_event_sent_is_the_round_tripped_copy(inbox: Any) -> None:
    """A tuple arrives as a list on Redis: so it does here, and later changes to the
    caller's dict do not leak into what is sent."""
    payload: dict[str, Any] = {"type": "x", "ids": (1, 2)}
    with transaction.atomic():
        publish(GROUP, payload, handler="live.other")
        payload["ids"] = "changed"
    assert inbox() == [{"type": "live.other", "event": {"type": "x", "ids": [1, 2]}}]
