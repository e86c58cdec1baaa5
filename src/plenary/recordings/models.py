"""A session's recording: the channels Janus recorded, and their packaging for playback.

Files live under ``PLENARY_DATA_DIR/recordings/<id>/``: ``wav/<channel>/`` and ``video/`` as
Janus wrote them (one file per start, see ``plenary.media.recorder``), ``live/`` while
it runs (``plenary.recordings.live``) and ``hls/`` as packaging made them
(``plenary.recordings.packaging``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plenary.meetings.models import Session


def clock(seconds: float) -> str:
    """``1:02:03``: a moment or a length of a recording, the same in every language."""
    return str(dt.timedelta(seconds=round(seconds)))


def parse_clock(text: str) -> float | None:
    """A moment as people write it (``1:02:03``, ``2:03``, ``123``); ``None`` if it is none."""
    parts = text.strip().split(":")
    # Decimal digits of any script (Arabic-Indic ones too), not other "digits" (superscripts).
    if not 1 <= len(parts) <= 3 or not all(part.isdecimal() for part in parts):
        return None
    seconds = 0
    for part in parts:
        seconds = seconds * 60 + int(part)
    return float(seconds)


class Recording(models.Model):
    class Status(models.TextChoices):
        RECORDING = "recording", _("Recording")
        QUEUED = "queued", _("Waiting to be packaged")
        PACKAGING = "packaging", _("Being packaged")
        CUTTING = "cutting", _("A part is being cut")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Packaging failed")
        REMOVED = "removed", _("Removed")

    session = models.ForeignKey(
        Session, verbose_name=_("session"), on_delete=models.CASCADE, related_name="recordings"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.RECORDING
    )
    started_at = models.DateTimeField(_("started"))
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    stopped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # What the channels hold (packaging writes it): one entry per channel, see
    # ``packaging.Track``; gaps are where Janus recorded nothing (a crash).
    tracks = models.JSONField(default=list, blank=True)
    # The composed video of the stage and the screen (``stage.Video``); empty if
    # nobody was seen.
    video = models.JSONField(default=dict, blank=True)
    duration_s = models.FloatField(_("length (s)"), null=True, blank=True)
    # When the timeline starts (the earliest file's start on Janus's clock): the
    # floor's events and the captions are placed on it from their own times.
    origin = models.DateTimeField(null=True, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    # Parts the secretariat cut (silenced in every channel, their captions and chapters
    # left out): ``{"start", "end"}`` in seconds, oldest first; why is in the audit log.
    cuts = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["session", "started_at"]
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")
        constraints = [
            models.UniqueConstraint(
                fields=["session"],
                condition=Q(status="recording"),
                name="one_running_recording_per_session",
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} ({self.started_at:%Y-%m-%d %H:%M})"

    @property
    def length(self) -> str:
        """``1:02:03``, the same in every language ("" until packaged)."""
        return clock(self.duration_s) if self.duration_s else ""

    @property
    def folder(self) -> Path:
        return Path(settings.DATA_DIR) / "recordings" / str(self.pk)

    def download_name(self, stem: str, suffix: str) -> str:
        """A downloaded file's name: the meeting, the session's start, what it holds."""
        return f"{self.session.meeting.code}-{self.session.starts_at:%Y%m%d-%H%M}-{stem}{suffix}"

    def wav_folder(self, channel: str) -> Path:
        return self.folder / "wav" / channel

    @property
    def video_folder(self) -> Path:
        """The stage's and the screen's video as Janus recorded it (``.mjr``)."""
        return self.folder / "video"

    @property
    def hls_folder(self) -> Path:
        return self.folder / "hls"

    @property
    def live_folder(self) -> Path:
        """The live HLS of the recording while it runs (``plenary.recordings.live``)."""
        return self.folder / "live"
