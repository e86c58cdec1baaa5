"""Drafting pages of the originating entity: a document's form and its proposals'."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plenary.core.errors import Refusal
from plenary.proposals import services
from plenary.proposals.forms import DocumentForm, ProposalForm
from plenary.proposals.models import ProposalDocument
from plenary.proposals.views.common import (
    _actor,
    _conference,
    _document,
    _perform,
    _proposal,
)


@login_required
def document_create(request: HttpRequest, code: str) -> HttpResponse:
    conference = _conference(code)
    form = DocumentForm(conference, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.do_create_document(
                _actor(request),
                conference,
                form.cleaned_data["title"],
                form.cleaned_data["original_language"],
                form.cleaned_data["agenda_items"],
            )
        except Refusal as refusal:
            form.add_error(None, str(refusal.message))
        else:
            return redirect("proposals:document", pk=document.pk)
    return render(request, "proposals/document_form.html", {"conference": conference, "form": form})


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    if not _editable(request, document):
        return redirect("proposals:document", pk=document.pk)
    initial = {
        "title": document.title,
        "original_language": document.original_language,
        "agenda_items": list(document.agenda_items.values_list("pk", flat=True)),
        "version": document.version,
    }
    form = DocumentForm(document.conference, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_document(
                _actor(request),
                document,
                version=form.cleaned_data["version"] or 0,
                title=form.cleaned_data["title"],
                original_language=form.cleaned_data["original_language"],
                agenda_item_ids=form.cleaned_data["agenda_items"],
            )
        except Refusal as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(request, _("Document saved."))
            return redirect("proposals:document", pk=document.pk)
    return render(
        request,
        "proposals/document_form.html",
        {"conference": document.conference, "form": form, "document": document},
    )


def _editable(request: HttpRequest, document: ProposalDocument) -> bool:
    """Drafting forms are only for the originator's drafters while the document is a draft."""
    try:
        services.check_document_editable(_actor(request), document)
    except Refusal as refusal:
        messages.error(request, str(refusal.message))
        return False
    return True


def _proposal_input(
    form: ProposalForm, document: ProposalDocument, texts: dict[str, str]
) -> services.ProposalInput:
    data = form.cleaned_data
    language = document.original_language
    return services.ProposalInput(
        action=data["action"],
        edition_id=data["edition"],
        pid=data["pid"],
        new_pid=data["new_pid"],
        agenda_item_id=data["agenda_item"],
        texts=texts | {language: data["text"]},
        reasons={language: data["reasons"]},
    )


@login_required
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    if not _editable(request, document):
        return redirect("proposals:document", pk=document.pk)
    initial = {"action": request.GET.get("action", "MOD")}
    form = ProposalForm(document, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_add_proposal(
                _actor(request),
                document,
                _proposal_input(form, document, {}),
            )
        except Refusal as refusal:
            form.add_error(
                refusal.field if refusal.field in form.fields else None, str(refusal.message)
            )
        else:
            messages.success(request, _("Proposal added."))
            return redirect("proposals:document", pk=document.pk)
    return render(request, "proposals/proposal_form.html", {"document": document, "form": form})


@login_required
def proposal_edit(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    document = proposal.document
    if not _editable(request, document):
        return redirect("proposals:proposal", pk=proposal.pk)
    language = document.original_language
    initial = {
        "action": proposal.action,
        "edition": proposal.edition_id,
        "pid": proposal.provision.pid if proposal.provision else "",
        "new_pid": proposal.new_pid,
        "agenda_item": proposal.agenda_item_id,
        "text": proposal.texts.get(language, "")
        or (proposal.provision.text_in(language) if proposal.provision else ""),
        "reasons": proposal.reasons.get(language, ""),
        "version": proposal.version,
    }
    form = ProposalForm(document, request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.do_update_proposal(
                _actor(request),
                proposal,
                form.cleaned_data["version"] or 0,
                _proposal_input(form, document, proposal.texts),
            )
        except services.EditConflict as error:
            conflict = error
            # Keep the editor's input; the next save is checked against the current version.
            data = request.POST.copy()
            data["version"] = str(error.current["version"])
            form = ProposalForm(document, data, initial=initial)
            form.is_valid()
        except Refusal as refusal:
            form.add_error(
                refusal.field if refusal.field in form.fields else None, str(refusal.message)
            )
        else:
            messages.success(request, _("Proposal saved."))
            return redirect("proposals:document", pk=document.pk)
    return render(
        request,
        "proposals/proposal_form.html",
        {
            "document": document,
            "proposal": proposal,
            "form": form,
            "conflict": conflict,
            "current_text": conflict.current["texts"].get(language, "") if conflict else "",
        },
    )


@require_POST
@login_required
def proposal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    _perform(
        request,
        lambda: services.do_delete_proposal(_actor(request), proposal),
        _("Proposal deleted."),
    )
    return redirect("proposals:document", pk=proposal.document_id)
