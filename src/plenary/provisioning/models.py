"""Service requests for meetings and what a provisioned service yields.

A ``ServiceRequest`` moves pending -> approved -> provisioned (approval
provisions at once), or pending -> rejected, or to cancelled. What the
participants receive are secret tokens: a ``JoinLink`` per participant and
meeting, a ``CalendarFeed`` per person, and the webcast token on the request.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plenary.core.languages import Language


def new_token() -> str:
    """An unguessable URL-safe token (256 bits)."""
    return secrets.token_urlsafe(32)


class Service(models.TextChoices):
    REMOTE_PARTICIPATION = "remote_participation", _("Interactive remote participation")
    INTERPRETATION = "interpretation", _("Interpretation")
    CAPTIONS = "captions", _("Live captions")
    WEBCAST = "webcast", _("Webcast")


class ServiceRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        PROVISIONED = "provisioned", _("Provisioned")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = (Status.PENDING, Status.APPROVED, Status.PROVISIONED)

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="service_requests",
    )
    service = models.CharField(_("service"), max_length=24, choices=Service.choices)
    languages = models.JSONField(_("interpretation languages"), default=list, blank=True)
    public = models.BooleanField(
        _("public webcast"),
        default=False,
        help_text=_("Anyone may watch the webcast without signing in."),
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.PROTECT,
        related_name="service_requests",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=1000, blank=True)
    # Set when a webcast is provisioned: the secret part of its page's address.
    webcast_token = models.CharField(
        _("webcast token"), max_length=64, unique=True, null=True, blank=True
    )

    class Meta:
        verbose_name = _("service request")
        verbose_name_plural = _("service requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "service"],
                condition=models.Q(status__in=["pending", "approved", "provisioned"]),
                name="service_request_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} — {self.meeting.code}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def language_names(self) -> str:
        """The interpretation languages, named in the active language."""
        return ", ".join(str(Language(code).label) for code in self.languages)


class SecretToken(models.Model):
    """A revocable secret in a URL; a revoked token is never valid again."""

    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class JoinLink(SecretToken):
    """A participant's personal link to join a meeting remotely."""

    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="join_links",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="join_links",
    )

    class Meta:
        verbose_name = _("join link")
        verbose_name_plural = _("join links")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=models.Q(revoked_at__isnull=True),
                name="join_link_one_active",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.meeting.code}"


class CalendarFeed(SecretToken):
    """A person's secret calendar subscription address (all their meetings)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
    )

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(revoked_at__isnull=True),
                name="calendar_feed_one_active",
            )
        ]

    def __str__(self) -> str:
        return str(self.user)
