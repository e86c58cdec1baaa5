"""Starting, stopping and packaging a recording through the services (Janus is not running
here: what it would have written is put in place; the media plane's recording is tested
against a real Janus in ``tests/e2e/test_recording.py``)."""

from __future__ import annotations

from typing import Any

import pytest

from plenary.core.errors import PermissionRefusal, Refusal
from plenary.core.tasks import queued
from plenary.floor import services as floor
from plenary.floor.models import SessionEvent
from plenary.floor.tests.factories import Cast, cast
from plenary.media import recorder
from plenary.meetings.models import Meeting
from plenary.recordings import services
from plenary.recordings.models import Recording
from plenary.recordings.tests.helpers import janus_wav, tone_at

pytestmark = pytest.mark.django_db


@pytest.fixture
def c(settings: Any, tmp_path: Any) -> Cast:
    settings.DATA_DIR = tmp_path
    return cast()


def version(c: Cast) -> int:
    return floor.current_state(c.session.pk)[0]


def kinds(c: Cast) -> list[str]:
    return list(
        SessionEvent.objects.filter(session=c.session, kind__startswith="recording.")
        .order_by("seq")
        .values_list("kind", flat=True)
    )


def test_a_session_is_recorded_from_its_opening_to_its_closing(
    c: Cast, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        floor.do_set_status(c.chair, c.session.pk, "open", version(c))
    recording = Recording.objects.get(session=c.session)
    assert recording.status == Recording.Status.RECORDING and recording.started_by is None
    assert floor.current_state(c.session.pk)[1]["recording"]["id"] == recording.pk
    folders = recorder.folders(c.session.pk)
    assert folders["floor"] == str(recording.wav_folder("floor"))
    assert recorder.video_folder(c.session.pk) == str(recording.video_folder)
    with django_capture_on_commit_callbacks(execute=True):
        floor.do_set_status(c.chair, c.session.pk, "suspend", version(c))
        floor.do_set_status(c.chair, c.session.pk, "open", version(c))
    assert Recording.objects.count() == 1  # a suspension is part of the recording
    with django_capture_on_commit_callbacks(execute=True):
        floor.do_set_status(c.chair, c.session.pk, "close", version(c))
    recording.refresh_from_db()
    assert recording.status == Recording.Status.QUEUED and recording.stopped_at is not None
    assert kinds(c) == ["recording.started", "recording.stopped"]
    assert recorder.folders(c.session.pk) == {} and recorder.video_folder(c.session.pk) is None
    assert queued(services.package_recording) == [[recording.pk]]  # for the worker


def test_only_the_secretariat_starts_and_stops_by_hand(c: Cast) -> None:
    floor.do_set_status(c.chair, c.session.pk, "open", version(c))  # no commit: not by itself
    for someone in (c.chair, c.delegate, c.operator):
        with pytest.raises(PermissionRefusal):
            services.do_start_recording(someone, c.session.pk)
    assert not Recording.objects.exists()
    recording = services.do_start_recording(c.secretariat, c.session.pk)
    assert recording.started_by == c.secretariat
    with pytest.raises(Refusal, match="already"):
        services.do_start_recording(c.secretariat, c.session.pk)
    with pytest.raises(PermissionRefusal):
        services.do_stop_recording(c.delegate, c.session.pk)
    services.do_stop_recording(c.secretariat, c.session.pk)
    with pytest.raises(Refusal):
        services.do_stop_recording(c.secretariat, c.session.pk)
    assert kinds(c) == ["recording.started", "recording.stopped"]
    assert Recording.objects.get().stopped_by == c.secretariat


def test_a_session_that_is_not_open_is_not_recorded(c: Cast) -> None:
    with pytest.raises(Refusal, match="open"):
        services.do_start_recording(c.secretariat, c.session.pk)
    assert not Recording.objects.exists() and kinds(c) == []


def test_a_call_is_not_recorded_by_itself(c: Cast, django_capture_on_commit_callbacks: Any) -> None:
    Meeting.objects.filter(pk=c.session.meeting_id).update(meeting_type=Meeting.Type.CALL)
    with django_capture_on_commit_callbacks(execute=True):
        floor.do_set_status(c.chair, c.session.pk, "open", version(c))
    assert not Recording.objects.exists()


def _stopped(c: Cast) -> Recording:
    floor.do_set_status(c.chair, c.session.pk, "open", version(c))
    recording = services.do_start_recording(c.secretariat, c.session.pk)
    services.do_stop_recording(c.secretariat, c.session.pk)
    recording.refresh_from_db()
    return recording


def test_packaging_makes_the_tracks_and_removes_the_raw_files(
    c: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "SETTLE_SECONDS", 0.01)
    recording = _stopped(c)
    janus_wav(recording.wav_folder("floor"), 1_800_000_000.0, tone_at(2, 0.5))
    janus_wav(recording.wav_folder("fr"), 1_800_000_000.5, tone_at(1, 0.5))
    services.package_recording.call(recording.pk)
    recording.refresh_from_db()
    assert recording.status == Recording.Status.READY and recording.progress == 100
    assert [track["channel"] for track in recording.tracks] == ["floor", "fr"]
    assert recording.duration_s == pytest.approx(2.0) and recording.size > 0
    assert (recording.hls_folder / "index.m3u8").exists()
    assert not (recording.folder / "wav").exists()
    services.package_recording.call(recording.pk)  # a second run of a finished job does nothing
    assert Recording.objects.get().status == Recording.Status.READY


def test_a_failed_packaging_says_why_and_is_retried_then_given_up(
    c: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "SETTLE_SECONDS", 0.01)
    recording = _stopped(c)  # and Janus wrote nothing
    for attempt in range(1, services.MAX_ATTEMPTS + 1):
        services.package_recording.call(recording.pk)
        recording.refresh_from_db()
        assert recording.attempts == attempt
        assert recording.error == "Nothing of the floor was recorded."
    assert recording.status == Recording.Status.FAILED
    # Queued by the stop, then again after each failed attempt but the last.
    assert queued(services.package_recording) == [[recording.pk]] * services.MAX_ATTEMPTS
