"""The sign-in flow across requests: password, then (for staff) a TOTP code.

A staff member who passed the password step is *pending*: the session holds
their id but they are not signed in until their code is verified, so no
request runs with staff privileges on a password alone.
"""

from __future__ import annotations

import time

import django_otp
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
