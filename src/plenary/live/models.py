"""The kernel's facts about sockets: who is connected now, and attendance for statistics.

``Presence`` is one open session socket of a participant (deleted when it
closes). ``AttendanceRecord`` rows are facts for statistics: never updated,
never deleted; they copy the entity's country, region and category as they
were at the time so that later edits of the entity do not rewrite history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plenary.meetings.models import AttendanceMode


class DeviceClass(models.TextChoices):
    DESKTOP = "desktop", _("Desktop or laptop")
    TABLET = "tablet", _("Tablet")
    PHONE = "phone", _("Phone")
    ROOM_SYSTEM = "room", _("Room system")


class Quality(models.TextChoices):
    """A connection's quality as its page measures it (round trip, media loss)."""

    UNKNOWN = "", _("Not measured yet")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    POOR = "poor", _("Poor")


class Presence(models.Model):
    """One open WebSocket of a participant in a session (deleted on disconnect)."""

    session = models.ForeignKey(
        "meetings.Session", on_delete=models.CASCADE, related_name="presences"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    connection = models.CharField(max_length=64, unique=True)
    attendance = models.CharField(max_length=8, choices=AttendanceMode.choices)
    device_class = models.CharField(max_length=8, choices=DeviceClass.choices)
    connected_at = models.DateTimeField(default=timezone.now)
    # Refreshed by the client's ping; rows older than the presence timeout are
    # left-overs of a server that stopped without running disconnect handlers.
    seen_at = models.DateTimeField(default=timezone.now)
    quality = models.CharField(max_length=4, choices=Quality.choices, blank=True)

    class Meta:
        verbose_name = _("presence")
        verbose_name_plural = _("presences")
        indexes = [models.Index(fields=["session", "seen_at"])]

    def __str__(self) -> str:
        return f"{self.user_id}@{self.session_id}"


class AttendanceRecord(models.Model):
    """An attendance fact: a join, a leave, a channel switch, a floor granted or ended."""

    class Kind(models.TextChoices):
        JOIN = "join", _("Joined")
        LEAVE = "leave", _("Left")
        CHANNEL = "channel", _("Switched channel")
        FLOOR_GRANTED = "floor_granted", _("Was given the floor")
        FLOOR_ENDED = "floor_ended", _("Floor ended")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="attendance_records",
    )
    session = models.ForeignKey(
        "meetings.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="attendance_records",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="attendance_records",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    attendance = models.CharField(_("attendance"), max_length=8, choices=AttendanceMode.choices)
    device_class = models.CharField(
        _("device"), max_length=8, choices=DeviceClass.choices, blank=True
    )
    # Channel switches: the channel (e.g. "floor" or a booth) and its language.
    channel = models.CharField(_("channel"), max_length=32, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    # The WebSocket connection (one per tab) that produced the fact; joins and
    # leaves pair up by it. Count people with distinct users, not joins.
    connection = models.CharField(_("connection"), max_length=64, blank=True)
    entity = models.ForeignKey(
        "accounts.Entity",
        verbose_name=_("entity"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entity_country = models.CharField(_("country"), max_length=2, blank=True)
    entity_region = models.CharField(_("region"), max_length=20, blank=True)
    entity_category = models.CharField(_("entity category"), max_length=20, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["session", "kind", "at"]),
            models.Index(fields=["meeting", "kind"]),
            # Covers the statistics' yearly scans (index-only; see docs/benchmarks.md, stats).
            models.Index(fields=["kind", "at", "user", "session", "attendance", "meeting"]),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.session_id} {self.at:%Y-%m-%d %H:%M}"
