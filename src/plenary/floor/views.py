"""The room screen ("now speaking"), and what ``static/floor/live.js`` says.

The pages are shells: ``live.js`` fills them from the session socket. The
meeting room (``plenary.room``) includes the floor's panels and texts.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from plenary.core.errors import refusals_as_http
from plenary.live.services import get_session
from plenary.meetings.models import Meeting, Session


def live_texts() -> dict[str, str]:
    """Everything ``live.js`` says, in the page's language."""
    return {
        "scheduled": _("Not yet opened"),
        "open": _("In session"),
        "suspended": _("Suspended"),
        "closed": _("Closed"),
        "recording_started": _("The session is being recorded."),
        "recording_stopped": _("The recording has stopped."),
        "speak": _("Floor"),
        "contribution": _("Contribution"),
        "point_of_order": _("Point of order"),
        "right_of_reply": _("Right of reply"),
        "onsite": _("In the room"),
        "remote": _("Remote"),
        "nobody": _("Nobody has the floor."),
        "empty": _("The speakers' list is empty."),
        "has_floor": _("%(name)s has the floor."),
        "you_have_floor": _("You have the floor."),
        "floor_ended": _("The floor is free."),
        "muted": _("Microphone muted by the chair"),
        "give": _("Give the floor"),
        "strike": _("Remove from the list"),
        "up": _("Move up"),
        "down": _("Move down"),
        "moved": _("%(name)s moved to position %(position)s."),
        "remaining": _("Time remaining"),
        "over": _("Over time"),
        "no_limit": _("No time limit"),
        "connecting": _("Connecting…"),
        "connected": _("Connected"),
        "reconnecting": _("Connection lost; reconnecting…"),
        "restarting": _("The server is restarting; reconnecting…"),
        "reconnected": _("Connected again."),
        "gone": _("This session is no longer available."),
        "refused": _("Too many connections from your network; retrying shortly…"),
        "listed": _("You are number %(position)s on the list."),
        "not_listed": _("You are not on the list."),
        "present": _("%(count)s connected"),
        "session_status": _("The session is now: %(status)s."),
        "quality": _("connection: %(quality)s"),
        "quality_good": _("good"),
        "quality_fair": _("fair"),
        "quality_poor": _("poor"),
    }


def _session_or_404(session_id: int) -> Session:
    with refusals_as_http():
        return get_session(session_id)


def screen_page(request: HttpRequest, session_id: int) -> HttpResponse:
    """The public "now speaking" view for a screen in the room (no sign-in)."""
    session = _session_or_404(session_id)
    if session.meeting.status != Meeting.Status.PUBLISHED:
        raise Http404
    return render(request, "floor/screen.html", {"session": session, "texts": live_texts()})
