"""Pages of the meetings app. Thin: parse the request, call one service, render.

Organiser pages require a two-factor-verified staff session
(``verified_staff_required``); the services then decide whether this person
may manage this meeting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plenary.accounts.permissions import needs_verification, verified_staff_required, verify_url
from plenary.core.errors import PermissionRefusal, Refusal, refusals_as_http
from plenary.core.redirects import safe_next
from plenary.meetings import queries
from plenary.meetings.forms import (
    DecisionForm,
    MeetingForm,
    RegistrationForm,
    RoleForm,
    SessionForm,
)
from plenary.meetings.models import Meeting, Participation, Registration, Sector, Session, Site
from plenary.meetings.services import meetings as meeting_services
from plenary.meetings.services import participation as participation_services
from plenary.meetings.services import registration as registration_services
from plenary.meetings.services.access import can_decide, can_manage, check_can_manage

# --- helpers ----------------------------------------------------------------


def _visible_meeting(request: HttpRequest, code: str) -> Meeting:
    """A published or cancelled meeting, or a draft its manager may see."""
    with refusals_as_http():
        return queries.visible_meeting(request.user, code)


def _managed_meeting(request: HttpRequest, code: str) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("sector", "site"), code=code)
    _authorise(lambda: check_can_manage(request.user, meeting))
    return meeting


def _authorise(check: Callable[[], Any]) -> Any:
    """Run a service call; map permission and visibility refusals to 403 and 404."""
    with refusals_as_http():
        return check()


def _act(request: HttpRequest, action: Callable[[], Any], done: str) -> bool:
    """Run a form-less action, reporting success or the refusal as a message."""
    try:
        _authorise(action)
    except Refusal as refusal:
        messages.error(request, str(refusal))
        return False
    messages.success(request, done)
    return True


# --- public and delegate pages ----------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """Upcoming published meetings, filtered by Sector, site or fully virtual."""
    sector = request.GET.get("sector") or None
    site = request.GET.get("site") or None
    virtual = {"yes": True, "no": False}.get(request.GET.get("virtual", ""))
    return render(
        request,
        "meetings/home.html",
        {
            "meetings": queries.upcoming_meetings(sector=sector, site=site, virtual=virtual),
            "live": queries.live_ways_in(request.user),
            "sectors": Sector.objects.all(),
            "sites": Site.objects.all(),
            "selected": {
                "sector": sector or "",
                "site": site or "",
                "virtual": request.GET.get("virtual", ""),
            },
        },
    )


def detail(request: HttpRequest, code: str) -> HttpResponse:
    meeting = _visible_meeting(request, code)
    return render(
        request,
        "meetings/detail.html",
        {
            "meeting": meeting,
            "sessions": meeting.sessions.select_related("room"),
            "registration": queries.registration_of(request.user, meeting),
            "roles": queries.roles_of(request.user, meeting),
            "manages": can_manage(request.user, meeting),
            "organises": meeting.organiser_id == request.user.pk,
            "ways": queries.ways_in(request.user, meeting),
        },
    )


@login_required
def register(request: HttpRequest, code: str) -> HttpResponse:
    meeting = _visible_meeting(request, code)
    existing = queries.registration_of(request.user, meeting)
    if request.method == "GET" and existing and existing.status in registration_services.ACTIVE:
        return redirect("meetings:registered", code=meeting.code)
    form = RegistrationForm(request.POST or None, meeting=meeting, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            _authorise(
                lambda: registration_services.do_register(
                    request.user,
                    meeting,
                    form.cleaned_data["kind"],
                    form.cleaned_data["attendance"],
                )
            )
        except Refusal as refusal:
            form.add_refusal(refusal)
        else:
            return redirect("meetings:registered", code=meeting.code)
    return render(request, "meetings/register.html", {"meeting": meeting, "form": form})


@login_required
def registered(request: HttpRequest, code: str) -> HttpResponse:
    meeting = _visible_meeting(request, code)
    registration = queries.registration_of(request.user, meeting)
    if registration is None:
        return redirect("meetings:register", code=code)
    return render(
        request, "meetings/registered.html", {"meeting": meeting, "registration": registration}
    )


@login_required
@require_POST
def withdraw(request: HttpRequest, code: str) -> HttpResponse:
    meeting = _visible_meeting(request, code)
    registration = get_object_or_404(Registration, meeting=meeting, user_id=request.user.pk)
    _act(
        request,
        lambda: registration_services.do_withdraw(request.user, registration),
        _("Your registration is withdrawn."),
    )
    return redirect("meetings:detail", code=code)


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    return render(request, "meetings/my_meetings.html", {"rows": queries.meetings_of(request.user)})


@login_required
def approvals(request: HttpRequest) -> HttpResponse:
    """The focal point's queue: pending registrations of their entities."""
    return render(
        request,
        "meetings/approvals.html",
        {"registrations": queries.pending_approvals(request.user), "form": DecisionForm()},
    )


