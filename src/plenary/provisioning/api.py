"""Services API (``/api/v1/provisioning/``): request, list, decide, cancel; join links;
calendar feed. Refusals become JSON errors through the project's handlers."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status as Reply

from plenary.accounts.models import User
from plenary.accounts.permissions import check_verified
from plenary.core.errors import NotFoundRefusal, PermissionRefusal
from plenary.meetings.models import Meeting
from plenary.provisioning import links, policy, queries, services
from plenary.provisioning.models import JoinLink, Service, ServiceRequest
from plenary.provisioning.services import NOTE_MAX_LENGTH, ServiceSpec

router = Router(tags=["provisioning"])


class RequestIn(Schema):
    meeting: str = Field(description="The meeting's reference code.")
    service: Service
    languages: list[str] = Field(default_factory=list, description="Interpretation only.")
    public: bool = Field(default=False, description="Webcast only: anyone may watch.")
    note: str = Field(default="", max_length=NOTE_MAX_LENGTH)


class RequestOut(Schema):
    id: int
    meeting: str
    service: Service
    languages: list[str]
    public: bool
    note: str
    status: ServiceRequest.Status
    requested_by: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    decision_note: str
    webcast_url: str | None

    @staticmethod
    def of(request: ServiceRequest) -> RequestOut:
        return RequestOut(
            id=request.pk,
            meeting=request.meeting.code,
            service=Service(request.service),
            languages=request.languages,
            public=request.public,
            note=request.note,
            status=ServiceRequest.Status(request.status),
            requested_by=request.requested_by.username,
            requested_at=request.requested_at,
            decided_at=request.decided_at,
            decision_note=request.decision_note,
            webcast_url=(
                links.webcast_url(request.webcast_token)
                if request.webcast_token and request.public
                else None
            ),
        )


class DecisionIn(Schema):
    approve: bool
    note: str = Field(default="", max_length=NOTE_MAX_LENGTH)


class JoinLinkOut(Schema):
    id: int
    meeting: str
    url: str
    created_at: dt.datetime


class FeedOut(Schema):
    url: str
    created_at: dt.datetime


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):  # the API's session auth lets only users through
        raise PermissionRefusal(_("Sign in first."))
    return user


def _staff_user(request: HttpRequest) -> User:
    """The caller, for staff actions: staff must have confirmed their sign-in (TOTP)."""
    user = _user(request)
    check_verified(user)
    return user


def _meeting(code: str) -> Meeting:
    meeting = Meeting.objects.select_related("site").filter(code=code).first()
    if meeting is None:
        raise NotFoundRefusal(_("There is no meeting with this reference."))
    return meeting


def _service_request(pk: int) -> ServiceRequest:
    found = ServiceRequest.objects.select_related("meeting", "requested_by").filter(pk=pk).first()
    if found is None:
        raise NotFoundRefusal(_("There is no such service request."))
    return found


@router.post("/requests", response={201: RequestOut})
def create_request(request: HttpRequest, payload: RequestIn) -> Reply[RequestOut]:
    """Request one service for a meeting (approved at once where the policy allows)."""
    spec = ServiceSpec(
        service=payload.service,
        languages=tuple(payload.languages),
        public=payload.public,
        note=payload.note,
    )
    user = _staff_user(request)
    (created,) = services.check_request_services(user, _meeting(payload.meeting), [spec])
    created.refresh_from_db()
    return Reply(201, RequestOut.of(created))


@router.get("/meetings/{code}/requests", response=list[RequestOut])
def meeting_requests(request: HttpRequest, code: str) -> list[RequestOut]:
    """Every request for the meeting, newest first (its managers and the approvers)."""
    user = _staff_user(request)
    meeting = _meeting(code)
    if not (policy.may_manage(user, meeting) or any(policy.may_decide(user, s) for s in Service)):
        raise PermissionRefusal(_("You may not see the services of this meeting."))
    return [
        RequestOut.of(item)
        for item in meeting.service_requests.select_related("meeting", "requested_by")
    ]


@router.post("/requests/{request_id}/decision", response=RequestOut)
def decide(request: HttpRequest, request_id: int, payload: DecisionIn) -> RequestOut:
    """Approve (and so provision) or reject a pending request; rejecting needs a note."""
    decided = services.check_decide(
        _staff_user(request),
        _service_request(request_id),
        approve=payload.approve,
        note=payload.note,
    )
    return RequestOut.of(decided)


@router.post("/requests/{request_id}/cancel", response=RequestOut)
def cancel(request: HttpRequest, request_id: int) -> RequestOut:
    return RequestOut.of(services.check_cancel(_staff_user(request), _service_request(request_id)))


@router.get("/join-links", response=list[JoinLinkOut])
def my_join_links(request: HttpRequest) -> list[JoinLinkOut]:
    """The caller's join links, one per meeting with provisioned remote participation."""
    user = _user(request)
    found = (services.join_link_for(user, meeting) for meeting in queries.meetings_of(user))
    return [
        JoinLinkOut(
            id=link.pk,
            meeting=link.meeting.code,
            url=links.join_url(link.token),
            created_at=link.created_at,
        )
        for link in found
        if link is not None
    ]


@router.post("/join-links/{link_id}/revoke", response={204: None})
def revoke_link(request: HttpRequest, link_id: int) -> Reply[None]:
    link = JoinLink.objects.select_related("meeting").filter(pk=link_id).first()
    if link is None:
        raise NotFoundRefusal(_("There is no such join link."))
    user = _user(request)
    # Revoking someone else's link is a staff action.
    services.check_revoke_link(user if link.user_id == user.pk else _staff_user(request), link)
    return Reply(204, None)


@router.get("/calendar-feed", response=FeedOut)
def calendar_feed(request: HttpRequest) -> FeedOut:
    """The caller's secret calendar address (all their meetings), created on first use."""
    feed = services.calendar_feed_for(_user(request))
    return FeedOut(url=links.feed_url(feed.token), created_at=feed.created_at)


@router.post("/calendar-feed/reset", response=FeedOut)
def reset_calendar_feed(request: HttpRequest) -> FeedOut:
    """Replace the caller's calendar address; the old one stops working."""
    feed = services.do_reset_calendar_feed(_user(request))
    return FeedOut(url=links.feed_url(feed.token), created_at=feed.created_at)
