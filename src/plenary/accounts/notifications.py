"""Emails about a person's own account, in their preferred language."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from plenary.accounts.models import User
from plenary.core.mail import mail_after_commit


def send_authenticator_changed(user: User) -> None:
    """Tell a staff member that their second factor was replaced (it may not be them)."""
    mail_after_commit(
        user,
        lambda: (
            _("Your Plenary authenticator app was changed"),
            render_to_string("accounts/email/authenticator_changed.txt", {"user": user}),
        ),
    )
