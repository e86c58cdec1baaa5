"""The room's chat: messages of a session, kept with its record, and the chair's switch.

A message goes to everyone in the session, to the secretariat, or to another
delegation (and the sender's own). Nothing is deleted: a moderator hides a
message (who and when are kept, and audited).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChatMessage(models.Model):
    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        SECRETARIAT = "secretariat", _("The secretariat")
        DELEGATION = "delegation", _("A delegation")

    session = models.ForeignKey(
        "meetings.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="chat_messages",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The author's delegation when they wrote (messages between delegations pair by it).
    author_entity = models.ForeignKey(
        "accounts.Entity",
        verbose_name=_("author's delegation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    audience = models.CharField(_("to"), max_length=12, choices=Audience.choices)
    to_entity = models.ForeignKey(
        "accounts.Entity",
        verbose_name=_("to delegation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("text"))
    language = models.CharField(_("language"), max_length=8, blank=True)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    hidden_at = models.DateTimeField(_("hidden"), null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["session", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.session_id}/{self.pk} {self.audience}"


class ChatPolicy(models.Model):
    """Whether the session's public chat is open (the chair closes it in formal sittings)."""

    session = models.OneToOneField(
        "meetings.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="chat_policy",
    )
    public_open = models.BooleanField(_("public chat open"), default=True)

    class Meta:
        verbose_name = _("chat policy")
        verbose_name_plural = _("chat policies")

    def __str__(self) -> str:
        return f"{self.session_id}: {'open' if self.public_open else 'closed'}"
