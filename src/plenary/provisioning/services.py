"""Request, decide, provision and cancel services; join links and calendar feeds.

``check_*`` functions authorise and validate, then call the matching
``do_*`` function, which writes inside ``transaction.atomic()``, records an
audit entry for every status change and queues the emails (sent after
commit). Views and the API call ``check_*``. The read-or-create helpers
(``join_link_for``, ``calendar_feed_for``, ...) need no check: they only ever
act for the person asking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.accounts.models import User
from plenary.core import audit
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.core.languages import Language, validate_languages
from plenary.meetings.models import Meeting, Room
from plenary.provisioning import notifications, policy, queries
from plenary.provisioning.models import (
    CalendarFeed,
    JoinLink,
    Service,
    ServiceRequest,
    new_token,
)

NOTE_MAX_LENGTH = 1000


@dataclass(frozen=True)
class ServiceSpec:
    """One service as the organiser asks for it (languages: interpretation only;
    public: webcast only)."""

    service: str
    languages: Sequence[str] = field(default_factory=tuple)
    public: bool = False
    note: str = ""


# --- Requests ---------------------------------------------------------------


def _checked_spec(user: User, meeting: Meeting, spec: ServiceSpec) -> ServiceSpec:
    """Refuse a request the policy or the meeting does not allow; return it normalised."""
    if not policy.may_manage(user, meeting):
        raise PermissionRefusal(_("You may not request services for this meeting."))
    if meeting.status == Meeting.Status.CANCELLED:
        raise Refusal(_("This meeting is cancelled."), code="meeting_cancelled")
    if spec.service not in Service.values:
        raise Refusal(_("Unknown service."), code="unknown_service", field="service")
    label = Service(spec.service).label
    if not policy.site_offers(meeting, spec.service):
        raise Refusal(
            _("This service is not offered at %(site)s: %(service)s.")
            % {"site": meeting.site, "service": label},
            code="not_offered",
            field=spec.service,
        )
    if len(spec.note) > NOTE_MAX_LENGTH:
        raise Refusal(
            _("The note is too long (at most %(max)d characters).") % {"max": NOTE_MAX_LENGTH},
            code="note_too_long",
            field="note",
        )
    languages = (
        _check_interpretation_languages(meeting, spec.languages)
        if spec.service == Service.INTERPRETATION
        else []
    )
    if meeting.service_requests.filter(
        service=spec.service, status__in=ServiceRequest.ACTIVE
    ).exists():
        raise Refusal(
            _("This service has already been requested for this meeting: %(service)s.")
            % {"service": label},
            code="duplicate",
            field=spec.service,
        )
    return ServiceSpec(
        service=spec.service,
        languages=tuple(languages),
        public=spec.public and spec.service == Service.WEBCAST,
        note=spec.note.strip(),
    )


def _check_interpretation_languages(meeting: Meeting, codes: Sequence[str]) -> list[str]:
    """Interpretation into at least one of the meeting's languages, one booth each,
    and no more booths than the smallest room of the meeting's sessions has."""
    try:
        languages = validate_languages(list(codes))
    except ValueError as error:
        raise Refusal(
            _("Unknown language: %(codes)s.") % {"codes": error},
            code="unknown_language",
            field="languages",
        ) from error
    if not languages:
        raise Refusal(
            _("Choose at least one interpretation language."),
            code="no_languages",
            field="languages",
        )
    outside = [code for code in languages if code not in meeting.languages]
    if outside:
        raise Refusal(
            _("Interpretation is possible only into the meeting's languages: %(languages)s.")
            % {"languages": ", ".join(str(Language(code).label) for code in meeting.languages)},
            code="language_not_offered",
            field="languages",
        )
    smallest = (
        Room.objects.filter(sessions__meeting=meeting)
        .order_by("interpretation_booths", "name")
        .first()
    )
    if smallest is not None and smallest.interpretation_booths < len(languages):
        raise Refusal(
            _(
                "%(room)s has %(booths)d interpretation booths; %(count)d languages need "
                "%(count)d booths."
            )
            % {
                "room": smallest.name,
                "booths": smallest.interpretation_booths,
                "count": len(languages),
            },
            code="too_many_booths",
            field="languages",
        )
    return languages


def check_request_services(
    user: User, meeting: Meeting, specs: Sequence[ServiceSpec]
) -> list[ServiceRequest]:
    """Check every requested service, then store them all or none."""
    if not specs:
        raise Refusal(_("Choose at least one service."), code="no_service", field="service")
    return do_request_services(
        user, meeting, [_checked_spec(user, meeting, spec) for spec in specs]
    )


