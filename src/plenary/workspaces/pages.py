"""What every workspace page does: find the workspace, channel and topic an address
names, and run a service call, showing a refusal on the form or in the JSON reply.

Every form works without JavaScript (post, then redirect back); the pages'
script sends the same forms with ``Accept: application/json`` and gets
``{"ok": true, ...}`` or ``{"error": {"code", "message", "field"}}`` in the
reader's language, with the refusal's HTTP status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal, refusals_as_http
from plenary.workspaces.models import Channel, Topic
from plenary.workspaces.services import access
from plenary.workspaces.services import messages as posting

Place = access.Place


def place(request: HttpRequest, slug: str) -> Place:
    with refusals_as_http():
        return access.get_place(request.user, slug=slug)


def channel(place: Place, slug: str) -> Channel:
    found = Channel.objects.filter(workspace=place.workspace, slug=slug).first()
    if found is None:
        raise Http404(_("This channel does not exist."))
    return found


def topic(place: Place, channel: Channel, pk: int) -> Topic:
    with refusals_as_http():
        found = posting.get_topic(place, pk)
        if found.channel_id != channel.pk:
            raise NotFoundRefusal(_("This topic does not exist."))
    return found


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def attempt(
    request: HttpRequest, form: Any, action: Callable[[], Any]
) -> tuple[Any, JsonResponse | None]:
    """Run a service call; a refusal goes to the form, or to the JSON reply."""
    try:
        return action(), None
    except Refusal as refusal:
        if wants_json(request):
            body = {"code": refusal.code, "message": str(refusal), "field": refusal.field}
            return None, JsonResponse({"error": body}, status=refusal.status)
        if isinstance(refusal, (PermissionRefusal, NotFoundRefusal)):
            with refusals_as_http():
                raise
        if form is not None and refusal.field in form.fields:
            form.add_error(refusal.field, str(refusal))
        elif form is not None:
            form.add_error(None, str(refusal))
        else:
            messages.error(request, str(refusal))
    return None, None


def form_errors(form: Any) -> JsonResponse:
    field, errors = next(iter(form.errors.items()))
    body = {"code": "invalid", "message": str(errors[0]), "field": field}
    return JsonResponse({"error": body}, status=400)


def language() -> str:
    return get_language() or ""