@login_required
@require_POST
def decide(request: HttpRequest, registration_id: int) -> HttpResponse:
    """Approve or reject; answers HTMX with the updated row, others with a redirect."""
    if needs_verification(request.user):
        return HttpResponseRedirect(verify_url(reverse("meetings:approvals")))
    registration = get_object_or_404(
        Registration.objects.select_related("meeting", "user", "entity"), pk=registration_id
    )
    form = DecisionForm(request.POST)
    error = ""
    forbidden = False
    if form.is_valid():
        try:
            registration_services.do_decide(
                request.user,
                registration,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
            )
        except Refusal as refusal:
            error = str(refusal)
            forbidden = isinstance(refusal, PermissionRefusal)
    else:
        error = _("Choose to approve or reject.")
    if request.headers.get("HX-Request"):
        # Someone who may not decide sees the refusal, never the registrant's details.
        return render(
            request,
            "meetings/_decision_cell.html",
            {
                "registration": None if forbidden else registration,
                "error": error,
                "decided": not error,
            },
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(person)s: %(status)s.")
            % {
                "person": registration.user.display_name,
                "status": registration.get_status_display(),
            },
        )
    return HttpResponseRedirect(safe_next(request, reverse("meetings:approvals")))


# --- organisers ---------------------------------------------------------------


@verified_staff_required
def wizard(request: HttpRequest) -> HttpResponse:
    """Step 1 of the new e-meeting wizard: the basics; creates a draft."""
    form = MeetingForm(request.POST or None, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            meeting = _authorise(
                lambda: meeting_services.do_create_meeting(request.user, form.to_data())
            )
        except Refusal as refusal:
            form.add_refusal(refusal)
        else:
            return redirect("meetings:sessions", code=meeting.code)
    return render(request, "meetings/wizard_basics.html", {"form": form, "step": 1})


@verified_staff_required
def edit(request: HttpRequest, code: str) -> HttpResponse:
    meeting = _managed_meeting(request, code)
    form = MeetingForm(request.POST or None, user=request.user, meeting=meeting)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        try:
            _authorise(
                lambda: meeting_services.do_update_meeting(request.user, meeting, form.to_data())
            )
        except Refusal as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The meeting is saved."))
            if meeting.status == Meeting.Status.DRAFT:
                return redirect("meetings:sessions", code=meeting.code)
            return redirect("meetings:manage", code=meeting.code)
    return render(
        request, "meetings/wizard_basics.html", {"form": form, "meeting": meeting, "step": 1}
    )


@verified_staff_required
def sessions(request: HttpRequest, code: str) -> HttpResponse:
    """Step 2 of the wizard (and the organiser's session list): add sessions."""
    meeting = _managed_meeting(request, code)
    form = SessionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            _authorise(
                lambda: meeting_services.do_add_session(request.user, meeting, form.to_data())
            )
        except Refusal as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The session is added."))
            return redirect("meetings:sessions", code=meeting.code)
    return render(
        request,
        "meetings/sessions.html",
        {
            "meeting": meeting,
            "form": form,
            "sessions": meeting.sessions.select_related("room"),
            "step": 2,
        },
    )


@verified_staff_required
def session_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("meeting__sector"), pk=session_id)
    meeting = _managed_meeting(request, session.meeting.code)
    form = SessionForm(request.POST or None, meeting=meeting, session=session)
    if request.method == "POST" and form.is_valid():
        try:
            _authorise(
                lambda: meeting_services.do_update_session(request.user, session, form.to_data())
            )
        except Refusal as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The session is saved."))
            return redirect("meetings:sessions", code=meeting.code)
    return render(
        request,
        "meetings/session_edit.html",
        {"meeting": meeting, "session": session, "form": form},
    )


