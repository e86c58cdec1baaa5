"""Presence: a participant's page reports its connection quality; the staff see it."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from plenary.core.tests.layer import IN_MEMORY, group_inbox
from plenary.floor.tests.factories import cast
from plenary.live import services
from plenary.live.events import staff_group
from plenary.live.models import Presence
from plenary.live.protocol import Context, dispatch

pytestmark = pytest.mark.django_db


def test_a_quality_change_is_kept_and_told_to_the_staff_once(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.CHANNEL_LAYERS = IN_MEMORY
    c = cast()
    staff = group_inbox(staff_group(c.session.pk))
    joined = services.do_connect(c.delegate, c.session.pk, "conn-1", "phone", "")
    assert joined.participant
    ctx = Context(
        user=c.delegate, session_id=c.session.pk, channel_name="x", connection_id="conn-1"
    )
    with django_capture_on_commit_callbacks(execute=True):
        for quality in ("fair", "fair", "good"):
            assert dispatch(ctx, {"v": 1, "type": "presence.quality", "quality": quality}) == []
    assert Presence.objects.get(connection="conn-1").quality == "good"

    told = [m["event"] for m in staff() if m["event"]["type"] == "presence.quality"]
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
