"""Start and stop a session's recording, package it afterwards, cut parts, remove it.

A session is recorded from the moment it opens until it closes (not a call
from a workspace: those are not recorded unless the secretariat asks), and
the meeting's secretariat may start and stop it by hand. Each start and stop
is an event of the session's log (``recording.started``, ``recording.stopped``
through ``floor.do_record``), so the log says when the session was on record
and every room page shows it. Janus records (``plenary.media.recorder``);
after the stop a background job packages the files (``packaging``), and a
job that fails is tried again, saying why, up to ``MAX_ATTEMPTS`` times.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.core import audit
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.core.locking import lock
from plenary.core.tasks import enqueue, enqueue_in, every, task
from plenary.floor import services as floor
from plenary.floor import state as live
from plenary.live.events import iso
from plenary.live.services import get_session
from plenary.live.standing import Standing, standing_for
from plenary.media import recorder
from plenary.media.services import layout_for
from plenary.meetings.models import Meeting, Session
from plenary.meetings.services.access import is_meeting_secretariat
from plenary.recordings import packaging
from plenary.recordings.models import Recording

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_SECONDS = 30.0
# How long packaging waits for Janus to close the files it was told to stop.
SETTLE_SECONDS = 2.0


def records_by_itself(session: Session) -> bool:
    """Whether the session is recorded from its opening without anyone asking."""
    return session.meeting.meeting_type != Meeting.Type.CALL


def _check_secretariat(standing: Standing) -> None:
    if not standing.is_secretariat:
        raise PermissionRefusal(_("Only the meeting's secretariat may start or stop a recording."))


def do_start_recording(user: Any, session_id: int, *, by_hand: bool = True) -> Recording:
    """Start recording the session (its secretariat, or the session opening)."""
    already = _("The session is already being recorded.")
    with transaction.atomic():
        session = get_session(session_id)
        if by_hand:
            _check_secretariat(standing_for(user, session))
        try:
            with transaction.atomic():
                recording = Recording.objects.create(
                    session=session,
                    started_at=timezone.now(),
                    started_by=user if getattr(user, "is_authenticated", False) else None,
                )
        except IntegrityError:  # one is running
            raise Refusal(already, "recording") from None

        def check(standing: Standing, state: live.State) -> list[floor.Change]:
            if state["status"] != "open":
                raise Refusal(_("Only an open session can be recorded."), "not_open")
            if state.get("recording"):
                raise Refusal(already, "recording")
            data = {"id": recording.pk, "started_at": iso(recording.started_at)}
            return [("recording.started", data)]

        floor.do_record(user, session_id, check)
        transaction.on_commit(lambda: _record(recording))
    return recording


def _record(recording: Recording) -> None:
    """Tell the media plane to record each channel of the session into its folder."""
    layout = layout_for(recording.session)
    folders = {channel: str(recording.wav_folder(channel)) for channel in layout.channels}
    recorder.set_recording(layout, folders, video=str(recording.video_folder))


def record_running() -> int:
    """Start-up step of ``plenary serve``: record again the sessions whose recording runs
    but that the media plane no longer knows to record (its decision lived in a cache
    that went with the last server: the embedded default's memory); how many."""
    running = Recording.objects.filter(status=Recording.Status.RECORDING).select_related(
        "session__meeting"
    )
    lost = [recording for recording in running if not recorder.folders(recording.session_id)]
    for recording in lost:
        _record(recording)
    return len(lost)


def do_stop_recording(user: Any, session_id: int, *, by_hand: bool = True) -> Recording:
    """Stop recording the session and queue its packaging."""
    with transaction.atomic():
        session = get_session(session_id)
        recording = (
            Recording.objects.select_for_update()
            .filter(session=session, status=Recording.Status.RECORDING)
            .first()
        )

        def check(standing: Standing, state: live.State) -> list[floor.Change]:
            if by_hand:
                _check_secretariat(standing)
            if not state.get("recording"):
                raise Refusal(_("The session is not being recorded."), "not_recording")
            return [("recording.stopped", {"id": state["recording"]["id"]})]

        if recording is None:
            raise Refusal(_("The session is not being recorded."), "not_recording")
        floor.do_record(user, session_id, check)
        recording.status = Recording.Status.QUEUED
        recording.stopped_at = timezone.now()
        recording.stopped_by = user if getattr(user, "is_authenticated", False) else None
        recording.save(update_fields=["status", "stopped_at", "stopped_by"])
        layout = layout_for(session)
        transaction.on_commit(lambda: recorder.set_recording(layout, None))
        enqueue(package_recording, recording.pk)  # queued with the stop, or not at all
    return recording


def follow_session(session_id: int) -> None:
    """Record a session while it is open: start when it opens, stop when it closes."""
    session = get_session(session_id)
    _version, state = floor.current_state(session_id)
    recorded = bool(state.get("recording"))
    try:
        if state["status"] == "open" and not recorded and records_by_itself(session):
            if not Recording.objects.filter(session=session).exists():
                do_start_recording(None, session_id, by_hand=False)
        elif state["status"] == "closed" and recorded:
            do_stop_recording(None, session_id, by_hand=False)
    except Refusal as refusal:  # another process did it first
        logger.info("Recording of session %s unchanged: %s", session_id, refusal)


# --- Packaging ---------------------------------------------------------------


def _settle(recording: Recording) -> None:
    """Wait until Janus has stopped writing the files (their sizes stay put)."""
    files = [*(recording.folder / "wav").rglob("*.wav"), *recording.video_folder.glob("*.mjr")]
    before = {path: path.stat().st_size for path in files}
    deadline = time.monotonic() + 10 * SETTLE_SECONDS
    while time.monotonic() < deadline:
        time.sleep(SETTLE_SECONDS)
        now = {path: path.stat().st_size for path in files if path.exists()}
        if now == before:
            return
        before = now


@task()
def package_recording(recording_id: int) -> None:
    """The background job: package the recording's files; retried when it fails."""
    with transaction.atomic():
        recording = Recording.objects.select_for_update().filter(pk=recording_id).first()
        if recording is None or recording.status not in {
            Recording.Status.QUEUED,
            Recording.Status.PACKAGING,
        }:
            return
        recording.status = Recording.Status.PACKAGING
        recording.attempts += 1
        recording.progress = 0
        recording.save(update_fields=["status", "attempts", "progress"])

    def progress(percent: int) -> None:
        Recording.objects.filter(pk=recording_id).update(progress=percent)

    try:
        _settle(recording)
        done = packaging.package(
            recording.folder / "wav",
            recording.hls_folder,
            progress,
            video_folder=recording.video_folder,
        )
    except Exception as exc:  # ffmpeg, the files, the disk: said on the recording
        logger.exception("Packaging recording %s failed", recording_id)
        _failed(recording, str(exc))
        return
    # Conditional: a recording removed while it was being packaged stays removed.
    Recording.objects.filter(pk=recording_id, status=Recording.Status.PACKAGING).update(
        status=Recording.Status.READY,
        progress=100,
        tracks=done.tracks_json(),
        video=done.video.as_json() if done.video else {},
        duration_s=done.seconds,
        origin=dt.datetime.fromtimestamp(done.origin, tz=dt.UTC),
        size=done.size,
        error="",
    )
    # The tracks hold it all now; the live webcast's last segments are superseded.
    shutil.rmtree(recording.folder / "wav", ignore_errors=True)
    shutil.rmtree(recording.video_folder, ignore_errors=True)
    shutil.rmtree(recording.live_folder, ignore_errors=True)


def _failed(recording: Recording, reason: str) -> None:
    retry = recording.attempts < MAX_ATTEMPTS
    status = Recording.Status.QUEUED if retry else Recording.Status.FAILED
    Recording.objects.filter(pk=recording.pk, status=Recording.Status.PACKAGING).update(
        status=status, error=reason[:500]
    )
    if retry:
        enqueue_in(RETRY_SECONDS, package_recording, recording.pk)


# --- Removal -----------------------------------------------------------------


def check_remove(user: Any, recording: Recording) -> None:
    if not is_meeting_secretariat(user, recording.session.meeting):
        raise PermissionRefusal(_("Only the meeting's secretariat may remove a recording."))
    if recording.status in {Recording.Status.RECORDING, Recording.Status.REMOVED}:
        raise Refusal(_("This recording cannot be removed now."), "not_removable")


def may_remove(user: Any, recording: Recording) -> bool:
    try:
        check_remove(user, recording)
    except Refusal:
        return False
    return True


def _remove(recording: Recording, actor: Any, action: str, reason: str) -> None:
    """Mark the (locked) recording removed, audit it, delete its files once committed."""
    recording.status = Recording.Status.REMOVED
    recording.removed_at = timezone.now()
    recording.size = 0
    recording.save(update_fields=["status", "removed_at", "size"])
    audit.record(actor, action, recording, reason=reason)
    folder = recording.folder
    transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True))


