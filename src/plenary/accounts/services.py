"""Operations that change people, their second factor and focal points.

``check_*`` functions authorise and validate and raise :class:`Refusal`;
``do_*`` functions write (inside ``transaction.atomic()``) and record an
audit entry.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from plenary.accounts import notifications
from plenary.accounts.models import Entity, User
from plenary.accounts.permissions import is_verified_staff
from plenary.core import audit
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.core.languages import UN_LANGUAGES

TOTP_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class ProfileData:
    """What a person may change about themselves."""

    first_name: str
    last_name: str
    email: str
    preferred_language: str
    gender: str


@dataclass(frozen=True)
class SignUpData(ProfileData):
    username: str
    password: str
    entity: Entity | None


# --- people ---------------------------------------------------------------


def check_email_available(email: str, *, exclude: User | None = None) -> None:
    """Refuse an address already used by another account (case-insensitive)."""
    others = User.objects.filter(email__iexact=email.strip())
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    if email.strip() and others.exists():
        raise Refusal(
            _("An account with this email address already exists."),
            code="email_taken",
            field="email",
        )


def _check_profile(data: ProfileData, *, user: User | None) -> None:
    if not data.email.strip():
        raise Refusal(_("Enter your email address."), code="email_required", field="email")
    check_email_available(data.email, exclude=user)
    if data.preferred_language not in UN_LANGUAGES:
        raise Refusal(
            _("Choose one of the six official languages."),
            code="language",
            field="preferred_language",
        )
    if data.gender not in User.Gender.values:
        raise Refusal(_("Choose a valid option."), code="gender", field="gender")


def check_sign_up(data: SignUpData) -> None:
    """Validate a self sign-up: unique username and email, a strong password."""
    _check_profile(data, user=None)
    if User.objects.filter(username__iexact=data.username).exists():
        raise Refusal(
            _("This username is taken; choose another."), code="username_taken", field="username"
        )
    candidate = User(username=data.username, email=data.email, first_name=data.first_name)
    try:
        validate_password(data.password, user=candidate)
    except ValidationError as exc:
        raise Refusal(" ".join(exc.messages), code="weak_password", field="password1") from exc


def do_sign_up(data: SignUpData) -> User:
    """Create a delegate account (never staff). Validates with :func:`check_sign_up`."""
    check_sign_up(data)
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                data.username,
                email=data.email.strip(),
                password=data.password,
                first_name=data.first_name,
                last_name=data.last_name,
                entity=data.entity,
                preferred_language=data.preferred_language,
                gender=data.gender,
            )
            audit.record(user, "accounts.signed_up", user, entity=data.entity and data.entity.code)
    except IntegrityError as exc:
        # Another sign-up with the same username or email won the race.
        raise Refusal(
            _("An account with this username or email address already exists."),
            code="duplicate",
        ) from exc
    return user


def do_update_profile(user: User, data: ProfileData) -> User:
    """Change a person's own name, address, language and gender."""
    _check_profile(data, user=user)
    fields = ("first_name", "last_name", "email", "preferred_language", "gender")
    changed = [name for name in fields if getattr(user, name) != getattr(data, name)]
    if not changed:
        return user
    with transaction.atomic():
        for name in changed:
            setattr(user, name, getattr(data, name))
        user.save(update_fields=changed)
        audit.record(user, "accounts.profile_updated", user, fields=changed)
    return user


def do_change_password(user: User, new_password: str) -> None:
    """Store a password already validated by Django's ``PasswordChangeForm``."""
    with transaction.atomic():
        user.set_password(new_password)
        user.save(update_fields=["password"])
        audit.record(user, "accounts.password_changed", user)


# --- focal points ----------------------------------------------------------


def non_members(entity: Entity, people: Iterable[User]) -> list[str]:
    """Usernames among ``people`` who do not represent ``entity``."""
    return sorted(
        person.username for person in people if entity.pk is None or person.entity_id != entity.pk
    )


def check_set_focal_points(actor: User, entity: Entity, people: Iterable[User]) -> None:
    """Only the secretariat names focal points, and only from the entity's members."""
    if not (actor.is_secretariat and is_verified_staff(actor)):
        raise PermissionRefusal(_("Only the secretariat may name focal points."))
    outsiders = non_members(entity, people)
    if outsiders:
        raise Refusal(
            _("Focal points must represent the entity: %(names)s do not.")
            % {"names": ", ".join(outsiders)},
            code="not_a_member",
            field="focal_points",
        )


def do_set_focal_points(actor: User, entity: Entity, people: Iterable[User]) -> None:
    """Make ``people`` the focal points of ``entity``; audit who was added and removed."""
    wanted = {person.pk: person for person in people}
    check_set_focal_points(actor, entity, wanted.values())
    with transaction.atomic():
        current = set(entity.focal_points.values_list("pk", flat=True))
        added = [wanted[pk] for pk in wanted.keys() - current]
        removed = list(User.objects.filter(pk__in=current - wanted.keys()))
        entity.focal_points.add(*added)
        entity.focal_points.remove(*removed)
        for person in added:
            audit.record(actor, "accounts.focal_point_added", entity, user=person.username)
        for person in removed:
            audit.record(actor, "accounts.focal_point_removed", entity, user=person.username)


# --- two-factor (TOTP) ------------------------------------------------------


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def do_start_enrolment(user: User) -> TOTPDevice:
    """The unconfirmed device the person is setting up (created once, then reused)."""
    if not user.needs_two_factor:
        raise PermissionRefusal(_("Two-factor authentication is for staff accounts."))
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def check_totp_code(device: TOTPDevice, code: str) -> None:
    """Verify ``code`` against ``device``, with django-otp's throttling.

    Each wrong code doubles the wait before the next try (1 s, 2 s, 4 s...).
    Not called inside an outer transaction: the failure count must be stored
    even though this raises.
    """
    code = re.sub(r"\s", "", code)
    if not TOTP_CODE.match(code):
        raise Refusal(
            _("Enter the 6-digit code shown in your authenticator app."),
            code="code_format",
            field="code",
        )
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, details = locked.verify_is_allowed()
        verified = allowed and locked.verify_token(code)
    if not allowed:
        wait = (details or {}).get("locked_until", timezone.now()) - timezone.now()
        seconds = max(1, math.ceil(wait.total_seconds()))
        raise Refusal(
            ngettext(
                "Too many wrong codes. Wait %(seconds)d second, then enter the current code.",
                "Too many wrong codes. Wait %(seconds)d seconds, then enter the current code.",
                seconds,
            )
            % {"seconds": seconds},
            code="throttled",
            field="code",
        )
    if not verified:
        raise Refusal(
            _("This code is wrong or has expired. Enter the current code from your app."),
            code="code_wrong",
            field="code",
        )
    device.refresh_from_db()


def do_confirm_device(user: User, device: TOTPDevice, code: str) -> TOTPDevice:
    """Confirm a new device with a code; it replaces any earlier device.

    Replacing one emails the person, in case someone else holds their password.
    """
    if device.user_id != user.pk or device.confirmed:
        raise PermissionRefusal(_("This authenticator is not being set up."))
    check_totp_code(device, code)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        replaced = TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()[0]
        audit.record(user, "accounts.two_factor_enrolled", user, replaced=replaced)
        if replaced:
            notifications.send_authenticator_changed(user)
    return device
