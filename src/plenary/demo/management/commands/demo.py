"""``plenary demo``: load the demo data (idempotent) and print the demo accounts."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import mail
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

from plenary.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load realistic demo data and print the demo accounts (demo mode only)."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("Demo data is only loaded with PLENARY_DEMO=true.")
        # The workflows send notifications; keep them off the console here.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            mail.outbox = []
            accounts = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready. Sign in at {settings.BASE_URL}/accounts/login/ as:"
            )
        )
        width = max(len(account.username) for account in accounts)
        for account in accounts:
            self.stdout.write(
                f"  {account.username:<{width}}  {account.password}  {account.description}"
            )
        self.stdout.write(
            "Staff accounts (marked *) enrol an authenticator app for two-factor sign-in "
            "the first time they sign in."
        )