def do_request_services(
    user: User, meeting: Meeting, specs: Sequence[ServiceSpec]
) -> list[ServiceRequest]:
    """Store checked requests, all or none (see :func:`do_request`)."""
    try:
        with transaction.atomic():
            return [do_request(user, meeting, spec) for spec in specs]
    except IntegrityError as error:  # a concurrent request for the same service won
        raise Refusal(
            _("One of these services has just been requested by someone else."),
            code="duplicate",
        ) from error


def do_request(user: User, meeting: Meeting, spec: ServiceSpec) -> ServiceRequest:
    """Store a checked request; apply the policy (automatic approval provisions at once,
    otherwise the approvers are told). Call inside ``transaction.atomic()``."""
    request = ServiceRequest.objects.create(
        meeting=meeting,
        service=spec.service,
        languages=list(spec.languages),
        public=spec.public,
        note=spec.note,
        requested_by=user,
    )
    audit.record(user, "service_request.requested", request, service=request.service)
    approval = policy.approval_for(user, meeting, spec.service)
    if approval.automatic:
        _approve(None, request, "")
    else:
        notifications.approvers_of(request)
    return request


# --- Decisions ---------------------------------------------------------------


def _check_decision(user: User, request: ServiceRequest, *, approve: bool, note: str) -> None:
    if not policy.may_decide(user, request.service):
        raise PermissionRefusal(_("You may not decide requests for this service."))
    if request.status != ServiceRequest.Status.PENDING:
        raise Refusal(_("This request has already been decided or cancelled."), code="not_pending")
    if not approve and not note.strip():
        raise Refusal(_("Give a reason for the rejection."), code="reason_required", field="note")
    if len(note) > NOTE_MAX_LENGTH:
        raise Refusal(
            _("The note is too long (at most %(max)d characters).") % {"max": NOTE_MAX_LENGTH},
            code="note_too_long",
            field="note",
        )


def check_decide(
    user: User, request: ServiceRequest, *, approve: bool, note: str = ""
) -> ServiceRequest:
    """Approve (which provisions the service) or reject a pending request.

    The request is locked while it is checked, so two approvers cannot both decide it.
    """
    with transaction.atomic():
        request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        _check_decision(user, request, approve=approve, note=note)
        do_decide(user, request, approve=approve, note=note.strip())
    return request


def do_decide(user: User, request: ServiceRequest, *, approve: bool, note: str) -> None:
    """Decide a checked, locked request and tell the requester. Call inside
    ``transaction.atomic()``."""
    if approve:
        _approve(user, request, note)
    else:
        do_reject(user, request, note)
    notifications.decision(request)


def _approve(user: User | None, request: ServiceRequest, note: str) -> None:
    """Approve (``user`` ``None``: automatically, by the policy) and provision at once."""
    _record_decision(user, request, ServiceRequest.Status.APPROVED, note)
    audit.record(user, "service_request.approved", request, note=note, automatic=user is None)
    do_provision(request)


def do_reject(user: User, request: ServiceRequest, note: str) -> None:
    """Reject a pending request. Call inside ``transaction.atomic()``."""
    _record_decision(user, request, ServiceRequest.Status.REJECTED, note)
    audit.record(user, "service_request.rejected", request, note=note)


def _record_decision(user: User | None, request: ServiceRequest, status: str, note: str) -> None:
    request.status = status
    request.decided_by = user
    request.decided_at = timezone.now()
    request.decision_note = note
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


def do_provision(request: ServiceRequest) -> None:
    """Deliver an approved service: join links for every participant (emailed), or the
    webcast's token. Call inside ``transaction.atomic()``."""
    if request.service == Service.WEBCAST:
        request.webcast_token = new_token()
    request.status = ServiceRequest.Status.PROVISIONED
    request.save(update_fields=["status", "webcast_token"])
    audit.record(None, "service_request.provisioned", request, service=request.service)
    if request.service == Service.REMOTE_PARTICIPATION:
        for user in queries.participants(request.meeting):
            link = _active_join_link(user, request.meeting)
            notifications.join_link_ready(link)


# --- Cancellation -------------------------------------------------------------


def check_cancel(user: User, request: ServiceRequest) -> ServiceRequest:
    """Cancel a request or withdraw a provisioned service (its join links stop working)."""
    with transaction.atomic():
        request = ServiceRequest.objects.select_for_update().get(pk=request.pk)
        if not policy.may_manage(user, request.meeting):
            raise PermissionRefusal(_("You may not cancel services of this meeting."))
        if not request.is_active:
            raise Refusal(_("This request is no longer active."), code="not_active")
        do_cancel(user, request)
    return request


def do_cancel(user: User, request: ServiceRequest) -> None:
    """Call inside ``transaction.atomic()``."""
    request.status = ServiceRequest.Status.CANCELLED
    request.save(update_fields=["status"])
    audit.record(user, "service_request.cancelled", request)
    if request.service == Service.REMOTE_PARTICIPATION:
        for link in request.meeting.join_links.filter(revoked_at__isnull=True):
            do_revoke_link(user, link)


