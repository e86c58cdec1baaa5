"""PMS pages: thin views that parse the request, call one service, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plenary.accounts.models import Entity
from plenary.core.errors import Refusal, refusals_as_http
from plenary.core.languages import UN_LANGUAGES
from plenary.proposals import akn, consolidation, exports, queries, services
from plenary.proposals.changes import tracked_changes
from plenary.proposals.forms import (
    ConsolidateForm,
    DeadlineForm,
    DocumentForm,
    EventForm,
    ProposalForm,
)
from plenary.proposals.models import (
    AgendaItem,
    Conference,
    Edition,
    Proposal,
    ProposalDocument,
    Provision,
    Sponsorship,
    Translation,
)

PAGE_SIZE = 100


def _actor(request: HttpRequest) -> Any:
    """The signed-in user; services check what the user may do."""
    return request.user


def _language() -> str:
    return translation.get_language() or "en"


def _conference(code: str) -> Conference:
    return get_object_or_404(Conference, code=code)


def _document(request: HttpRequest, pk: int) -> ProposalDocument:
    with refusals_as_http():
        return services.get_document(request.user, pk)


def _proposal(request: HttpRequest, pk: int) -> Proposal:
    with refusals_as_http():
        return services.get_proposal(request.user, pk)


def _perform(request: HttpRequest, action: Callable[[], Any], success: str) -> bool:
    """Run a service call; show its refusal as an error message instead of failing."""
    try:
        action()
    except Refusal as refusal:
        messages.error(request, str(refusal.message))
        return False
    messages.success(request, success)
    return True


def conference_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "proposals/conference_list.html", {"conferences": Conference.objects.all()}
    )


def conference_detail(request: HttpRequest, code: str) -> HttpResponse:
    conference = _conference(code)
    documents = queries.visible_documents(request.user).filter(conference=conference)
    return render(
        request,
        "proposals/conference_detail.html",
        {
            "conference": conference,
            "agenda": conference.agenda_items.all(),
            "committees": conference.committees.all(),
            "deadlines": conference.deadlines.all(),
            "documents": documents.select_related("entity").order_by("number", "addendum", "id"),
            "editions": conference.editions.select_related("instrument"),
            "can_draft": _can_draft(request, conference),
            "deadline_form": DeadlineForm() if queries.is_secretariat(request.user) else None,
        },
    )


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


def _can_draft(request: HttpRequest, conference: Conference) -> bool:
    try:
        services.check_can_draft(request.user, conference)
    except Refusal:
        return False
    return True


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


def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _document(request, pk)
    user = request.user
    language = _language()
    proposals = exports.document_proposals(document)
    sponsorships = document.sponsorships.select_related("entity")
    entity_id = getattr(user, "entity_id", None)
    invited = (
        sponsorships.filter(
            entity_id=entity_id,
            role=Sponsorship.Role.CO_SIGNATORY,
            state__in=queries.ACTIVE_SPONSOR_STATES,
        ).first()
        if entity_id is not None
        else None
    )
    editions = list(document.conference.editions.select_related("instrument"))
    return render(
        request,
        "proposals/document_detail.html",
        {
            "document": document,
            "changes": [tracked_changes(p, language) for p in proposals],
            "sponsorships": sponsorships,
            "invitation": invited if document.is_draft else None,
            "is_drafter": services.is_drafter(user, document),
            "is_secretariat": queries.is_secretariat(user),
            "editions": editions,
            "event_form": EventForm(document),
            "translations": document.translations.all(),
            "deadline": services.applicable_deadline(document),
            "languages": UN_LANGUAGES,
        },
    )


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


def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    language = _language()
    return render(
        request,
        "proposals/proposal_detail.html",
        {
            "proposal": proposal,
            "document": proposal.document,
            "change": tracked_changes(proposal, language),
            "versions": proposal.versions.select_related("editor"),
            "events": proposal.events.select_related("actor", "committee"),
            "is_drafter": services.is_drafter(request.user, proposal.document),
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


@require_POST
@login_required
def proposal_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal(request, pk)
    _perform(
        request,
        lambda: services.do_withdraw_proposal(_actor(request), proposal),
        _("Proposal withdrawn."),
    )
    return redirect("proposals:proposal", pk=proposal.pk)


@require_POST
@login_required
def document_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One POST endpoint per workflow step of a document; the service decides."""
    document = _document(request, pk)
    user: Any = request.user
    post = request.POST
    steps: dict[str, tuple[Callable[[], Any], str]] = {
        "submit": (lambda: services.do_submit(user, document), _("Document submitted.")),
        "publish": (lambda: services.do_publish(user, document), _("Document published.")),
        "sign": (lambda: services.do_answer_invitation(user, document, True), _("Signed.")),
        "decline": (
            lambda: services.do_answer_invitation(user, document, False),
            _("Answer recorded."),
        ),
        "invite": (
            lambda: services.do_invite_co_signatory(user, document, post.get("entity", "")),
            _("Invitation sent."),
        ),
        "skeleton": (
            lambda: services.do_add_skeleton(
                user, document, _int(post.get("edition")), post.get("pid", "")
            ),
            _("Skeleton added: change only the provisions you amend."),
        ),
        "allocate": (
            lambda: services.do_allocate(user, document, _int(post.get("committee"))),
            _("Document allocated."),
        ),
        "event": (lambda: _record_event(user, document, post), _("Event recorded.")),
    }
    if action in {"revise", "addendum"}:
        start = services.do_start_revision if action == "revise" else services.do_start_addendum
        try:
            draft = start(user, document)
        except Refusal as refusal:
            messages.error(request, str(refusal.message))
            return redirect("proposals:document", pk=document.pk)
        return redirect("proposals:document", pk=draft.pk)
    if action not in steps:
        raise Http404
    call, success = steps[action]
    _perform(request, call, success)
    if action == "decline" and not queries.visible_documents(user).filter(pk=document.pk).exists():
        return redirect("proposals:conference", code=document.conference.code)
    return redirect("proposals:document", pk=document.pk)


