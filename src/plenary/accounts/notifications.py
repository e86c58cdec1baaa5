"""Emails about a person's own account, in their preferred language."""

from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from plenary.accounts.models import User


def send_authenticator_changed(user: User) -> None:
    """Tell a staff member that their second factor was replaced (it may not be them)."""
    if not user.email:
        return
    with translation.override(user.preferred_language):
        subject = _("Your Plenary authenticator app was changed")
        body = render_to_string("accounts/email/authenticator_changed.txt", {"user": user})
    send_mail(subject, body, None, [user.email])
