"""The sign-in flow across requests: password, then (for staff) a TOTP code.

A staff member who passed the password step is *pending*: the session holds
their id but they are not signed in until their code is verified, so no
request runs with staff privileges on a password alone.
"""

from __future__ import annotations

import time
from typing import Any

import django_otp
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django_otp.plugins.otp_totp.models import TOTPDevice

from plenary.accounts.models import User
from plenary.accounts.permissions import needs_verification

PENDING_USER = "accounts.pending_user"
PENDING_BACKEND = "accounts.pending_backend"
PENDING_SINCE = "accounts.pending_since"
# The second factor must follow the password within this many seconds.
PENDING_TTL = 600


# --- Throttling (django-axes; limits and cool-off in settings.AXES_*) --------


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The account a sign-in attempt counts against: its username, case folded.

    Folding means ``Alice`` and ``alice`` share one counter, so changing the
    case does not buy an attacker more guesses.
    """
    data = credentials if credentials is not None else getattr(request, "POST", {})
    return _fold(str(data.get("username") or ""))


def _fold(username: str) -> str:
    return username.strip().casefold()


def client_address(request: HttpRequest) -> str:
    """The address a sign-in attempt counts against: the connection's.

    Never a header the client sends: the ASGI server puts the address of
    the client in ``REMOTE_ADDR``, and it reads ``X-Forwarded-For`` only from
    the proxies in ``settings.TRUSTED_PROXIES``.
    """
    return str(request.META.get("REMOTE_ADDR") or "")


def forget_failed_sign_ins(username: str) -> None:
    """Lift the lock on an account (its password was just reset by its owner)."""
    axes_reset(username=_fold(username))


def begin_two_factor(request: HttpRequest, user: User) -> None:
    request.session[PENDING_USER] = user.pk
    request.session[PENDING_BACKEND] = getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0])
    request.session[PENDING_SINCE] = int(time.time())


def two_factor_user(request: HttpRequest) -> User | None:
    """Who is at the TOTP step: a pending staff member, or a signed-in unverified one."""
    if needs_verification(request.user):
        return request.user  # type: ignore[return-value]
    pending: int | None = request.session.get(PENDING_USER)
    since = request.session.get(PENDING_SINCE, 0)
    if pending is None or request.user.is_authenticated or time.time() - since > PENDING_TTL:
        return None
    return User.objects.filter(pk=pending, is_active=True).first()


def clear_pending(request: HttpRequest) -> None:
    for key in (PENDING_USER, PENDING_BACKEND, PENDING_SINCE):
        request.session.pop(key, None)


def complete_sign_in(request: HttpRequest, user: User, device: TOTPDevice | None = None) -> None:
    """Sign ``user`` in (if pending) and mark the session verified by ``device``.

    The session key changes either way: gaining staff rights is a privilege
    change, like signing in.
    """
    if request.user.is_authenticated:
        request.session.cycle_key()
    else:
        backend = request.session.get(PENDING_BACKEND, settings.AUTHENTICATION_BACKENDS[0])
        login(request, user, backend=backend)
    clear_pending(request)
    if device is not None:
        django_otp.login(request, device)


def apply_language(response: HttpResponse, user: User) -> HttpResponse:
    """Switch the interface to the person's preferred language (Django's cookie)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.preferred_language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response
