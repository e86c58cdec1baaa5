"""What every PMS page shares: the acting user, the language, lookups that answer 404
and running a service call with its refusal shown as a message."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import translation

from plenary.core.errors import Refusal, refusals_as_http
from plenary.proposals import services
from plenary.proposals.models import Conference, Proposal, ProposalDocument

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
