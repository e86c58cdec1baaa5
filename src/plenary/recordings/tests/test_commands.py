"""The secretariat starts and stops the recording from the room's socket; nobody else may."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from plenary.core.tasks import queued
from plenary.floor.tests.factories import Cast
from plenary.floor.tests.test_consumers import Connect, c, connect, expect, send  # noqa: F401
from plenary.recordings import services
from plenary.recordings.models import Recording

pytestmark = pytest.mark.django_db(transaction=True)


async def test_the_secretariat_stops_and_starts_the_recording_by_hand(
    c: Cast,  # noqa: F811
    connect: Connect,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    chair, _ = await connect(c.chair)
    await send(chair, type="session.open", version=0)
    await expect(chair, "session.opened")
    await expect(chair, "recording.started")  # by itself, with the session
    await send(chair, type="recording.stop")  # the chair is not the secretariat
    assert (await expect(chair, "error"))["code"] == "forbidden"
    secretariat, _ = await connect(c.secretariat)
    delegate, _ = await connect(c.delegate)
    await expect(secretariat, "presence.joined")

    await send(delegate, type="recording.stop")
    refused = await expect(delegate, "error")
    assert refused["code"] == "forbidden" and refused["message"]
    await send(secretariat, type="recording.stop")
    await expect(secretariat, "recording.stopped")
    await send(secretariat, type="recording.stop")
    assert (await expect(secretariat, "error"))["code"] == "not_recording"
    await send(secretariat, type="recording.start")
    await expect(secretariat, "recording.started")
    await send(secretariat, type="recording.start", extra=1)
    assert (await expect(secretariat, "error"))["code"] == "invalid"

    statuses = await database_sync_to_async(
        lambda: list(Recording.objects.order_by("pk").values_list("status", flat=True))
    )()
    assert statuses == [Recording.Status.QUEUED, Recording.Status.RECORDING]
    # Packaging is queued for the worker (not run here: Janus wrote nothing).
    assert len(await database_sync_to_async(queued)(services.package_recording)) == 1
