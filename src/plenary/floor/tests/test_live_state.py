"""Zulip's ``verify_action`` check: snapshot + events == a fresh snapshot.

A random walk of commands from random people (many of them refused: wrong
person, stale version, nobody listed) runs through the services; a client
that started from a snapshot and applied every event it received, with the
same fold the browser mirrors, must hold exactly the state of a fresh
snapshot, and the log must rebuild it too.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plenary.core.errors import Refusal
from plenary.floor import services
from plenary.floor import state as live
from plenary.floor.tests.factories import Cast, another_delegate, cast
from plenary.live import services as live_services
from plenary.live.events import session_group
from plenary.live.standing import standing_for

pytestmark = pytest.mark.django_db

# Mostly the people who may act, so that most commands change something.
CHAIRS = ("chair", "chair", "chair", "chair", "vice_chair", "operator", "secretariat", "delegate")
SPEAKERS = ("delegate", "onsite", "chair", "observer", "extra")
ACTIONS: dict[str, float] = {
    "request": 6,
    "withdraw": 2,
    "add": 2,
    "reorder": 2,
    "give": 3,
    "next": 3,
    "end": 2,
    "mute": 1,
    "unmute": 1,
    "limit": 1,
    "open": 2,
    "suspend": 1,
    "close": 0.3,
    "assign": 1,
}


def step(c: Cast, extras: list[Any], rnd: random.Random) -> None:
    """One random command; refusals are part of the walk."""
    action = rnd.choices(list(ACTIONS), weights=list(ACTIONS.values()))[0]
    name = rnd.choice(SPEAKERS if action in {"request", "withdraw"} else CHAIRS)
    actor = rnd.choice(extras) if name == "extra" else getattr(c, name)
    sid = c.session.pk
    version, current = services.current_state(sid)
    seen = version - (rnd.random() < 0.15)  # sometimes a second chair's outdated view
    ids = [item["id"] for item in current["queue"]] or [0]
    kind = rnd.choice(services.REQUEST_KINDS)
    commands: dict[str, Callable[[], Any]] = {
        "request": lambda: services.do_request_floor(actor, sid, kind),
        "withdraw": lambda: services.do_withdraw_request(actor, sid, rnd.choice(ids)),
        "add": lambda: services.do_add_speaker(actor, sid, c.onsite.pk, kind),
        "reorder": lambda: services.do_reorder(actor, sid, rnd.sample(ids, len(ids)), seen),
        "give": lambda: services.do_give_floor(actor, sid, rnd.choice(ids), seen),
        "next": lambda: services.do_next_speaker(actor, sid, seen),
        "end": lambda: services.do_end_floor(actor, sid, seen),
        "mute": lambda: services.do_mute(actor, sid, True, seen),
        "unmute": lambda: services.do_mute(actor, sid, False, seen),
        "limit": lambda: services.do_set_limit(actor, sid, rnd.randint(-1, 400), seen),
        "open": lambda: services.do_set_status(actor, sid, "open", seen),
        "suspend": lambda: services.do_set_status(actor, sid, "suspend", seen),
        "close": lambda: services.do_set_status(actor, sid, "close", seen),
        "assign": lambda: services.do_assign_chair(
            actor, sid, rnd.choice([None, c.vice_chair.pk]), seen
        ),
    }
    with contextlib.suppress(Refusal):
        commands[action]()


async def receive(layer: Any, channel: str) -> dict[str, Any]:
    """The next message, or ``TimeoutError`` if the event was never published."""
    return dict(await asyncio.wait_for(layer.receive(channel), timeout=5))


class Client:
    """What a browser tab does with the messages it receives."""

    def __init__(self, snapshot: dict[str, Any]) -> None:
        self.version: int = snapshot["version"]
        self.state: dict[str, Any] = snapshot["state"]

    def receive(self, message: dict[str, Any]) -> None:
        if message["type"] not in live.EVENT_KINDS:
            return  # another app's event on the same group (e.g. media.heard)
        assert message["version"] == self.version + 1, "an event was lost or reordered"
        self.state = live.apply(self.state, message["type"], message["data"])
        self.version = message["version"]


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rnd=st.randoms(use_true_random=True), steps=st.integers(30, 60))
def test_snapshot_plus_events_equals_a_fresh_snapshot(
    rnd: random.Random, steps: int, django_capture_on_commit_callbacks: Any
) -> None:
    c = cast()
    extras = [another_delegate(c.session, attendance) for attendance in ("remote", "onsite")]
    layer = get_channel_layer()
    assert layer is not None
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(session_group(c.session.pk), channel)
    client = Client(live_services.snapshot(c.session, standing_for(c.chair, c.session)))
    for _ in range(steps):
        with django_capture_on_commit_callbacks(execute=True):
            step(c, extras, rnd)
        while client.version < services.current_state(c.session.pk)[0]:
            client.receive(async_to_sync(receive)(layer, channel)["event"])
    async_to_sync(layer.group_discard)(session_group(c.session.pk), channel)
    fresh = live_services.snapshot(c.session, standing_for(c.chair, c.session))
    assert (client.version, client.state) == (fresh["version"], fresh["state"])
    assert services.rebuild_state(c.session.pk) == (fresh["version"], fresh["state"])
