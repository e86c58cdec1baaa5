"""E-mails about registrations, each in its recipient's preferred language.

Composed now and sent after the transaction commits (``core.mail``), so a
refused or rolled-back change never mails anyone.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from plenary.accounts.models import User
from plenary.core.mail import mail_after_commit
from plenary.meetings.models import Meeting, Registration


def _new_registration(registration: Registration) -> tuple[str, str]:
    url = settings.BASE_URL + (
        reverse("meetings:approvals")
        if registration.entity_id
        else reverse("meetings:manage", args=[registration.meeting.code])
    )
    meeting = registration.meeting.title
    subject = _("New registration for %(meeting)s") % {"meeting": meeting}
    body = _(
        "%(person)s registered for %(meeting)s as %(kind)s (%(attendance)s) "
        "and awaits your decision.\n\nApprove or reject: %(url)s"
    ) % {
        "person": registration.user.display_name,
        "meeting": meeting,
        "kind": registration.get_kind_display().lower(),
        "attendance": registration.get_attendance_display().lower(),
        "url": url,
    }
    return subject, body


def notify_new_registration(registration: Registration, recipients: Iterable[User]) -> None:
    """Tell the deciders (focal points, or the organiser for observers)."""
    for recipient in recipients:
        mail_after_commit(recipient, lambda: _new_registration(registration))


def _decision(registration: Registration) -> tuple[str, str]:
    url = settings.BASE_URL + reverse("meetings:detail", args=[registration.meeting.code])
    meeting = registration.meeting.title
    if registration.status == Registration.Status.APPROVED:
        subject = _("Your registration for %(meeting)s is approved") % {"meeting": meeting}
    else:
        subject = _("Your registration for %(meeting)s was not approved") % {"meeting": meeting}
    lines = [subject + "."]
    if registration.decision_note:
        lines.append(_("Note: %(note)s") % {"note": registration.decision_note})
    lines.append(_("Meeting page: %(url)s") % {"url": url})
    return subject, "\n\n".join(lines)


def notify_decision(registration: Registration) -> None:
    """Tell the registrant that their registration was approved or rejected."""
    mail_after_commit(registration.user, lambda: _decision(registration))


def _cancellation(meeting: Meeting) -> tuple[str, str]:
    url = settings.BASE_URL + reverse("meetings:detail", args=[meeting.code])
    subject = _("%(meeting)s is cancelled") % {"meeting": meeting.title}
    body = _(
        "The meeting %(meeting)s (%(first)s to %(last)s) is cancelled. "
        "Your registration stays on record; you need not do anything.\n\n%(url)s"
    ) % {
        "meeting": meeting.title,
        "first": meeting.start_date.isoformat(),
        "last": meeting.end_date.isoformat(),
        "url": url,
    }
    return subject, body


def notify_cancellation(meeting: Meeting, recipients: Iterable[User]) -> None:
    """Tell the people registered (pending or approved) that the meeting is cancelled."""
    for recipient in recipients:
        mail_after_commit(recipient, lambda: _cancellation(meeting))