@verified_staff_required
@require_POST
def session_delete(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("meeting"), pk=session_id)
    _act(
        request,
        lambda: meeting_services.do_delete_session(request.user, session),
        _("The session is deleted."),
    )
    return redirect("meetings:sessions", code=session.meeting.code)


@verified_staff_required
def review(request: HttpRequest, code: str) -> HttpResponse:
    """Step 3 of the wizard: everything at a glance, then publish."""
    meeting = _managed_meeting(request, code)
    return render(
        request,
        "meetings/review.html",
        {"meeting": meeting, "sessions": meeting.sessions.select_related("room"), "step": 3},
    )


@verified_staff_required
@require_POST
def publish(request: HttpRequest, code: str) -> HttpResponse:
    """Publish, then send the organiser on to request services for the meeting."""
    meeting = _managed_meeting(request, code)
    if _act(
        request,
        lambda: meeting_services.do_publish_meeting(request.user, meeting),
        _("The meeting is published. Now request the services it needs."),
    ):
        return redirect("provisioning:request", code=meeting.code)
    return redirect("meetings:review", code=meeting.code)


def _manage_page(
    request: HttpRequest, meeting: Meeting, role_form: RoleForm | None = None
) -> HttpResponse:
    registrations = meeting.registrations.select_related("user", "entity").order_by(
        "status", "created_at"
    )
    return render(
        request,
        "meetings/manage.html",
        {
            "meeting": meeting,
            "sessions": meeting.sessions.select_related("room"),
            "roles": meeting.participations.select_related("user", "entity").order_by("role"),
            "registrations": [
                (registration, can_decide(request.user, registration))
                for registration in registrations
            ],
            "role_form": role_form or RoleForm(meeting=meeting),
            "decision_form": DecisionForm(),
        },
        status=400 if role_form is not None else 200,
    )


@verified_staff_required
def manage(request: HttpRequest, code: str) -> HttpResponse:
    """The organiser's page: details, sessions, roles and registrations."""
    return _manage_page(request, _managed_meeting(request, code))


@verified_staff_required
@require_POST
def cancel(request: HttpRequest, code: str) -> HttpResponse:
    meeting = _managed_meeting(request, code)
    _act(
        request,
        lambda: meeting_services.do_cancel_meeting(request.user, meeting),
        _("The meeting is cancelled."),
    )
    return redirect("meetings:manage", code=code)


@verified_staff_required
@require_POST
def registration_open(request: HttpRequest, code: str) -> HttpResponse:
    meeting = _managed_meeting(request, code)
    is_open = request.POST.get("open") == "1"
    _act(
        request,
        lambda: meeting_services.do_set_registration_open(request.user, meeting, is_open),
        _("Registration is open.") if is_open else _("Registration is closed."),
    )
    return redirect("meetings:manage", code=code)


@verified_staff_required
@require_POST
def role_add(request: HttpRequest, code: str) -> HttpResponse:
    meeting = _managed_meeting(request, code)
    form = RoleForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            _authorise(
                lambda: participation_services.do_assign_role(
                    request.user,
                    meeting,
                    data["person"],
                    data["role"],
                    language=data["language"],
                    attendance=data["attendance"],
                )
            )
        except Refusal as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The role is assigned."))
            return redirect("meetings:manage", code=code)
    return _manage_page(request, meeting, role_form=form)


@verified_staff_required
@require_POST
def role_remove(request: HttpRequest, participation_id: int) -> HttpResponse:
    participation = get_object_or_404(
        Participation.objects.select_related("meeting", "user"), pk=participation_id
    )
    _act(
        request,
        lambda: participation_services.do_remove_role(request.user, participation),
        _("The role is removed."),
    )
    return redirect("meetings:manage", code=participation.meeting.code)
