"""The meeting room: one page per session for every participant.

A shell like the floor's pages: the session socket fills it (``floor/live.js``
for the floor, ``media/listen.js`` for the audio, ``speech/captions.js`` for
the captions, ``room/room.js`` for the chat and the phone's bottom bar). The
view decides which panels a person gets from their standing.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from plenary.core.errors import refusals_as_http
from plenary.documents import screen
from plenary.floor import queries
from plenary.floor import services as floor
from plenary.floor.views import live_texts
from plenary.guidance.services import pending_guideline
from plenary.live.services import get_session
from plenary.live.standing import standing_for
from plenary.media import video
from plenary.media.services import channels_on_air
from plenary.media.views import channel_choices
from plenary.room import services


def _chat_texts() -> dict[str, str]:
    """Everything ``room.js`` says, in the page's language."""
    return {
        "secretariat": _("To the chair and secretariat"),
        "from_delegation": _("%(entity)s to %(to)s"),
        "hidden": _("Hidden by the chair or the secretariat"),
        "hide": _("Hide"),
        "closed": _("The chair has closed the public chat."),
        "opened": _("The public chat is open."),
        "sent": _("Sent."),
        "close_chat": _("Close the public chat"),
        "open_chat": _("Open the public chat"),
        "not_connected": _("Not connected; try again in a moment."),
        "translate": _("Translate"),
        "original": _("Show the original"),
        "machine": _("Machine translation"),
        "quality": _("Connection: %(quality)s"),
        "quality_good": _("good"),
        "quality_fair": _("fair"),
        "quality_poor": _("poor"),
    }


@login_required
def room(request: HttpRequest, session_id: int) -> HttpResponse:
    """The room of a session: stage, channels, floor, captions, chat; by role."""
    with refusals_as_http():
        session = get_session(session_id)
    standing = standing_for(request.user, session)
    if not standing.is_participant:
        raise Http404
    if pending_guideline(request.user, session.meeting) is not None:  # type: ignore[arg-type]
        # The organiser requires the guidelines to be confirmed before joining.
        return render(request, "room/guidelines_first.html", {"session": session})
    chairs = bool(standing.roles & {"chair", "vice_chair"})
    on_stage = standing.user_id in video.on_stage(session.pk)
    by_role = video.presents_by_role(standing)
    floor_presents = video.floor_may_present(session.pk)
    return render(
        request,
        "room/room.html",
        {
            "session": session,
            "standing": standing,
            "chairs": chairs,
            "console": chairs or standing.manages_list or standing.may_mute,
            "participants": queries.listable_participants(session) if standing.manages_list else [],
            "channels": channel_choices(session),
            "on_air": channels_on_air(session),
            "may_speak_audio": standing.may_speak(),
            "open_microphone": standing.user_id in floor.open_microphones(session),
            "on_stage": on_stage,
            "presents_by_role": by_role,
            "floor_may_present": floor_presents,
            "may_present": by_role or (on_stage and floor_presents),
            "delegations": [
                entity
                for entity in services.delegations(session)
                if standing.entity is None or entity.pk != standing.entity.pk
            ],
            "moderator": services.may_moderate(standing),
            "public_open": services.public_open(session),
            "translatable": services.translatable_into(request.LANGUAGE_CODE),
            "speak_heading": _("Your microphone"),
            "texts": live_texts(),
            "chat_texts": _chat_texts(),
            "screen": screen.panel_context(standing, session),
        },
    )
