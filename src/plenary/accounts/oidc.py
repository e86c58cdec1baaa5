"""Single sign-on through the organisation's OpenID Connect provider.

Enabled by ``PLENARY_OIDC_CLIENT_ID`` (see ``config/settings.py``). People are
matched by the provider's stable ``sub``; on their first single sign-on an
existing account with the same (verified) email address is linked to it.
Claims set names, the address and, for new accounts, the preferred language;
they never grant staff rights, which only an administrator gives.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import QuerySet
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from plenary.accounts.models import User
from plenary.core import audit
from plenary.core.languages import UN_LANGUAGES, Language

Claims = dict[str, Any]


def language_from_locale(locale: str | None) -> str:
    """Map a BCP 47 ``locale`` claim (``fr-CA``, ``zh-Hans-CN``, ``zh_CN``) to a UN language."""
    tag = (locale or "").strip().lower().replace("_", "-")
    if tag.startswith("zh"):
        return Language.CHINESE
    primary = tag.split("-")[0]
    return primary if primary in UN_LANGUAGES else Language.ENGLISH


def _username_base(claims: Claims) -> str:
    raw = claims.get("preferred_username") or str(claims.get("email", "")).split("@")[0]
    cleaned = re.sub(r"[^\w.@+-]", "", str(raw))[:140]
    return cleaned or "member"


class PlenaryOIDCBackend(OIDCAuthenticationBackend):
    def verify_claims(self, claims: Claims) -> bool:
        return bool(claims.get("sub")) and bool(claims.get("email"))

    def filter_users_by_claims(self, claims: Claims) -> QuerySet[User]:
        by_subject = User.objects.filter(oidc_subject=claims["sub"])
        # Linking by address trusts the provider only when it vouches for it.
        if by_subject.exists() or claims.get("email_verified") is not True:
            return by_subject
        return User.objects.filter(oidc_subject__isnull=True, email__iexact=claims["email"])

    def get_username(self, claims: Claims) -> str:
        base = _username_base(claims)
        username, n = base, 1
        while User.objects.filter(username__iexact=username).exists():
            n += 1
            username = f"{base}{n}"
        return username

    def create_user(self, claims: Claims) -> User:
        if User.objects.filter(email__iexact=claims["email"]).exists():
            # Only reached when the provider does not vouch for the address:
            # the sign-in fails (mozilla-django-oidc logs it) instead of a 500.
            raise SuspiciousOperation("unverified OIDC email belongs to another account")
        with transaction.atomic():
            user = User.objects.create_user(
                self.get_username(claims),
                email=claims["email"],
                first_name=str(claims.get("given_name", ""))[:150],
                last_name=str(claims.get("family_name", ""))[:150],
                preferred_language=language_from_locale(claims.get("locale")),
                oidc_subject=claims["sub"],
            )
            audit.record(user, "accounts.signed_up", user, via="oidc")
        return user

    def update_user(self, user: User, claims: Claims) -> User:
        """Refresh names and address; staff fields are never touched."""
        updates = {
            "oidc_subject": claims["sub"],
            "first_name": str(claims.get("given_name") or user.first_name)[:150],
            "last_name": str(claims.get("family_name") or user.last_name)[:150],
        }
        email = claims["email"]
        if not User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            updates["email"] = email
        changed = [name for name, value in updates.items() if getattr(user, name) != value]
        if changed:
            with transaction.atomic():
                for name in changed:
                    setattr(user, name, updates[name])
                user.save(update_fields=changed)
                audit.record(user, "accounts.sso_profile_updated", user, fields=changed)
        return user
