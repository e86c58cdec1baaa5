"""The POST steps of a document's life: submit, sign, invite, publish, allocate,
record events, start a revision or addendum; withdraw a proposal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from plenary.core.errors import Refusal
from plenary.proposals import queries, services
from plenary.proposals.forms import EventForm
from plenary.proposals.models import ProposalDocument
from plenary.proposals.views.common import _actor, _document, _perform, _proposal


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