# --- Join links -----------------------------------------------------------------


def join_link_for(user: User, meeting: Meeting) -> JoinLink | None:
    """The participant's active join link, created on first use; ``None`` while the
    meeting has no provisioned remote participation or ``user`` takes no part in it.

    Idempotent, also when two requests race: participants approved after the
    service was provisioned get their link the first time they ask for it.
    """
    if not user.is_authenticated or not queries.is_provisioned(
        meeting, Service.REMOTE_PARTICIPATION
    ):
        return None
    if not queries.is_participant(user, meeting):
        return None
    return _active_join_link(user, meeting)


def issue_join_link(user: User, meeting: Meeting) -> JoinLink | None:
    """Give a new participant their link by email at once, where the meeting has
    provisioned remote participation and they have no link yet."""
    if not user.is_active or not queries.is_provisioned(meeting, Service.REMOTE_PARTICIPATION):
        return None
    if JoinLink.objects.filter(user=user, meeting=meeting, revoked_at__isnull=True).exists():
        return None
    link = _active_join_link(user, meeting)
    notifications.join_link_ready(link)
    return link


def _active_join_link(user: User, meeting: Meeting) -> JoinLink:
    link = JoinLink.objects.filter(user=user, meeting=meeting, revoked_at__isnull=True).first()
    if link is not None:
        return link
    try:
        with transaction.atomic():
            return JoinLink.objects.create(user=user, meeting=meeting)
    except IntegrityError:  # created meanwhile by a concurrent request
        return JoinLink.objects.get(user=user, meeting=meeting, revoked_at__isnull=True)


def join_link_by_token(user: User, token: str) -> JoinLink:
    """The active link ``token`` of ``user``, still entitled; otherwise not found (404)."""
    link = (
        JoinLink.objects.select_related("meeting")
        .filter(token=token, user_id=user.pk, revoked_at__isnull=True)
        .first()
    )
    if link is None or join_link_for(user, link.meeting) != link:
        raise NotFoundRefusal(_("This join link is not valid."))
    return link


def check_revoke_link(user: User, link: JoinLink) -> None:
    """Revoke a (e.g. forwarded) link at once, as its owner or a manager of the meeting;
    a participant still entitled gets a new one the next time they open the meeting."""
    if link.user_id != user.pk and not policy.may_manage(user, link.meeting):
        raise PermissionRefusal(_("You may not revoke this join link."))
    if not link.is_active:
        raise Refusal(_("This join link is already revoked."), code="already_revoked")
    with transaction.atomic():
        do_revoke_link(user, link)


def do_revoke_link(user: User | None, link: JoinLink) -> None:
    """Call inside ``transaction.atomic()``."""
    link.revoked_at = timezone.now()
    link.save(update_fields=["revoked_at"])
    audit.record(user, "join_link.revoked", link, owner=link.user_id)


# --- Webcast ---------------------------------------------------------------------


def webcast_by_token(token: str) -> ServiceRequest:
    """The provisioned public webcast behind ``token``; otherwise not found (404)."""
    webcast = (
        ServiceRequest.objects.select_related("meeting")
        .filter(
            webcast_token=token,
            service=Service.WEBCAST,
            status=ServiceRequest.Status.PROVISIONED,
            public=True,
        )
        .first()
    )
    if webcast is None or webcast.meeting.status != Meeting.Status.PUBLISHED:
        raise NotFoundRefusal(_("There is no public webcast at this address."))
    return webcast


# --- Calendar feeds -----------------------------------------------------------------


def calendar_feed_for(user: User) -> CalendarFeed:
    """The person's active feed, created on first use."""
    feed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
    if feed is not None:
        return feed
    try:
        with transaction.atomic():
            return CalendarFeed.objects.create(user=user)
    except IntegrityError:  # created meanwhile by a concurrent request
        return CalendarFeed.objects.get(user=user, revoked_at__isnull=True)


def do_reset_calendar_feed(user: User) -> CalendarFeed:
    """Revoke the current feed address (e.g. it leaked) and issue a new one."""
    with transaction.atomic():
        for feed in CalendarFeed.objects.select_for_update().filter(
            user=user, revoked_at__isnull=True
        ):
            feed.revoked_at = timezone.now()
            feed.save(update_fields=["revoked_at"])
            audit.record(user, "calendar_feed.revoked", feed)
        return CalendarFeed.objects.create(user=user)


def feed_owner(token: str) -> User:
    """The person whose active feed is ``token``; otherwise not found (404)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None:
        raise NotFoundRefusal(_("This calendar address is not valid."))
    return feed.user
