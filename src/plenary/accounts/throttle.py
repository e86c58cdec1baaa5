"""Sign-in throttling with django-axes: what counts, and against what.

Wrong passwords are counted per account (from any address: guessing one
person's password) and per address (for any accounts: spraying one password
over many). The address gets the higher limit, since many delegates at a
venue may reach the server from one public address; both limits and the
cool-off are settings (``AXES_FAILURE_LIMIT``,
``SIGNIN_ADDRESS_FAILURE_LIMIT``, ``AXES_COOLOFF_TIME``).
"""

from __future__ import annotations

from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest


def axes_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    """The account an attempt counts against (``AXES_USERNAME_CALLABLE``): case folded.

    Folding means ``Alice`` and ``alice`` share one count, so changing the
    case buys an attacker no more guesses.
    """
    data = credentials if credentials is not None else getattr(request, "POST", {})
    return fold(str(data.get("username") or ""))


def fold(username: str) -> str:
    return username.strip().casefold()


def client_address(request: HttpRequest) -> str:
    """The address an attempt counts against (``AXES_CLIENT_IP_CALLABLE``): the connection's.

    Never a header the client sends: the ASGI server puts the client's
    address in ``REMOTE_ADDR``, and reads ``X-Forwarded-For`` only from the
    proxies in ``settings.TRUSTED_PROXIES``.
    """
    return str(request.META.get("REMOTE_ADDR") or "")


def forget_failed_sign_ins(username: str) -> None:
    """Lift the pause on an account (its owner just chose a new password)."""
    axes_reset(username=fold(username))


def _count(attempts: Any) -> int:
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


class SignInThrottle(AxesDatabaseHandler):
    """django-axes' database handler (``AXES_HANDLER``) with a limit of its own for addresses.

    Axes compares one count with one limit (``AXES_FAILURE_LIMIT``); the
    count given here is the account's failures, or the address's scaled to
    that limit, whichever is higher.

    A successful sign-in forgets only that person's failures from that
    address (a typo or two); forgetting the address's failures would let a
    sprayer reset the count with an account of their own.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        recent = AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))
        by_account = _count(recent.filter(username=axes_username(request, credentials)))
        by_address = _count(recent.filter(ip_address=client_address(request)))
        scaled = by_address * settings.AXES_FAILURE_LIMIT // settings.SIGNIN_ADDRESS_FAILURE_LIMIT
        return max(by_account, scaled)

    def user_logged_in(self, sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        AccessAttempt.objects.filter(
            username=fold(user.get_username()), ip_address=client_address(request)
        ).delete()
