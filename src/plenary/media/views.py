"""Pages: listen (and speak) to a session, and the room feed of a physical room."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from plenary.core.errors import Refusal
from plenary.core.languages import Language
from plenary.live.standing import Standing
from plenary.media import services
from plenary.media.rooms import FLOOR
from plenary.meetings.models import Participation, Session


def channel_choices(session: Session) -> list[tuple[str, str]]:
    layout = services.layout_for(session)
    return [(FLOOR, _("Original (floor)"))] + [
        (code, str(Language(code).label)) for code in layout.languages
    ]


def _standing(request: HttpRequest, session: Session) -> Standing:
    try:
        return services.check_listen(request.user, session)
    except Refusal as refusal:
        raise PermissionDenied(str(refusal)) from None


@login_required
def listen(request: HttpRequest, session_id: int) -> HttpResponse:
    session = get_object_or_404(Session.objects.select_related("meeting"), pk=session_id)
    standing = _standing(request, session)
    return render(
        request,
        "media/listen.html",
        {
            "session": session,
            "heading": _("Listen and speak"),
            "speak_heading": _("Speak"),
            "channels": channel_choices(session),
            "on_air": services.channels_on_air(session),
            "may_speak": standing.may_speak(),
        },
    )


@login_required
def room_feed(request: HttpRequest, session_id: int) -> HttpResponse:
    """The meeting room's audio system as one participant: its input goes to the floor."""
    session = get_object_or_404(Session.objects.select_related("meeting"), pk=session_id)
    standing = _standing(request, session)
    if Participation.Role.ROOM_OPERATOR not in standing.roles:
        raise PermissionDenied(_("Only the room operator connects the room."))
    return render(
        request,
        "media/listen.html",
        {
            "session": session,
            "heading": _("Room feed"),
            "speak_heading": _("Room audio to the floor"),
            "channels": channel_choices(session),
            "on_air": services.channels_on_air(session),
            "may_speak": True,
        },
    )
