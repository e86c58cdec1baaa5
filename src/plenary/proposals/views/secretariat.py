"""Secretariat pages: setting deadlines and translating documents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plenary.core.errors import Refusal
from plenary.proposals import queries, services
from plenary.proposals.forms import DeadlineForm
from plenary.proposals.models import Translation
from plenary.proposals.views.common import _actor, _conference, _document, _perform


@require_POST
@login_required
def deadline_set(request: HttpRequest, code: str) -> HttpResponse:
    """The secretariat sets a deadline as wall-clock time in the conference's zone."""
    conference = _conference(code)
    form = DeadlineForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the kind of deadline and its date and time."))
    else:
        # The form parses in the server's zone; keep only the wall-clock time.
        local = timezone.make_naive(form.cleaned_data["closes_at"])
        _perform(
            request,
            lambda: services.do_set_deadline(
                _actor(request), conference, form.cleaned_data["kind"], local
            ),
            _("Deadline saved."),
        )
    return redirect("proposals:conference", code=code)


@login_required
def translation_edit(request: HttpRequest, pk: int, language: str) -> HttpResponse:
    document = _document(request, pk)
    if not queries.is_secretariat(request.user):
        raise Http404
    translation_row = get_object_or_404(Translation, document=document, language=language)
    user: Any = request.user
    if request.method == "POST":
        step = request.POST.get("step")
        if step == "machine":
            try:
                made = services.do_machine_translate(user, document, language)
            except Refusal as refusal:
                messages.error(request, str(refusal.message))
            else:
                if made:
                    messages.success(
                        request, _("Machine-translation draft ready: revise it below.")
                    )
                else:
                    messages.warning(
                        request,
                        _("No machine-translation model is installed for this language pair."),
                    )
        elif step == "status":
            _perform(
                request,
                lambda: services.do_set_translation_status(
                    user, document, language, request.POST.get("status", "")
                ),
                _("Translation status changed."),
            )
        else:
            entries = {
                p.pk: (
                    request.POST.get(f"text-{p.pk}", ""),
                    request.POST.get(f"reasons-{p.pk}", ""),
                )
                for p in document.proposals.all()
            }
            _perform(
                request,
                lambda: services.do_save_translation(user, document, language, entries),
                _("Translation saved."),
            )
        return redirect("proposals:translation", pk=document.pk, language=language)
    translation_row.refresh_from_db()
    rows = []
    for proposal in document.proposals.select_related("document__entity", "provision"):
        draft = translation_row.mt_draft.get(str(proposal.pk), {})
        rows.append(
            {
                "proposal": proposal,
                "source": proposal.texts.get(document.original_language, ""),
                "source_reasons": proposal.reasons.get(document.original_language, ""),
                "text": proposal.texts.get(language) or draft.get("text", ""),
                "reasons": proposal.reasons.get(language) or draft.get("reasons", ""),
            }
        )
    return render(
        request,
        "proposals/translation.html",
        {
            "document": document,
            "translation": translation_row,
            "rows": rows,
            "statuses": Translation.Status.choices,
        },
    )
