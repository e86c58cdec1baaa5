"""Caption streams, their workers, caption segments (the transcript), edits, glossaries.

A ``CaptionStream`` is one channel of one session being recognised (the floor
or an interpretation channel), assigned to at most one ``SpeechWorker`` at a
time. Every final caption is a ``CaptionSegment``; machine translations point
at the segment they translate; a ``GAP`` segment records time that no worker
captioned (a crash, a worker falling behind) so the record never hides it.
Corrections keep the previous text in ``SegmentEdit`` rows.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plenary.core.languages import Language

# The floor channel; other channels are named by their language code.
FLOOR = "floor"


class SpeechWorker(models.Model):
    """A connected (or formerly connected) ``plenary speech-worker`` process."""

    name = models.CharField(_("name"), max_length=80)
    device = models.CharField(_("device"), max_length=16, default="cpu")
    capacity = models.PositiveSmallIntegerField(_("streams it can carry"), default=1)
    # The Channels name of its socket, to send it assignments.
    channel_name = models.CharField(max_length=200, blank=True)
    connected_at = models.DateTimeField(_("connected"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last heartbeat"), default=timezone.now)
    disconnected_at = models.DateTimeField(_("disconnected"), null=True, blank=True)

    class Meta:
        verbose_name = _("speech worker")
        verbose_name_plural = _("speech workers")

    def __str__(self) -> str:
        return f"{self.name} ({self.device})"

    @property
    def is_connected(self) -> bool:
        return self.disconnected_at is None


class CaptionStream(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting for a worker")
        ASSIGNED = "assigned", _("Assigned")
        LIVE = "live", _("Live")
        FAILED = "failed", _("No model")
        STOPPED = "stopped", _("Stopped")

    class Interruption(models.TextChoices):
        """Why a stream that was being captioned waits for a worker again."""

        WORKER_LOST = "worker_lost", _("Its speech worker stopped")
        WORKER_BEHIND = "worker_behind", _("Its speech worker fell behind")

    session = models.ForeignKey(
        "meetings.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="caption_streams",
    )
    channel = models.CharField(_("channel"), max_length=16)
    language = models.CharField(_("spoken language"), max_length=8, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.WAITING
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    worker = models.ForeignKey(
        SpeechWorker,
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="streams",
    )
    rtp_port = models.PositiveIntegerField(_("worker RTP port"), null=True, blank=True)
    rtp_host = models.GenericIPAddressField(_("worker RTP address"), default="127.0.0.1")
    # AI voices: translated captions in these languages are spoken back into
    # Janus; each maps to the "host:port" that receives its RTP ("" until routed).
    voices = models.JSONField(_("AI voices"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    # End of the last caption (or of the last gap), from which a new gap would start.
    captioned_until = models.DateTimeField(_("captioned until"), default=timezone.now)
    stopped_at = models.DateTimeField(_("stopped"), null=True, blank=True)
    # An outage in progress: since when, why, and the gap segment that records it
    # (it grows until captions resume on another worker, or the stream stops).
    interrupted_at = models.DateTimeField(_("interrupted"), null=True, blank=True)
    interruption = models.CharField(
        _("interruption"), max_length=16, choices=Interruption.choices, blank=True
    )
    outage = models.ForeignKey(
        "CaptionSegment",
        verbose_name=_("outage gap"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("caption stream")
        verbose_name_plural = _("caption streams")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "channel"],
                condition=models.Q(stopped_at__isnull=True),
                name="caption_stream_one_active_per_channel",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.channel} ({self.language})"


class CaptionSegment(models.Model):
    class Kind(models.TextChoices):
        RECOGNISED = "asr", _("Recognised speech")
        TRANSLATED = "mt", _("Machine translation")
        GAP = "gap", _("Gap in the captions")

    session = models.ForeignKey(
        "meetings.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="caption_segments",
    )
    stream = models.ForeignKey(
        CaptionStream, on_delete=models.SET_NULL, null=True, blank=True, related_name="segments"
    )
    channel = models.CharField(_("channel"), max_length=16)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    source = models.ForeignKey(
        "self",
        verbose_name=_("translated from"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="translations",
    )
    speaker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("speaker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    speaker_name = models.CharField(_("speaker"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    text = models.TextField(_("text"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    edited_at = models.DateTimeField(_("corrected"), null=True, blank=True)

    class Meta:
        verbose_name = _("caption segment")
        verbose_name_plural = _("caption segments")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["session", "language", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="caption_segment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.starts_at:%H:%M:%S} {self.text[:40]}"


class SegmentEdit(models.Model):
    """A secretariat correction of a segment (append-only history)."""

    segment = models.ForeignKey(CaptionSegment, on_delete=models.CASCADE, related_name="edits")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    previous_text = models.TextField()
    new_text = models.TextField()
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("caption correction")
        verbose_name_plural = _("caption corrections")
        ordering = ["edited_at", "id"]

    def __str__(self) -> str:
        return f"{self.segment_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


class GlossaryTerm(models.Model):
    """One term of a meeting's glossary, in as many languages as are known."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="glossary_terms",
    )
    terms = models.JSONField(_("term in each language"), default=dict)

    class Meta:
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")
        ordering = ["id"]

    def __str__(self) -> str:
        return " / ".join(self.terms.values())
