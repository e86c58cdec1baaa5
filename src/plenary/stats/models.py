"""What the statistics need beyond the attendance facts of ``plenary.live``.

- ``WebcastView``: a new kind of fact (webcast viewers are counted without
  signing in, so they cannot be ``AttendanceRecord`` rows, which name a person).
- ``ReportInputs``, ``ServiceCost`` and ``Incident``: what the secretariat
  records for the annual report (notes, cost inputs, outages).
- ``ReportJob``: one background generation of the annual report.
- ``HealthSample``: periodic health-check results, for measured availability.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plenary.core.languages import Language


class WebcastView(models.Model):
    """A webcast viewing (append-only). ``viewer`` is an anonymous per-browser key."""

    session = models.ForeignKey(
        "meetings.Session",
        verbose_name=_("session"),
        on_delete=models.CASCADE,
        related_name="webcast_views",
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="webcast_views",
    )
    language = models.CharField(_("language"), max_length=8, blank=True)
    # A random key the webcast page keeps in the browser: counts viewers, identifies no one.
    viewer = models.CharField(_("viewer key"), max_length=64)
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("webcast view")
        verbose_name_plural = _("webcast views")

    def __str__(self) -> str:
        return f"{self.session_id} {self.language} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Webcast views are append-only.")
        super().save(*args, **kwargs)


class ReportInputs(models.Model):
    """What the secretariat records for one year's report to Council."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    currency = models.CharField(_("currency"), max_length=3, default="CHF")
    travel_cost_per_person = models.DecimalField(
        _("average travel cost avoided per remote participant and meeting"),
        max_digits=10,
        decimal_places=2,
        default=0,
    )
    procedural_notes = models.TextField(_("procedural notes"), blank=True)
    legal_notes = models.TextField(_("legal notes"), blank=True)

    class Meta:
        verbose_name = _("report inputs")
        verbose_name_plural = _("report inputs")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class ServiceCost(models.Model):
    """The cost of one service per meeting-hour in one year."""

    class Service(models.TextChoices):
        REMOTE_PARTICIPATION = "remote_participation", _("Interactive remote participation")
        INTERPRETATION = "interpretation", _("Interpretation")
        CAPTIONS = "captions", _("Live captions")
        WEBCAST = "webcast", _("Webcast")

    year = models.PositiveSmallIntegerField(_("year"))
    service = models.CharField(_("service"), max_length=24, choices=Service.choices)
    cost_per_hour = models.DecimalField(_("cost per meeting-hour"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("service cost")
        verbose_name_plural = _("service costs")
        ordering = ["-year", "service"]
        constraints = [
            models.UniqueConstraint(fields=["year", "service"], name="service_cost_once"),
            models.CheckConstraint(
                condition=models.Q(cost_per_hour__gte=0), name="service_cost_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_service_display()}"


class Incident(models.Model):
    """An outage of a remote-participation service (used for availability)."""

    service = models.CharField(_("service"), max_length=24, choices=ServiceCost.Service.choices)
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"))
    description = models.CharField(_("description"), max_length=500)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-started_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ended_at__gt=models.F("started_at")),
                name="incident_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_service_display()} {self.started_at:%Y-%m-%d %H:%M}"


class ReportJob(models.Model):
    """One generation of the annual report in one language, run in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=120, blank=True)
    error = models.CharField(_("error"), max_length=500, blank=True)
    docx = models.FileField(_("DOCX"), upload_to="reports/", blank=True)
    pdf = models.FileField(_("PDF"), upload_to="reports/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created_at"]
        constraints = [
            # A report asked for twice at once is the same job.
            models.UniqueConstraint(
                fields=["year", "language"],
                condition=models.Q(status__in=["queued", "running"]),
                name="report_job_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.language} {self.status}"


class HealthSample(models.Model):
    """One component's health at one sampling time (append-only).

    ``plenary.stats.health.sample_now`` writes one row per health-checked
    component with the same ``at``; measured availability is read from them.
    """

    at = models.DateTimeField(_("time"), db_index=True)
    component = models.CharField(_("component"), max_length=40)
    ok = models.BooleanField(_("available"))

    class Meta:
        verbose_name = _("health sample")
        verbose_name_plural = _("health samples")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.component} {'ok' if self.ok else 'down'}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Health samples are append-only.")
        super().save(*args, **kwargs)