def _int(value: object) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise Refusal(_("Choose a value from the list.")) from None


def _record_event(user: Any, document: ProposalDocument, post: Any) -> None:
    form = EventForm(document, post)
    if not form.is_valid():
        raise Refusal(_("Choose an event and at least one proposal."))
    proposals = list(
        document.proposals.filter(pk__in=form.cleaned_data["proposals"]).select_related(
            "document__entity"
        )
    )
    services.do_record_event(
        user,
        proposals,
        form.cleaned_data["kind"],
        form.cleaned_data["committee"],
        form.cleaned_data["note"],
    )


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


def document_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    document = _document(request, pk)
    language = request.GET.get("language", document.original_language)
    if language not in UN_LANGUAGES:
        raise Http404
    name = f"{document.reference}-{language}".replace(" ", "_")
    if fmt == "docx":
        response = HttpResponse(
            exports.document_docx(document, language),
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
    elif fmt == "xml":
        response = HttpResponse(akn.export_document(document), content_type="application/akn+xml")
    elif fmt == "pdf":
        response = HttpResponse(
            exports.document_pdf(document, language), content_type="application/pdf"
        )
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def agenda_compilation(request: HttpRequest, code: str, item_pk: int) -> HttpResponse:
    conference = _conference(code)
    item = get_object_or_404(AgendaItem, pk=item_pk, conference=conference)
    language = _language()
    page = Paginator(queries.proposals_for_agenda_item(request.user, item), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "proposals/compilation.html",
        {
            "conference": conference,
            "item": item,
            "page": page,
            "changes": [tracked_changes(p, language) for p in page],
        },
    )


def by_provision(request: HttpRequest, code: str, pid: str) -> HttpResponse:
    conference = _conference(code)
    language = _language()
    groups = queries.proposals_by_provision(request.user, conference, pid, language)
    provision = Provision.objects.filter(edition__conferences=conference, pid=pid).first()
    return render(
        request,
        "proposals/by_provision.html",
        {
            "conference": conference,
            "pid": pid,
            "provision": provision,
            "groups": [(group, tracked_changes(group.proposals[0], language)) for group in groups],
        },
    )


def by_entity(request: HttpRequest, code: str, entity_code: str) -> HttpResponse:
    conference = _conference(code)
    entity = get_object_or_404(Entity, code=entity_code)
    language = _language()
    proposals = queries.compiled_proposals(request.user, conference).filter(
        document__sponsorships__entity=entity,
        document__sponsorships__state=Sponsorship.State.SIGNED,
    )
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "proposals/by_entity.html",
        {
            "conference": conference,
            "entity": entity,
            "page": page,
            "changes": [tracked_changes(p, language) for p in page],
        },
    )


def search(request: HttpRequest, code: str) -> HttpResponse:
    conference = _conference(code)
    query = request.GET.get("q", "").strip()
    proposals, provisions = (None, None)
    if query:
        found = queries.search(request.user, conference, query)
        proposals, provisions = found[0][:200], found[1][:200]
    return render(
        request,
        "proposals/search.html",
        {
            "conference": conference,
            "query": query,
            "proposals": proposals,
            "provisions": provisions,
        },
    )


def proposals_csv(request: HttpRequest, code: str) -> HttpResponse:
    conference = _conference(code)
    language = request.GET.get("language", _language())
    proposals = queries.compiled_proposals(request.user, conference)
    response = HttpResponse(
        exports.proposals_csv(proposals, language), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{conference.code}-proposals.csv"'
    return response


def edition_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    conference = _conference(code)
    edition = get_object_or_404(Edition, pk=pk, conferences=conference)
    consolidated = request.GET.get("consolidated") == "1"
    nodes = (
        consolidation.consolidated_text(conference, edition)
        if consolidated
        else consolidation.consolidate(list(edition.provisions.all()), [])
    )
    form = ConsolidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = consolidation.do_consolidate(
                request.user,
                conference,
                edition,
                form.cleaned_data["label"],
                form.cleaned_data["date"],
            )
        except Refusal as refusal:
            form.add_error(None, str(refusal.message))
        else:
            messages.success(
                request, _("Consolidated edition %(edition)s saved.") % {"edition": new}
            )
            return redirect("proposals:edition", code=code, pk=pk)
    return render(
        request,
        "proposals/edition.html",
        {
            "conference": conference,
            "edition": edition,
            "nodes": nodes,
            "language": _language(),
            "consolidated": consolidated,
            "form": form,
            "is_secretariat": queries.is_secretariat(request.user),
        },
    )


def edition_akn(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition, pk=pk, conferences__code=code)
    response = HttpResponse(akn.export_edition(edition), content_type="application/akn+xml")
    response["Content-Disposition"] = (
        f'attachment; filename="{edition.instrument.code}-{edition.label}.xml"'
    )
    return response
