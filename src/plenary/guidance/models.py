"""Remote-participation guidelines, the "I have read" step and training records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plenary.meetings.models import localized


class Guideline(models.Model):
    """One version of a Sector's guidelines for remote participants.

    Versions are never edited: the secretariat publishes a new one, and a
    meeting links to the version in force on its first day.
    """

    sector = models.ForeignKey(
        "meetings.Sector",
        verbose_name=_("sector"),
        on_delete=models.PROTECT,
        related_name="guidelines",
    )
    version = models.PositiveIntegerField(_("version"))
    in_force_from = models.DateField(_("in force from"))
    texts = models.JSONField(_("texts"), default=dict, help_text=_("Text in each language."))
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("published"), auto_now_add=True)

    class Meta:
        verbose_name = _("guideline version")
        verbose_name_plural = _("guideline versions")
        ordering = ["sector", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["sector", "version"], name="guideline_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.sector.code} v{self.version}"

    @property
    def text(self) -> str:
        return localized(self.texts)


class MeetingGuidance(models.Model):
    """The organiser's guidance settings for one meeting."""

    meeting = models.OneToOneField(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="guidance",
    )
    require_acknowledgement = models.BooleanField(
        _("participants must confirm they have read the guidelines"), default=False
    )

    class Meta:
        verbose_name = _("meeting guidance setting")
        verbose_name_plural = _("meeting guidance settings")

    def __str__(self) -> str:
        return str(self.meeting)


class Acknowledgement(models.Model):
    """A person confirmed having read one guideline version (append-only)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="guideline_acknowledgements",
    )
    guideline = models.ForeignKey(
        Guideline,
        verbose_name=_("guideline version"),
        on_delete=models.PROTECT,
        related_name="acknowledgements",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("confirmed"), auto_now_add=True)

    class Meta:
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(fields=["user", "guideline"], name="acknowledge_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ✓ {self.guideline}"


class TrainingModule(models.TextChoices):
    PRACTICE_ROOM = "practice_room", _("Practice room")
    SELF_TEST = "self_test", _("Device and connection self-test")
    GUIDE_DELEGATE = "guide_delegate", _("Guide for delegates")
    GUIDE_CHAIR = "guide_chair", _("Guide for chairs")
    GUIDE_INTERPRETER = "guide_interpreter", _("Guide for interpreters")
    GUIDE_ORGANISER = "guide_organiser", _("Guide for organisers")


class TrainingCompletion(models.Model):
    """A person completed a training module (append-only; counted in the statistics)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="training_completions",
    )
    module = models.CharField(_("module"), max_length=20, choices=TrainingModule.choices)
    # Self-test measurements: latency_ms, throughput_kbps, microphone_ok, speaker_ok.
    results = models.JSONField(_("results"), default=dict, blank=True)
    completed_at = models.DateTimeField(_("completed"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("training completion")
        verbose_name_plural = _("training completions")
        ordering = ["-completed_at"]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_module_display()}"