def _reason(reason: str, message: str) -> str:
    reason = reason.strip()
    if not reason or len(reason) > 500:
        raise Refusal(message, "reason")
    return reason


def _locked(recording_id: int) -> Recording:
    found = Recording.objects.select_related("session__meeting").filter(pk=recording_id)
    if not found.exists():
        raise NotFoundRefusal(_("There is no recording at this address."))
    return lock(found.get())


def do_remove_recording(user: Any, recording_id: int, reason: str) -> Recording:
    """Remove a finished recording: its files are deleted, the row stays (when, who, why
    are in the audit log), and nobody can play it any more."""
    reason = _reason(reason, _("Say in a few words why the recording is removed."))
    with transaction.atomic():
        recording = _locked(recording_id)
        check_remove(user, recording)
        _remove(recording, user, "recording.removed", reason)
    return recording


# --- Retention -----------------------------------------------------------------

RETENTION_CHECK_SECONDS = 3600.0


def _retention_days(recording: Recording) -> int | None:
    return settings.RECORDINGS_RETENTION_DAYS.get(recording.session.meeting.meeting_type)


def kept_until(recording: Recording) -> dt.datetime | None:
    """When the retention policy of the recording's meeting type removes it; ``None``
    where the policy keeps it (``settings.RECORDINGS_RETENTION_DAYS``)."""
    days = _retention_days(recording)
    if days is None:
        return None
    return (recording.stopped_at or recording.started_at) + dt.timedelta(days=days)


