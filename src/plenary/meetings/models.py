"""Sectors, sites, rooms, meetings, sessions, registration and participation.

Invariants that span rows (a session inside its meeting's dates, a room at the
meeting's site, one registration per person and meeting) are checked in
``services.py``; the database enforces what it can (unique and check
constraints) so that no path can store an inconsistent row.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plenary.core.languages import Language


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a known time zone."), params={"value": value})


def shown_language(texts: dict[str, str], fallback: str = "en") -> str:
    """The language ``localized`` picks: the active one, else ``fallback``, else any."""
    for language in (translation.get_language() or "en", fallback):
        if texts.get(language):
            return language
    return next(iter(texts), "")


def localized(texts: dict[str, str], fallback: str = "en") -> str:
    """The text in the active language, else ``fallback``'s, else any."""
    return texts.get(shown_language(texts, fallback), "")


class RemoteRight(models.TextChoices):
    """What a remote participant may do in a session, from least to most."""

    OBSERVE = "observe", _("Observe only")
    SPEAK = "speak", _("May take the floor")
    CONTRIBUTE = "contribute", _("May take the floor and introduce contributions")


REMOTE_RIGHT_ORDER = [RemoteRight.OBSERVE, RemoteRight.SPEAK, RemoteRight.CONTRIBUTE]


class Sector(models.Model):
    class Code(models.TextChoices):
        RADIOCOMMUNICATION = "R", _("ITU-R (Radiocommunication)")
        STANDARDIZATION = "T", _("ITU-T (Standardization)")
        DEVELOPMENT = "D", _("ITU-D (Development)")
        GENERAL_SECRETARIAT = "GS", _("General Secretariat")

    code = models.CharField(_("code"), max_length=2, choices=Code.choices, unique=True)

    class Meta:
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        ordering = ["code"]

    def __str__(self) -> str:
        return str(self.get_code_display())


