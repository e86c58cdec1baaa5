"""The interpreter console."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from plenary.core.languages import Language
from plenary.interpretation import services
from plenary.interpretation.booths import booth_name, relay_name
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
    # Only the meeting's languages: an interpreter covers some of those, the floor speaks one.
    meeting_languages = session.meeting.languages or [session.meeting.working_language]
    languages = [(code, str(Language(code).label)) for code in meeting_languages]
    return render(
        request,
        "interpretation/console.html",
        {
            "session": session,
            "language": wanted,
            "booth_name": booth_name(wanted),
            "channels": channels,
            "channel_names": dict(channels),
            "relays": [
                (code, relay_name(code)) for code in dict(channels) if code not in ("floor", wanted)
            ],
            "languages": languages,
            "state": services.booth_state(session.pk, wanted),
            "floor_language": services.floor_language(session),
        },
    )
