"""Who counts as signed-in staff, for views, services and templates.

Staff (``User.needs_two_factor``) hold their privileges only in a session
verified with a second factor (TOTP). A staff member signed in another way
(single sign-on, or a session from before two-factor was required) is
treated as an ordinary user until they enter a code.

- :func:`is_verified_staff` is the plain predicate for services; templates
  use it as ``{% load accounts %}{% if user|verified_staff %}``.
- :func:`verified_staff_required` decorates function views of staff pages
  (``method_decorator(verified_staff_required, name="dispatch")`` for classes).
- :func:`check_verified` is the API's guard before an action that may use
  staff rights.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from plenary.core.errors import PermissionRefusal

View = TypeVar("View", bound=Callable[..., HttpResponse])


def is_two_factor_verified(user: Any) -> bool:
    """The session of ``user`` was verified with a TOTP code (``OTPMiddleware``)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified is not None and is_verified())


def is_verified_staff(user: Any) -> bool:
    """``user`` is staff and has passed the second factor in this session."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and bool(getattr(user, "needs_two_factor", False))
        and is_two_factor_verified(user)
    )


def needs_verification(user: Any) -> bool:
    """A signed-in staff member who still has to enter a TOTP code."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and bool(getattr(user, "needs_two_factor", False))
        and not is_two_factor_verified(user)
    )


def check_verified(user: Any) -> None:
    """Refuse (403) a staff member who has not entered their TOTP code yet, rather than
    let the action go on as if they were an ordinary user."""
    if needs_verification(user):
        raise PermissionRefusal(_("Confirm your sign-in with your authentication code first."))


def verify_url(next_url: str) -> str:
    """The two-factor step, returning to ``next_url`` afterwards."""
    return f"{reverse('accounts:verify')}?{urlencode({'next': next_url})}"


def verified_staff_required(view: View) -> View:
    """Allow only staff with a two-factor-verified session.

    Anonymous visitors go to the sign-in page, unverified staff to the
    TOTP step (then back here), and signed-in non-staff get 403.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if needs_verification(user):
            return HttpResponseRedirect(verify_url(request.get_full_path()))
        if not is_verified_staff(user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
