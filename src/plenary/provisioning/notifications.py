"""Emails about services, each in its recipient's preferred language.

Messages are rendered now (inside the caller's transaction, with the
recipient's language active) and sent after the transaction commits, so a
refused or rolled-back change sends nothing.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from plenary.accounts.models import User
from plenary.core.mail import mail_after_commit
from plenary.provisioning import links, policy
from plenary.provisioning.models import JoinLink, ServiceRequest


def _send(user: User, subject: Promise, template: str, context: dict[str, Any]) -> None:
    mail_after_commit(
        user,
        lambda: (
            str(subject) % {"meeting": context["meeting"].code},
            render_to_string(f"provisioning/email/{template}.txt", {**context, "user": user}),
        ),
    )


def approvers_of(request: ServiceRequest) -> None:
    """Tell everyone who may decide ``request`` that it waits for them."""
    approvers = User.objects.filter(
        is_active=True, staff_role__in=policy.approver_roles(request.service)
    )
    for user in approvers:
        if policy.may_decide(user, request.service):
            _send(
                user,
                _("Service request to decide for %(meeting)s"),
                "new_request",
                {"request": request, "meeting": request.meeting, "url": links.queue_url()},
            )


def decision(request: ServiceRequest) -> None:
    """Tell the requester (and the meeting's organiser) the decision."""
    recipients = {request.requested_by, request.meeting.organiser}
    for user in recipients:
        _send(
            user,
            _("Decision on a service request for %(meeting)s"),
            "decision",
            {
                "request": request,
                "meeting": request.meeting,
                "url": links.request_url(request.meeting),
            },
        )


def join_link_ready(link: JoinLink) -> None:
    """Send a participant their personal join link."""
    _send(
        link.user,
        _("Your link to join %(meeting)s"),
        "join_link",
        {"meeting": link.meeting, "url": links.join_url(link.token)},
    )
