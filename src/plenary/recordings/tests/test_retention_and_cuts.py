"""Retention per meeting type, and the secretariat cutting a part of a recording (the real
ffmpeg silences it in every channel; its captions and chapters are left out)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import given
from hypothesis import strategies as st

from plenary.accounts.tests.factories import StaffFactory
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.core.models import AuditEntry
from plenary.core.tasks import queued, run_queued
from plenary.meetings.models import Meeting
from plenary.meetings.tests.factories import ParticipationFactory
from plenary.recordings import services
from plenary.recordings.models import Recording, parse_clock
from plenary.recordings.tests.helpers import RATE, decoded
from plenary.recordings.tests.test_views import recording  # noqa: F401 - a fixture
from plenary.speech.models import CaptionSegment

pytestmark = pytest.mark.django_db


def loud(samples: np.ndarray, start: float, end: float) -> float:
    """The loudness (RMS) of ``samples`` from ``start`` to ``end`` seconds."""
    part = samples[int(start * RATE) : int(end * RATE)]
    return float(np.sqrt(np.mean(part**2)))


def test_the_retention_policy_removes_what_it_no_longer_keeps(
    settings: Any, recording: Recording, django_capture_on_commit_callbacks: Any
) -> None:
    settings.RECORDINGS_RETENTION_DAYS = {"workshop": 30}
    assert services.kept_until(recording) is None  # a study group's: kept
    assert services.remove_expired() == 0
    Meeting.objects.filter(pk=recording.session.meeting_id).update(meeting_type="workshop")
    recording = Recording.objects.get(pk=recording.pk)
    Recording.objects.filter(pk=recording.pk).update(
        stopped_at=timezone.now() - dt.timedelta(days=29)
    )
    recording.refresh_from_db()
    assert recording.stopped_at is not None
    assert services.kept_until(recording) == recording.stopped_at + dt.timedelta(days=30)
    assert services.remove_expired() == 0  # a day to go
    Recording.objects.filter(pk=recording.pk).update(
        stopped_at=timezone.now() - dt.timedelta(days=31)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.remove_expired() == 1
    recording.refresh_from_db()
    assert recording.status == Recording.Status.REMOVED and not recording.folder.exists()
    entry = AuditEntry.objects.get(action="recording.expired")
    assert entry.actor is None and entry.data == {"reason": "kept for 30 days"}
    assert services.remove_expired() == 0


def test_a_cut_part_is_silent_in_every_channel_and_its_captions_and_speakers_go(
    recording: Recording,
) -> None:
    assert recording.origin is not None
    for at, text in ((2.5, "Closed part."), (6.5, "Open again.")):
        moment = recording.origin + dt.timedelta(seconds=at)
        CaptionSegment.objects.create(
            session=recording.session,
            channel="fr",
            language="fr",
            kind="asr",
            starts_at=moment,
            ends_at=moment + dt.timedelta(seconds=1),
            text=text,
        )
    staff = StaffFactory.create()
    services.do_cut_recording(staff, recording.pk, 2.0, 4.0, "A closed segment.")
    run_queued()  # the job, as the worker runs it
    recording.refresh_from_db()
    assert recording.status == Recording.Status.READY and recording.cuts == [
        {"start": 2.0, "end": 4.0}
    ]
    assert recording.duration_s == pytest.approx(8.0, abs=0.1)  # the length stays
    for channel in ("floor", "fr"):
        for heard in (
            decoded(recording.hls_folder / f"{channel}.m4a"),
            decoded(recording.hls_folder / channel / "index.m3u8"),
        ):
            assert loud(heard, 2.1, 3.9) < 0.001, channel
            assert loud(heard, 4.2, 5.8) > 0.1, channel
    assert loud(decoded(recording.hls_folder / "floor.m4a"), 1.2, 1.9) > 0.1
    from plenary.recordings import timeline

    assert [line.text for line in timeline.transcript(recording, "fr")] == ["Open again."]
    entry = AuditEntry.objects.get(action="recording.cut")
    assert entry.actor == staff and entry.data["reason"] == "A closed segment."


def test_a_cut_is_refused_to_others_and_outside_the_recording(recording: Recording) -> None:
    delegate = ParticipationFactory.create(meeting=recording.session.meeting).user
    with pytest.raises(PermissionRefusal):
        services.do_cut_recording(delegate, recording.pk, 1.0, 2.0, "No.")
    staff = StaffFactory.create()
    for start, end in ((3.0, 2.0), (-1.0, 2.0), (1.0, 60.0), (2.0, 2.0)):
        with pytest.raises(Refusal):
            services.do_cut_recording(staff, recording.pk, start, end, "Closed.")
    with pytest.raises(Refusal):
        services.do_cut_recording(staff, recording.pk, 1.0, 2.0, "  ")
    recording.refresh_from_db()
    assert recording.cuts == [] and recording.status == Recording.Status.READY
    assert not AuditEntry.objects.filter(action="recording.cut").exists()


def test_a_failed_cut_keeps_the_recording_unplayable_and_is_tried_again(
    recording: Recording,
) -> None:
    (recording.hls_folder / "fr.m4a").unlink()  # the disk lost a file
    services.do_cut_recording(StaffFactory.create(), recording.pk, 1.0, 2.0, "Closed.")
    run_queued()
    recording.refresh_from_db()
    assert recording.status == Recording.Status.CUTTING and recording.error
    assert queued(services.cut_recording) == [[recording.pk]]  # again in a while
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now() + dt.timedelta(seconds=services.RETRY_SECONDS - 5)


def test_the_secretariat_cuts_from_the_player(client: Client, recording: Recording) -> None:
    url = f"/recordings/{recording.pk}/cut/"
    client.force_login(ParticipationFactory.create(meeting=recording.session.meeting).user)
    assert "cut-start" not in client.get(f"/recordings/{recording.pk}/").content.decode()
    assert client.post(url, {"start": "0:01", "end": "0:02", "reason": "x"}).status_code == 403
    client.force_login(StaffFactory.create())
    assert "cut-start" in client.get(f"/recordings/{recording.pk}/").content.decode()
    reply = client.post(url, {"start": "soon", "end": "0:02", "reason": "x"}, follow=True)
    assert "1:02:03" in reply.content.decode()  # says how to write a moment
    assert Recording.objects.get().cuts == []
    client.post(url, {"start": "0:01", "end": "0:02", "reason": "Closed."})
    assert Recording.objects.get().cuts == [{"start": 1.0, "end": 2.0}]


def test_moments_as_people_write_them() -> None:
    assert parse_clock("1:02:03") == 3723.0
    assert parse_clock(" 2:03 ") == 123.0
    assert parse_clock("45") == 45.0
    assert parse_clock("\u0661:\u0660\u0662") == 62.0  # Arabic-Indic digits
    for bad in ("", "1:2:3:4", "-1", "1.5", "a:b", "1::2", "²"):
        assert parse_clock(bad) is None, bad


@given(st.text(max_size=20))
def test_any_moment_typed_is_read_or_refused_never_an_error(text: str) -> None:
    seconds = parse_clock(text)
    assert seconds is None or seconds >= 0
