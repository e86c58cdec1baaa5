"""A booth's state: who is on air, a handover under way, the cough key."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Booth(models.Model):
    """One interpretation language's booth in a session: a row, so that a change
    is made under a row lock ("one live microphone per booth" holds when two
    consoles press at once) and survives a server restart (who is heard is
    re-derived from it)."""

    session = models.ForeignKey(
        "meetings.Session", verbose_name=_("session"), on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(_("language"), max_length=8)
    on_air = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on air"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handover requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    handover_at = models.DateTimeField(_("handover at"), null=True, blank=True)
    cough = models.BooleanField(_("cough key down"), default=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        constraints = [
            models.UniqueConstraint(fields=["session", "language"], name="one_booth_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.language}"
