"""Pages: request services, the approvers' queue, join, webcast, calendar files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plenary.accounts.models import User
from plenary.accounts.permissions import needs_verification, verified_staff_required
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.core.redirects import safe_next
from plenary.guidance.services import pending_guideline
from plenary.meetings.models import Meeting
from plenary.meetings.queries import open_session_ids
from plenary.provisioning import ics, policy, queries, services
from plenary.provisioning.forms import DecisionForm, RequestForm
from plenary.provisioning.models import JoinLink, Service, ServiceRequest


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 -- views below require sign-in
    return user


@verified_staff_required
def request_services(request: HttpRequest, code: str) -> HttpResponse:
    """Choose services for a meeting; shows what each needs and the current requests."""
    meeting = get_object_or_404(Meeting.objects.select_related("site"), code=code)
    user = _user(request)
    if not policy.may_manage(user, meeting):
        raise PermissionDenied
    latest = {r.service: r for r in queries.latest_requests(meeting)}
    form = RequestForm(request.POST or None, meeting=meeting, current=latest)
    service_errors: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        try:
            created = services.check_request_services(user, meeting, form.specs())
        except Refusal as refusal:
            if refusal.field in Service.values:
                service_errors[refusal.field] = str(refusal)
            else:
                form.add_refusal(refusal)
        else:
            for service_request in created:
                messages.success(
                    request,
                    _("%(service)s: %(status)s.")
                    % {
                        "service": service_request.get_service_display(),
                        "status": service_request.get_status_display(),
                    },
                )
            return redirect("provisioning:request", code=meeting.code)
    rows = [
        {
            "service": service,
            "offered": policy.site_offers(meeting, service),
            "approval": policy.approval_for(user, meeting, service),
            "request": latest.get(service),
            "error": service_errors.get(service, ""),
        }
        for service in Service
    ]
    # Only services offered here and not already requested can be asked for.
    requestable = {
        service
        for service in Service
        if policy.site_offers(meeting, service)
        and not (service in latest and latest[service].is_active)
    }
    return render(
        request,
        "provisioning/request.html",
        {"meeting": meeting, "form": form, "rows": rows, "requestable": requestable},
        status=400 if form.errors or service_errors else 200,
    )


@require_POST
@verified_staff_required
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    service_request = get_object_or_404(ServiceRequest.objects.select_related("meeting"), pk=pk)
    try:
        services.check_cancel(_user(request), service_request)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request,
            _("Cancelled: %(service)s.") % {"service": service_request.get_service_display()},
        )
    return redirect("provisioning:request", code=service_request.meeting.code)


@verified_staff_required
def queue(request: HttpRequest) -> HttpResponse:
    """Pending requests the signed-in approver may decide."""
    user = _user(request)
    if not user.is_secretariat:  # secretariat and conference department
        raise PermissionDenied
    return render(request, "provisioning/queue.html", {"pending": queries.pending_for(user)})


@require_POST
@verified_staff_required
def decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or reject; HTMX gets the updated row, other browsers the queue again."""
    service_request = get_object_or_404(
        ServiceRequest.objects.select_related("meeting", "requested_by"), pk=pk
    )
    form = DecisionForm(request.POST)
    error = ""
    if not form.is_valid():
        error = _("Choose approve or reject; the note may have at most 1000 characters.")
    else:
        try:
            service_request = services.check_decide(
                _user(request),
                service_request,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except PermissionRefusal as refusal:
            # Not an approver of this service: no row, and so none of the request's details.
            raise PermissionDenied(str(refusal)) from refusal
        except Refusal as refusal:
            error = str(refusal)
    if request.headers.get("HX-Request"):
        return render(
            request,
            "provisioning/_queue_row.html",
            {"item": service_request, "error": error},
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(service)s for %(meeting)s: %(status)s.")
            % {
                "service": service_request.get_service_display(),
                "meeting": service_request.meeting.code,
                "status": service_request.get_status_display(),
            },
        )
    return redirect("provisioning:queue")


@login_required
def join(request: HttpRequest, token: str) -> HttpResponse:
    """The join landing page: only for the link's owner, while the link is valid."""
    try:
        link = services.join_link_by_token(_user(request), token)
    except NotFoundRefusal as refusal:
        raise Http404(str(refusal)) from refusal
    sessions = link.meeting.sessions.select_related("room")
    # Where the organiser requires it, the guidelines are confirmed before any session opens.
    must_confirm = pending_guideline(link.user, link.meeting) is not None
    return render(
        request,
        "provisioning/join.html",
        {"link": link, "sessions": sessions, "must_confirm": must_confirm},
    )


@require_POST
@login_required
def revoke_link(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(JoinLink.objects.select_related("meeting"), pk=pk)
    user = _user(request)
    if link.user_id != user.pk and needs_verification(user):
        raise PermissionDenied  # someone else's link: a staff action, needs the second factor
    try:
        services.check_revoke_link(user, link)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The join link is revoked."))
    return redirect(safe_next(request, "/"))


def webcast(request: HttpRequest, token: str) -> HttpResponse:
    """The public webcast page: the meeting's sessions and whether one is live."""
    try:
        webcast_request = services.webcast_by_token(token)
    except NotFoundRefusal as refusal:
        raise Http404(str(refusal)) from refusal
    meeting = webcast_request.meeting
    sessions = list(meeting.sessions.select_related("room"))
    # Live means opened by the chair (the floor's state), not the scheduled time.
    open_ids = open_session_ids(sessions)
    live = [session for session in sessions if session.pk in open_ids]
    return render(
        request,
        "provisioning/webcast.html",
        {
            "meeting": meeting,
            "sessions": sessions,
            "live": live,
        },
    )


def meeting_calendar(request: HttpRequest, code: str) -> HttpResponse:
    """The meeting's ``.ics`` (published meetings; drafts for those who manage them)."""
    meeting = get_object_or_404(Meeting.objects.select_related("site"), code=code)
    user = request.user if isinstance(request.user, User) else None
    if meeting.status != Meeting.Status.PUBLISHED and not (
        user is not None and policy.may_manage(user, meeting)
    ):
        raise Http404
    response = HttpResponse(ics.meeting_calendar(meeting, user), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{meeting.code}.ics"'
    return response


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A person's calendar subscription; the secret token is the only credential."""
    try:
        owner = services.feed_owner(token)
    except NotFoundRefusal as refusal:
        raise Http404(str(refusal)) from refusal
    return HttpResponse(ics.user_calendar(owner), content_type="text/calendar; charset=utf-8")


@require_POST
@login_required
def reset_feed(request: HttpRequest) -> HttpResponse:
    services.do_reset_calendar_feed(_user(request))
    messages.success(request, _("Your calendar address has changed; the old one no longer works."))
    return redirect(safe_next(request, "/"))
