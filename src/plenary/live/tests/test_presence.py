"""Presence: a participant's page reports its connection quality; the staff see it."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.contrib.auth.models import AnonymousUser

from plenary.floor.tests.factories import cast
from plenary.live import services
from plenary.live.events import staff_group
from plenary.live.models import Presence
from plenary.live.protocol import Context, dispatch

pytestmark = pytest.mark.django_db


def test_a_quality_change_is_kept_and_told_to_the_staff_once(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    layer = get_channel_layer()
    c = cast()
    staff = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(staff_group(c.session.pk), staff)
    joined = services.do_connect(c.delegate, c.session.pk, "conn-1", "phone", "")
    assert joined.participant
    ctx = Context(
        user=c.delegate, session_id=c.session.pk, channel_name="x", connection_id="conn-1"
    )
    with django_capture_on_commit_callbacks(execute=True):
        for quality in ("fair", "fair", "good"):
            assert dispatch(ctx, {"v": 1, "type": "presence.quality", "quality": quality}) == []
    assert Presence.objects.get(connection="conn-1").quality == "good"

    async def drain() -> list[dict[str, Any]]:
        received = []
        while (queue := layer.channels.get(staff)) is not None and not queue.empty():
            received.append((await layer.receive(staff))["event"])
        return received

    told = [e for e in async_to_sync(drain)() if e["type"] == "presence.quality"]
    assert [e["quality"] for e in told] == ["fair", "good"]  # a repeat is not news
    snapshot = services.resync(c.chair, c.session.pk)
    assert [p["quality"] for p in snapshot["presence"]] == ["good"]


def test_a_viewer_or_a_bad_level_changes_nothing() -> None:
    c = cast()
    services.do_connect(c.delegate, c.session.pk, "conn-2", None, "")
    viewer = Context(
        user=AnonymousUser(), session_id=c.session.pk, channel_name="y", connection_id="v"
    )
    assert dispatch(viewer, {"v": 1, "type": "presence.quality", "quality": "poor"}) == []
    ctx = Context(
        user=c.delegate, session_id=c.session.pk, channel_name="x", connection_id="conn-2"
    )
    [refused] = dispatch(ctx, {"v": 1, "type": "presence.quality", "quality": "superb"})
    assert (refused["type"], refused["code"]) == ("error", "invalid")
    assert Presence.objects.get(connection="conn-2").quality == ""
