"""Read helpers for pages, the API and other apps (media, speech, floor).

Other apps ask ``is_provisioned(meeting, Service.CAPTIONS)`` and the like
before offering a service in a meeting.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from plenary.accounts.models import User
from plenary.meetings.models import Meeting, Participation, Session
from plenary.provisioning import policy
from plenary.provisioning.models import Service, ServiceRequest


def provisioned_services(meeting: Meeting) -> set[str]:
    """The services (``Service`` values) the meeting has now."""
    return set(
        meeting.service_requests.filter(status=ServiceRequest.Status.PROVISIONED).values_list(
            "service", flat=True
        )
    )


def is_provisioned(meeting: Meeting, service: str) -> bool:
    return meeting.service_requests.filter(
        service=service, status=ServiceRequest.Status.PROVISIONED
    ).exists()


def provisioned(meeting: Meeting, service: str) -> ServiceRequest | None:
    return meeting.service_requests.filter(
        service=service, status=ServiceRequest.Status.PROVISIONED
    ).first()


def is_participant(user: User, meeting: Meeting) -> bool:
    """Holds any role in the meeting (an approved registration creates one)."""
    return Participation.objects.filter(user_id=user.pk, meeting=meeting).exists()


def participants(meeting: Meeting) -> QuerySet[User]:
    return User.objects.filter(participations__meeting=meeting, is_active=True).distinct()


def meetings_of(user: User) -> QuerySet[Meeting]:
    """Meetings ``user`` takes part in or organises, except cancelled ones."""
    return (
        Meeting.objects.filter(Q(participations__user=user) | Q(organiser=user))
        .exclude(status=Meeting.Status.CANCELLED)
        .distinct()
        .prefetch_related("sessions__room", "site")
    )


def latest_requests(meeting: Meeting) -> list[ServiceRequest]:
    """The most recent request for each service, in the order of ``Service``."""
    latest: dict[str, ServiceRequest] = {}
    for request in meeting.service_requests.select_related("requested_by", "decided_by"):
        latest.setdefault(request.service, request)  # ordered newest first
    return [latest[service] for service in Service.values if service in latest]


def pending_for(user: User) -> list[ServiceRequest]:
    """Pending requests ``user`` may decide, oldest first."""
    pending = ServiceRequest.objects.filter(status=ServiceRequest.Status.PENDING).select_related(
        "meeting", "meeting__site", "requested_by"
    )
    return [
        request
        for request in pending.order_by("requested_at", "id")
        if policy.may_decide(user, request.service)
    ]


def live_sessions(sessions: list[Session]) -> list[Session]:
    """Those of ``sessions`` taking place now."""
    now = timezone.now()
    return [session for session in sessions if session.starts_at <= now < session.ends_at]
