"""People, the entities they represent, and the staff roles of the secretariat."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from plenary.core.languages import Language


class Region(models.TextChoices):
    """The ITU's six administrative regions (ITU-D regional offices follow them)."""

    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ARAB_STATES = "arab_states", _("Arab States")
    ASIA_PACIFIC = "asia_pacific", _("Asia and the Pacific")
    CIS = "cis", _("Commonwealth of Independent States")
    EUROPE = "europe", _("Europe")


class DevelopmentStatus(models.TextChoices):
    DEVELOPED = "developed", _("Developed country")
    DEVELOPING = "developing", _("Developing country")
    LDC = "ldc", _("Least developed country")
    UNKNOWN = "", _("Not applicable or unknown")


class Entity(models.Model):
    """A body that sends delegates: a Member State, Sector Member, and so on."""

    class Category(models.TextChoices):
        MEMBER_STATE = "member_state", _("Member State")
        SECTOR_MEMBER = "sector_member", _("Sector Member")
        ASSOCIATE = "associate", _("Associate")
        ACADEMIA = "academia", _("Academia")
        REGIONAL_ORGANISATION = "regional_org", _("Regional telecommunication organisation")
        UN_AGENCY = "un_agency", _("United Nations or specialised agency")

    name = models.CharField(_("name"), max_length=200, unique=True)
    # The short code used in document and proposal numbers (e.g. "F", "USA").
    code = models.CharField(_("code"), max_length=16, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    country = models.CharField(
        _("country (ISO 3166-1 alpha-2)"),
        max_length=2,
        blank=True,
        help_text=_("Two capital letters, e.g. FR. Empty for regional and international bodies."),
    )
    region = models.CharField(_("region"), max_length=20, choices=Region.choices, blank=True)
    development_status = models.CharField(
        _("development status"), max_length=12, choices=DevelopmentStatus.choices, blank=True
    )
    sectors = models.ManyToManyField(
        "meetings.Sector", verbose_name=_("member of sectors"), blank=True, related_name="entities"
    )
    focal_points = models.ManyToManyField(
        "accounts.User",
        verbose_name=_("focal points"),
        blank=True,
        related_name="focal_point_for",
        help_text=_("People who approve registrations on behalf of this entity."),
    )

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(country="") | models.Q(country__regex=r"^[A-Z]{2}$"),
                name="entity_country_iso_alpha2",
            )
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person. Staff roles decide what they may organise and approve."""

    class StaffRole(models.TextChoices):
        NONE = "", _("None")
        SECRETARIAT = "secretariat", _("Secretariat")
        CONFERENCE = "conference", _("Conference department")
        ORGANISER = "organiser", _("Event organiser")
        REGIONAL_OFFICE = "regional_office", _("Regional office staff")

    class Gender(models.TextChoices):
        UNDISCLOSED = "", _("Prefer not to say")
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    entity = models.ForeignKey(
        Entity,
        verbose_name=_("entity represented"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    staff_role = models.CharField(
        _("staff role"), max_length=20, choices=StaffRole.choices, blank=True
    )
    # Regional office staff organise meetings for their own site.
    staff_site = models.ForeignKey(
        "meetings.Site",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices, blank=True)
    # The stable subject identifier ("sub") given by the organisation's
    # OpenID Connect provider; null for people who sign in with a password only.
    oidc_subject = models.CharField(
        _("single sign-on subject"), max_length=255, null=True, blank=True, unique=True
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # One account per address, whatever its case; accounts without an
            # address (created by operators) are allowed.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_ci_unique",
                violation_error_message=_("An account with this email address already exists."),
            )
        ]

    @property
    def display_name(self) -> str:
        """The name others see: the full name, else the user name."""
        return str(self.get_full_name() or self.username)

    @property
    def is_secretariat(self) -> bool:
        """Secretariat and conference-department staff (and superusers)."""
        return self.is_superuser or self.staff_role in {
            self.StaffRole.SECRETARIAT,
            self.StaffRole.CONFERENCE,
        }

    @property
    def can_organise(self) -> bool:
        """May create e-meetings and request services for them."""
        return self.is_secretariat or self.staff_role in {
            self.StaffRole.ORGANISER,
            self.StaffRole.REGIONAL_OFFICE,
        }

    @property
    def needs_two_factor(self) -> bool:
        """Staff sign in with a second factor (TOTP)."""
        return self.is_staff or self.is_superuser or bool(self.staff_role)


class AccessToken(models.Model):
    """A personal access token: a script signs in to the API or the session socket as its owner.

    Only the SHA-256 of the token is stored (the token is 256 random bits, so
    no salt or slow hash is needed); the token itself is shown once, when it
    is created. A revoked token stays, for the record, and never works again.
    """

    class Scope(models.TextChoices):
        READ = "read", _("Read through the API")
        WRITE = "write", _("Change through the API")
        LIVE = "live", _("Connect to the live session socket")

    user = models.ForeignKey(
        User, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    # The token's first characters, shown in lists so its owner can tell tokens apart.
    prefix = models.CharField(_("beginning"), max_length=16)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
