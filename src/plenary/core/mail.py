"""Emails to one person, in their preferred language, sent only once the change commits."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation


class Recipient(Protocol):
    email: str
    preferred_language: str


def mail_after_commit(recipient: Recipient, compose: Callable[[], tuple[str, str]]) -> None:
    """Compose ``(subject, body)`` now, in ``recipient``'s language, and send it after the
    current transaction commits (at once outside one), so a refused or rolled-back change
    mails no one. Someone without an address gets nothing."""
    if not recipient.email:
        return
    with translation.override(recipient.preferred_language):
        subject, body = compose()
    address = recipient.email
    transaction.on_commit(lambda: send_mail(subject, body, None, [address]))