class Site(models.Model):
    """Headquarters or a regional or area office, with what it can offer."""

    class Kind(models.TextChoices):
        HEADQUARTERS = "hq", _("Headquarters")
        REGIONAL_OFFICE = "regional", _("Regional office")
        AREA_OFFICE = "area", _("Area office")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    city = models.CharField(_("city"), max_length=80)
    country = models.CharField(_("country (ISO 3166-1 alpha-2)"), max_length=2)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    offers_remote_participation = models.BooleanField(
        _("offers interactive remote participation"), default=True
    )
    offers_interpretation = models.BooleanField(_("offers interpretation"), default=False)
    offers_captions = models.BooleanField(_("offers captions"), default=True)
    offers_webcast = models.BooleanField(_("offers webcast"), default=False)
    names = models.JSONField(
        _("name in each language"),
        default=dict,
        blank=True,
        help_text=_(
            "By language code, the name as shown in that language, city included; "
            "the name above is shown where a language is missing."
        ),
    )

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.shown_name

    @property
    def shown_name(self) -> str:
        """The name in the active language, else the default ``name``."""
        return self.names.get(translation.get_language() or "") or self.name

    @property
    def shown_name_language(self) -> str:
        """The language of ``shown_name`` ("" for the default name: no stated language)."""
        language = translation.get_language() or ""
        return language if self.names.get(language) else ""

    @property
    def place(self) -> str:
        """Name and city for a line of text, the city left out where the name has it already
        ("ITU Headquarters, Geneva", not "ITU Headquarters, Geneva, Geneva"). A name given in
        the reader's language is shown as given: the city is in the default language only."""
        if self.shown_name_language:
            return self.shown_name
        if not self.city or self.city.casefold() in self.name.casefold():
            return self.name
        return f"{self.name}, {self.city}"

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class Room(models.Model):
    site = models.ForeignKey(
        Site, verbose_name=_("site"), on_delete=models.PROTECT, related_name="rooms"
    )
    name = models.CharField(_("name"), max_length=120)
    capacity = models.PositiveIntegerField(_("capacity"))
    interpretation_booths = models.PositiveSmallIntegerField(_("interpretation booths"), default=0)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["site", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="room_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.site})"


class Meeting(models.Model):
    class Type(models.TextChoices):
        STUDY_GROUP = "study_group", _("Study group")
        WORKING_PARTY = "working_party", _("Working party")
        RAPPORTEUR_GROUP = "rapporteur_group", _("Rapporteur group")
        COUNCIL = "council", _("Council")
        CONFERENCE = "conference", _("Conference or assembly")
        REGIONAL = "regional", _("Regional meeting")
        WORKSHOP = "workshop", _("Workshop")
        CALL = "call", _("Call from a workspace")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    # Stable public reference, e.g. "T-SG17-2026-12".
    code = models.SlugField(_("reference"), max_length=64, unique=True)
    titles = models.JSONField(
        _("titles"), default=dict, help_text=_("Title in each language, by language code.")
    )
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), on_delete=models.PROTECT, related_name="meetings"
    )
    meeting_type = models.CharField(_("type"), max_length=20, choices=Type.choices)
    site = models.ForeignKey(
        Site,
        verbose_name=_("site"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("Empty for a fully virtual meeting."),
    )
    # A fully virtual meeting keeps its dates in this zone.
    time_zone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_time_zone], default="Europe/Zurich"
    )
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"))
    working_language = models.CharField(
        _("working language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    languages = models.JSONField(_("languages offered"), default=list)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    registration_open = models.BooleanField(_("registration open"), default=True)
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        related_name="organised_meetings",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["start_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="meeting_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.titles, self.working_language)

    @property
    def title_language(self) -> str:
        """The language of ``title``, for the ``lang`` attribute around it."""
        return shown_language(self.titles, self.working_language)

    @property
    def description(self) -> str:
        return localized(self.descriptions, self.working_language)

    @property
    def description_language(self) -> str:
        return shown_language(self.descriptions, self.working_language)

    @property
    def is_virtual(self) -> bool:
        return self.site_id is None

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return self.site.tzinfo if self.site else zoneinfo.ZoneInfo(self.time_zone)

    @property
    def time_zone_label(self) -> str:
        """The meeting's clock for a reader, in words and an offset ("local time,
        UTC+01:00"), not a database identifier ("Europe/Zurich"); the offset is the one
        in force on the first day, summer time included."""
        offset = dt.datetime.combine(self.start_date, dt.time(12), self.tzinfo).strftime("%z")
        offset = f"{offset[:3]}:{offset[3:]}"
        if self.is_virtual:  # the organiser's chosen clock, not a place's
            return gettext("meeting time, UTC%(offset)s") % {"offset": offset}
        return gettext("local time, UTC%(offset)s") % {"offset": offset}


class Session(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.ForeignKey(
        Room,
        verbose_name=_("room"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    remote_right = models.CharField(
        _("rights of remote participants"),
        max_length=12,
        choices=RemoteRight.choices,
        default=RemoteRight.SPEAK,
    )
    # ``title`` is the title in the meeting's working language; these are the others.
    titles = models.JSONField(
        _("title in other languages"),
        default=dict,
        blank=True,
        help_text=_("By language code; the title above is shown where a language is missing."),
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="session_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting.code}: {self.title}"

    @property
    def shown_title(self) -> str:
        """The title in the active language, else the working language's ``title``."""
        return self.titles.get(translation.get_language() or "") or self.title

    @property
    def shown_title_language(self) -> str:
        """The language of ``shown_title``, for the ``lang`` attribute around it."""
        language = translation.get_language() or ""
        return language if self.titles.get(language) else self.meeting.working_language

    def local_start(self) -> dt.datetime:
        return self.starts_at.astimezone(self.meeting.tzinfo)

    def local_end(self) -> dt.datetime:
        return self.ends_at.astimezone(self.meeting.tzinfo)


class AttendanceMode(models.TextChoices):
    ONSITE = "onsite", _("In the room")
    REMOTE = "remote", _("Remotely")


class Registration(models.Model):
    """A person asks to attend; the entity's focal point (or the secretariat) decides."""

    class Kind(models.TextChoices):
        DELEGATE = "delegate", _("Delegate")
        OBSERVER = "observer", _("Observer")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    entity = models.ForeignKey(
        "accounts.Entity",
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    kind = models.CharField(_("as"), max_length=10, choices=Kind.choices, default=Kind.DELEGATE)
    attendance = models.CharField(_("attendance"), max_length=8, choices=AttendanceMode.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="registration_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.meeting.code}"


class Participation(models.Model):
    """A role a person holds in a meeting (one person may hold several)."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("Chair")
        VICE_CHAIR = "vice_chair", _("Vice-chair")
        SECRETARIAT = "secretariat", _("Secretariat")
        DELEGATE = "delegate", _("Delegate")
        OBSERVER = "observer", _("Observer")
        INTERPRETER = "interpreter", _("Interpreter")
        ROOM_OPERATOR = "room_operator", _("Room operator")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="participations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="participations",
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    entity = models.ForeignKey(
        "accounts.Entity",
        verbose_name=_("entity"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    attendance = models.CharField(
        _("attendance"), max_length=8, choices=AttendanceMode.choices, default=AttendanceMode.REMOTE
    )
    # Interpreters: the booth (target language) they work in.
    language = models.CharField(
        _("booth language"), max_length=8, choices=Language.choices, blank=True
    )
    registration = models.ForeignKey(
        Registration,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "user", "role"], name="participation_once_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.meeting.code}"


class AgendaItem(models.Model):
    """An item of a meeting's agenda ("3", "3.1"): documents and discussions refer to it."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    number = models.CharField(_("number"), max_length=16)
    position = models.PositiveIntegerField(_("position"), default=0)
    titles = models.JSONField(_("titles"), default=dict, help_text=_("By language code."))

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="agenda_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def title(self) -> str:
        return localized(self.titles, self.meeting.working_language)
