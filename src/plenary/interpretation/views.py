"""The interpreter console."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from plenary.core.languages import Language
from plenary.interpretation import services
from plenary.media.views import channel_choices
from plenary.meetings.models import Participation, Session


@login_required
def console(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("meeting"), pk=session_id)
    channels = channel_choices(session)
    user_id = int(request.user.pk or 0)  # signed in: login_required
    booths = list(
        Participation.objects.filter(
            meeting_id=session.meeting_id,
            user_id=user_id,
            role=Participation.Role.INTERPRETER,
        ).values_list("language", flat=True)
    )
    wanted = request.GET.get("language") or (booths[0] if booths else "")
    if wanted not in booths or wanted not in dict(channels):
        raise PermissionDenied(_("You are not an interpreter in this session's booths."))
    return render(
        request,
        "interpretation/console.html",
        {
            "session": session,
            "language": wanted,
            "language_name": Language(wanted).label,
            "channels": channels,
            "relays": [(code, label) for code, label in channels if code not in ("floor", wanted)],
            "languages": Language.choices,
            "state": services.booth_state(session.pk, wanted),
            "floor_language": services.floor_language(session),
        },
    )
