"""Starting, joining and ending a call from a topic (rules: ``services.calls``).

Each answers JSON to the page's script (``{"ok": true, "url": …}``) or
redirects: joining goes to the meeting room of the call's session.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from plenary.workspaces import pages
from plenary.workspaces.services import calls


def _done(request: HttpRequest, url: str) -> HttpResponse:
    if pages.wants_json(request):
        return JsonResponse({"ok": True, "url": url})
    return redirect(url)


@require_POST
@login_required
def start(request: HttpRequest, slug: str, channel: str, pk: int) -> HttpResponse:
    place = pages.place(request, slug)
    topic = pages.topic(place, pages.channel(place, channel), pk)
    call, reply = pages.attempt(
        request,
        None,
        lambda: calls.do_start_call(request.user, place, topic.pk, language=pages.language()),
    )
    if call is None:
        return reply or redirect(topic.get_absolute_url())
    return _done(request, reverse("room:session", args=[call.session_id]))


@require_POST
@login_required
def join(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = pages.place(request, slug)
    call, reply = pages.attempt(request, None, lambda: calls.do_join_call(request.user, place, pk))
    if call is None:
        return reply or redirect("workspaces:home", slug)
    return _done(request, reverse("room:session", args=[call.session_id]))


@require_POST
@login_required
def end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    place = pages.place(request, slug)
    message, reply = pages.attempt(
        request, None, lambda: calls.do_end_call(request.user, place, pk, language=pages.language())
    )
    if message is None:
        return reply or redirect("workspaces:home", slug)
    return _done(request, message.get_absolute_url())
