"""Personal access tokens: the services (``check_*`` validates, ``do_*`` writes).

A token lets a script act as its owner without the sign-in form: on the REST
API (``Authorization: Bearer <token>``, scopes ``read`` and ``write``) and on
the session socket (the same header on the WebSocket handshake, scope
``live``). A token never stands in for the second factor: staff acting with a
token have the rights of an ordinary participant, as in a session that has
not been verified with a code.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plenary.accounts.models import AccessToken, User
from plenary.core import audit
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal

# Every token starts so, which lets secret scanners recognise a leaked one.
TOKEN_START = "plenary_"  # noqa: S105 (a marker, not a secret)
# Lifetimes offered, in days; a token always expires.
LIFETIMES = (7, 30, 90, 365)
MAX_ACTIVE = 20
# ``last_used_at`` is rewritten at most this often, not on every request.
LAST_USED_STEP = timedelta(minutes=1)
Scope = AccessToken.Scope


class TokenRefusal(Refusal):
    """The token is unknown, expired or revoked, or its owner may not sign in (HTTP 401)."""

    status = 401

    def __init__(self) -> None:
        super().__init__(
            _("This access token is not valid: it is unknown, expired or revoked."),
            code="token_invalid",
        )


@dataclass(frozen=True)
class TokenData:
    name: str
    scopes: list[str]
    days: int


def digest(raw: str) -> str:
    """What is stored of a token: its SHA-256, in hex."""
    return hashlib.sha256(raw.encode()).hexdigest()


def active_tokens(user: User) -> QuerySet[AccessToken]:
    """The tokens of ``user`` that still work (newest first)."""
    return AccessToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )


def check_create_token(user: User, data: TokenData) -> None:
    """A name, at least one known scope, an offered lifetime, and not too many tokens."""
    if not data.name.strip():
        raise Refusal(_("Give the token a name."), code="name_required", field="name")
    if len(data.name.strip()) > 100:
        raise Refusal(_("Use at most 100 characters."), code="name_length", field="name")
    if not data.scopes or not set(data.scopes) <= set(Scope.values):
        raise Refusal(_("Choose what the token may do."), code="scopes", field="scopes")
    if data.days not in LIFETIMES:
        raise Refusal(_("Choose one of the lifetimes offered."), code="lifetime", field="days")
    if active_tokens(user).count() >= MAX_ACTIVE:
        raise Refusal(
            ngettext(
                "You have %(count)d working token already: revoke one first.",
                "You have %(count)d working tokens already: revoke one first.",
                MAX_ACTIVE,
            )
            % {"count": MAX_ACTIVE},
            code="too_many",
        )


def do_create_token(user: User, data: TokenData) -> tuple[AccessToken, str]:
    """Create a token for ``user``; returns it and its secret, which is never stored."""
    check_create_token(user, data)
    raw = TOKEN_START + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = AccessToken.objects.create(
            user=user,
            name=data.name.strip(),
            prefix=raw[: len(TOKEN_START) + 4],
            digest=digest(raw),
            scopes=sorted(set(data.scopes)),
            expires_at=timezone.now() + timedelta(days=data.days),
        )
        audit.record(user, "accounts.token_created", token, scopes=token.scopes)
    return token, raw


def do_revoke_token(user: User, token_id: int) -> AccessToken:
    """Revoke one of the tokens of ``user`` (revoking twice changes nothing)."""
    with transaction.atomic():
        token = AccessToken.objects.select_for_update().filter(pk=token_id, user=user).first()
        if token is None:
            raise NotFoundRefusal(_("There is no such token among yours."))
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record(user, "accounts.token_revoked", token)
    return token


def do_revoke_tokens(actor: User, chosen: QuerySet[AccessToken]) -> int:
    """An operator revokes tokens of anyone (administration); returns how many were working."""
    with transaction.atomic():
        working = list(chosen.select_for_update().filter(revoked_at__isnull=True))
        now = timezone.now()
        for token in working:
            token.revoked_at = now
            token.save(update_fields=["revoked_at"])
            audit.record(actor, "accounts.token_revoked", token, owner=token.user.username)
    return len(working)


def check_token(raw: str, scope: str) -> User:
    """The person a token acts for, if it is valid and has ``scope``; else refuse.

    Raises :class:`TokenRefusal` (401) for an unusable token and
    :class:`PermissionRefusal` (403) for a valid one without the scope. The
    person comes back marked as not verified by a second factor.
    """
    now = timezone.now()
    token = (
        AccessToken.objects.select_related("user")
        .filter(digest=digest(raw.strip()), revoked_at__isnull=True, expires_at__gt=now)
        .first()
        if raw.strip().startswith(TOKEN_START)
        else None
    )
    if token is None or not token.user.is_active:
        raise TokenRefusal
    if scope not in token.scopes:
        raise PermissionRefusal(
            _("This access token may not do this: it lacks the “%(scope)s” scope.")
            % {"scope": scope},
            code="token_scope",
        )
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_STEP:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return _unverified(token.user)


def _unverified(user: User) -> User:
    # What django_otp's OTPMiddleware sets on a session's user: no device.
    person: Any = user
    person.otp_device = None
    person.is_verified = lambda: False
    return user