def remove_expired() -> int:
    """Remove the finished recordings their policy no longer keeps (each audited as
    ``recording.expired``, by nobody); how many."""
    finished = Recording.objects.filter(
        status__in=[Recording.Status.READY, Recording.Status.FAILED],
        session__meeting__meeting_type__in=list(settings.RECORDINGS_RETENTION_DAYS),
    ).select_related("session__meeting")
    now = timezone.now()
    removed = 0
    for candidate in finished:
        until = kept_until(candidate)
        if until is None or until > now:
            continue
        with transaction.atomic():
            recording = lock(candidate)
            if recording.status in {Recording.Status.READY, Recording.Status.FAILED}:
                reason = f"kept for {_retention_days(recording)} days"
                _remove(recording, None, "recording.expired", reason)
                removed += 1
    return removed


@task()
def apply_retention() -> None:
    remove_expired()


# A task worker applies the retention policy every hour.
every(lambda: RETENTION_CHECK_SECONDS, apply_retention)


# --- Cutting a part --------------------------------------------------------------


def check_cut(user: Any, recording: Recording) -> None:
    if not is_meeting_secretariat(user, recording.session.meeting):
        raise PermissionRefusal(_("Only the meeting's secretariat may cut a part of a recording."))
    if recording.status != Recording.Status.READY:
        raise Refusal(_("A part can be cut once the recording is ready."), "not_ready")


def may_cut(user: Any, recording: Recording) -> bool:
    try:
        check_cut(user, recording)
    except Refusal:
        return False
    return True


def do_cut_recording(
    user: Any, recording_id: int, start: float, end: float, reason: str
) -> Recording:
    """Cut the part from ``start`` to ``end`` (seconds) out of the recording: silenced in
    every channel by a background job, its captions and chapters left out; audited."""
    reason = _reason(reason, _("Say in a few words why this part is cut."))
    with transaction.atomic():
        recording = _locked(recording_id)
        check_cut(user, recording)
        if not 0 <= start < end <= (recording.duration_s or 0):
            raise Refusal(
                _("Give a start before the end, both within the recording (%(length)s).")
                % {"length": recording.length},
                "span",
            )
        recording.cuts = [*recording.cuts, {"start": start, "end": end}]
        recording.status = Recording.Status.CUTTING
        recording.attempts = 0
        recording.progress = 0
        recording.save(update_fields=["cuts", "status", "attempts", "progress"])
        audit.record(user, "recording.cut", recording, start=start, end=end, reason=reason)
        enqueue(cut_recording, recording_id)
    return recording


@task()
def cut_recording(recording_id: int) -> None:
    """The background job: silence the recording's cuts in its files; retried when it
    fails, and the recording is not played until it is done (nothing cut is heard)."""
    with transaction.atomic():
        recording = Recording.objects.select_for_update().filter(pk=recording_id).first()
        if recording is None or recording.status != Recording.Status.CUTTING:
            return
        recording.attempts += 1
        recording.save(update_fields=["attempts"])

    def progress(percent: int) -> None:
        Recording.objects.filter(pk=recording_id).update(progress=percent)

    spans = [(cut["start"], cut["end"]) for cut in recording.cuts]
    channels = [track["channel"] for track in recording.tracks]
    try:
        size = packaging.cut(recording.hls_folder, channels, spans, progress)
    except Exception as exc:  # ffmpeg, the disk: said on the recording, tried again
        logger.exception("Cutting recording %s failed", recording_id)
        retry = recording.attempts < MAX_ATTEMPTS
        status = Recording.Status.CUTTING if retry else Recording.Status.FAILED
        Recording.objects.filter(pk=recording_id, status=Recording.Status.CUTTING).update(
            status=status, error=str(exc)[:500]
        )
        if retry:
            enqueue_in(RETRY_SECONDS, cut_recording, recording_id)
        return
    Recording.objects.filter(pk=recording_id, status=Recording.Status.CUTTING).update(
        status=Recording.Status.READY, progress=100, size=size, error=""
    )
