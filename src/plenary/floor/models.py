"""The floor of a live session: its append-only event log and its current state.

``SessionEvent`` is the source of truth: the live state of a session is the
fold of its events (``plenary.floor.state.apply``). ``LiveSession`` holds that
fold, materialised, with its version (the sequence number of the last event
applied), so that reads do not replay the log and so that concurrent chair
commands can be checked against the version they were based on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LiveSession(models.Model):
    """The materialised live state of one session (rebuilt from the log when needed)."""

    session = models.OneToOneField(
        "meetings.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="live",
    )
    version = models.PositiveIntegerField(_("version"), default=0)
    state = models.JSONField(_("state"), default=dict)

    class Meta:
        verbose_name = _("live session")
        verbose_name_plural = _("live sessions")

    def __str__(self) -> str:
        return f"{self.session_id} v{self.version}"


class SessionEvent(models.Model):
    """One change of a session's live state, in order (append-only)."""

    session = models.ForeignKey(
        "meetings.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="floor_events",
    )
    seq = models.PositiveIntegerField(_("sequence number"))
    kind = models.CharField(_("kind"), max_length=40)
    data = models.JSONField(_("data"), default=dict)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("session event")
        verbose_name_plural = _("session events")
        ordering = ["session", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["session", "seq"], name="floor_event_seq_once"),
        ]
        indexes = [models.Index(fields=["session", "kind", "actor", "at"])]

    def __str__(self) -> str:
        return f"{self.session_id}#{self.seq} {self.kind}"
