"""Guidelines, the "I have read" step, the practice room, the self-test and role guides."""

from __future__ import annotations

import json
import os

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from plenary.accounts.models import User
from plenary.accounts.permissions import verified_staff_required
from plenary.core.errors import Refusal
from plenary.guidance import services
from plenary.guidance.forms import GuidelineForm
from plenary.guidance.guides import GUIDES
from plenary.guidance.models import Guideline, TrainingModule
from plenary.meetings.models import Meeting, Sector

# The network probe's largest download; enough to estimate throughput on a
# weak link without letting anyone use the endpoint to load the server.
MAX_PROBE_KB = 1024


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return fallback


def index(request: HttpRequest) -> HttpResponse:
    sectors = [
        (sector, services.guideline_in_force(sector)) for sector in Sector.objects.order_by("code")
    ]
    return render(request, "guidance/index.html", {"sectors": sectors, "guides": GUIDES.values()})


def guideline(request: HttpRequest, sector: str, version: int | None = None) -> HttpResponse:
    sector_obj = get_object_or_404(Sector, code=sector)
    versions = list(Guideline.objects.filter(sector=sector_obj).order_by("-version"))
    current = services.guideline_in_force(sector_obj)
    if version is None:
        shown = current
    else:
        shown = next((g for g in versions if g.version == version), None)
        if shown is None:
            raise Http404(_("There is no such guideline version."))
    return render(
        request,
        "guidance/guideline.html",
        {"sector": sector_obj, "shown": shown, "current": current, "versions": versions},
    )


@verified_staff_required
def guideline_new(request: HttpRequest, sector: str) -> HttpResponse:
    sector_obj = get_object_or_404(Sector, code=sector)
    user: User = request.user  # type: ignore[assignment]
    if not user.is_secretariat:
        return render(request, "guidance/forbidden.html", status=403)
    form = GuidelineForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            published = services.do_publish_guideline(
                user,
                sector_obj,
                form.texts(),
                form.cleaned_data["in_force_from"],
                form.cleaned_data["change_note"],
            )
        except Refusal as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, str(refusal))
        else:
            messages.success(
                request, _("Version %(version)d published.") % {"version": published.version}
            )
            return redirect("guidance:guideline_version", sector=sector, version=published.version)
    return render(request, "guidance/guideline_form.html", {"sector": sector_obj, "form": form})


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    guideline_obj = get_object_or_404(Guideline, pk=pk)
    meeting = Meeting.objects.filter(pk=request.POST.get("meeting") or 0).first()
    if request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm that you have read the guidelines."))
    else:
        services.do_acknowledge(user, guideline_obj, meeting)
        messages.success(request, _("Thank you. You may now join the meeting."))
    return redirect(_safe_next(request, "/"))


@login_required
@require_POST
def meeting_setting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    meeting = get_object_or_404(Meeting, pk=meeting_id)
    required = request.POST.get("require_acknowledgement") == "on"
    try:
        services.do_set_acknowledgement_required(user, meeting, required)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Guidance setting saved."))
    return redirect(_safe_next(request, "/"))


def practice(request: HttpRequest) -> HttpResponse:
    return render(request, "guidance/practice.html")


def self_test(request: HttpRequest) -> HttpResponse:
    return render(request, "guidance/self_test.html")


def guide(request: HttpRequest, role: str) -> HttpResponse:
    role_guide = GUIDES.get(role)
    if role_guide is None:
        raise Http404(_("There is no such guide."))
    return render(request, "guidance/guide.html", {"guide": role_guide})


@require_POST
def complete(request: HttpRequest, module: str) -> JsonResponse:
    """Record a completed module; the practice room and self-test post JSON here."""
    if module not in TrainingModule.values:
        raise Http404(_("Unknown training module."))
    if not request.user.is_authenticated:
        # Training stays open to everyone; only signed-in people are counted.
        return JsonResponse({"recorded": False})
    try:
        results = (
            json.loads(request.body or b"{}") if request.content_type == "application/json" else {}
        )
        if not isinstance(results, dict):
            raise Refusal(_("The results must be a JSON object."))
        services.do_record_completion(request.user, module, results)
    except (Refusal, ValueError) as error:
        message = str(error) if isinstance(error, Refusal) else _("The results are not valid JSON.")
        return JsonResponse({"recorded": False, "message": message}, status=400)
    return JsonResponse({"recorded": True})


@never_cache
@require_GET
def probe_ping(request: HttpRequest) -> HttpResponse:
    """An empty answer: the self-test times round trips to it."""
    return HttpResponse(status=204)


@never_cache
@require_GET
def probe_payload(request: HttpRequest) -> HttpResponse:
    """``kb`` kilobytes of incompressible bytes for the throughput estimate."""
    try:
        size_kb = min(max(int(request.GET.get("kb", "256")), 1), MAX_PROBE_KB)
    except ValueError:
        size_kb = 256
    return HttpResponse(os.urandom(size_kb * 1024), content_type="application/octet-stream")
