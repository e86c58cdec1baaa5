"""Interpretation booths: one live microphone per booth, timed handover, cough key, chat.

A booth is a session's language channel. Its state (who is on air, a
pending or accepted handover, the cough key) is a ``Booth`` row: every change
is made under the row's lock (``select_for_update``), so two consoles pressing
"on air" at once leave one live microphone, and it survives a restart. After
each change, ``plenary.media.services.set_heard`` enforces it in Janus:
whatever a browser sends, only the interpreter on air is heard, and not while
the cough key is down.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.core import audit
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.interpretation.models import Booth
from plenary.live.events import event, publish_to_session, publish_to_user
from plenary.live.signals import booth_changed
from plenary.media import services as media
from plenary.meetings.models import Participation, Session

HANDOVER_SECONDS = 3
STATE_TTL_SECONDS = 24 * 3600
MAX_CHAT_CHARS = 500

BoothState = dict[str, Any]


def _as_state(booth: Booth | None) -> BoothState:
    if booth is None:
        return {"on_air": None, "requested_by": None, "handover_at": None, "cough": False}
    return {
        "on_air": booth.on_air_id,
        "requested_by": booth.requested_by_id,
        "handover_at": booth.handover_at.isoformat() if booth.handover_at else None,
        "cough": booth.cough,
    }


def booth_state(session_id: int, language: str) -> BoothState:
    """``{"on_air": user id or None, "requested_by", "handover_at" (ISO), "cough": bool}``."""
    return _as_state(Booth.objects.filter(session_id=session_id, language=language).first())


def live_microphone(state: BoothState) -> int | None:
    """Who is heard from the booth now: the interpreter on air, unless coughing."""
    return state["on_air"] if state["on_air"] and not state["cough"] else None


def languages_on_air(session: Session) -> list[str]:
    """The meeting's languages whose booth has an interpreter on air now
    (the cough key down counts as on air: the booth is staffed)."""
    languages = session.meeting.languages or [session.meeting.working_language]
    staffed = set(
        Booth.objects.filter(session=session, on_air__isnull=False).values_list(
            "language", flat=True
        )
    )
    return [code for code in languages if code in staffed]


def booth_partners(session: Session, language: str) -> set[int]:
    return set(
        Participation.objects.filter(
            meeting_id=session.meeting_id, role=Participation.Role.INTERPRETER, language=language
        ).values_list("user_id", flat=True)
    )


def check_booth(user: Any, session: Session, language: str) -> set[int]:
    """``user`` interprets into ``language`` in this session; return the booth's interpreters."""
    media.check_channel(media.layout_for(session), language)
    partners = booth_partners(session, language)
    if user.pk not in partners:
        raise PermissionRefusal(_("You are not an interpreter in this booth."), "not_in_booth")
    return partners


def check_booth_state(user: Any, session: Session, language: str) -> BoothState:
    """The booth's state, for one of its interpreters (a console catching up after a reconnect)."""
    check_booth(user, session, language)
    return booth_state(session.pk, language)


Change = Callable[[BoothState], BoothState]


def _change(session: Session, language: str, change: Change) -> BoothState:
    """Apply ``change`` to the booth's state under its row lock; then enforce who is
    heard and tell the session (the on-air light). ``change`` may raise ``Refusal``.

    A handover whose countdown is over is completed first, whoever asks.
    """
    with transaction.atomic():
        Booth.objects.get_or_create(session=session, language=language)
        booth = Booth.objects.select_for_update().get(session=session, language=language)
        before = _as_state(booth)
        current = _completed_handover(session, language, before)
        state = change(current)
        if state != before:
            booth.on_air_id = state["on_air"]
            booth.requested_by_id = state["requested_by"]
            at = state["handover_at"]
            booth.handover_at = dt.datetime.fromisoformat(at) if at else None
            booth.cough = state["cough"]
            booth.save()
    if state != before:
        live = live_microphone(state)
        media.set_heard(session.pk, language, frozenset({live} if live else set()))
        publish_to_session(session.pk, event("booth.state", language=language, **state))
    if state["on_air"] != before["on_air"]:
        _send_booth_changed(session.pk, language, state["on_air"] is not None)
    return state


def _send_booth_changed(session_id: int, language: str, on_air: bool) -> None:
    transaction.on_commit(
        lambda: booth_changed.send(
            sender=Booth, session_id=session_id, language=language, on_air=on_air
        ),
        robust=True,
    )


def resend_booths_on_air(session: Session) -> None:
    """Tell the other apps again of every booth on air (the session opened)."""
    for language in languages_on_air(session):
        _send_booth_changed(session.pk, language, True)


def _completed_handover(session: Session, language: str, state: BoothState) -> BoothState:
    due = state["handover_at"] and dt.datetime.fromisoformat(state["handover_at"]) <= timezone.now()
    if not due:
        return state
    audit.record(
        None, "interpretation.handover", session, language=language, to=state["requested_by"]
    )
    return {
        **state,
        "on_air": state["requested_by"],
        "requested_by": None,
        "handover_at": None,
        "cough": False,
    }


def remoderate(session_ids: list[int]) -> None:
    """Who is heard from every booth of these sessions, re-derived from the booths' rows
    (after a server or Janus restart)."""
    for booth in Booth.objects.filter(session_id__in=session_ids):
        live = live_microphone(_as_state(booth))
        media.set_heard(booth.session_id, booth.language, frozenset({live} if live else set()))


def do_take_air(user: Any, session: Session, language: str) -> BoothState:
    """Go on air in an empty booth (an occupied booth needs a handover)."""
    check_booth(user, session, language)

    def take(state: BoothState) -> BoothState:
        if state["on_air"] not in (None, user.pk):
            raise Refusal(_("Your partner is on air; ask for a handover."), "booth_busy")
        audit.record(user, "interpretation.on_air", session, language=language)
        return {**state, "on_air": user.pk, "cough": False}

    return _change(session, language, take)


def do_leave_air(user: Any, session: Session, language: str) -> BoothState:
    check_booth(user, session, language)

    def leave(state: BoothState) -> BoothState:
        if state["on_air"] != user.pk:
            raise Refusal(_("You are not on air."), "not_on_air")
        audit.record(user, "interpretation.off_air", session, language=language)
        return {**state, "on_air": None, "cough": False}

    return _change(session, language, leave)


def do_request_handover(user: Any, session: Session, language: str) -> BoothState:
    """The partner off air asks to take over."""
    check_booth(user, session, language)

    def request(state: BoothState) -> BoothState:
        if state["on_air"] in (None, user.pk):
            raise Refusal(_("There is nobody to take over from."), "no_handover")
        return {**state, "requested_by": user.pk, "handover_at": None}

    return _change(session, language, request)


def do_accept_handover(user: Any, session: Session, language: str) -> BoothState:
    """The interpreter on air accepts; the microphone passes after a short countdown."""
    check_booth(user, session, language)

    def accept(state: BoothState) -> BoothState:
        if state["on_air"] != user.pk or not state["requested_by"]:
            raise Refusal(_("There is no handover request to accept."), "no_handover")
        at = timezone.now() + dt.timedelta(seconds=HANDOVER_SECONDS)
        return {**state, "handover_at": at.isoformat()}

    return _change(session, language, accept)


def do_complete_handover(session: Session, language: str) -> BoothState:
    """Pass the microphone if the countdown is over (idempotent; any client may ask)."""
    return _change(session, language, lambda state: state)


def do_cough(user: Any, session: Session, language: str, down: bool) -> BoothState:
    """The cough key: while it is down the interpreter on air is not heard."""
    check_booth(user, session, language)

    def cough(state: BoothState) -> BoothState:
        if state["on_air"] != user.pk:
            raise Refusal(_("You are not on air."), "not_on_air")
        return {**state, "cough": down}

    return _change(session, language, cough)


def _floor_language_key(session_id: int) -> str:
    return f"interpretation:floor-language:{session_id}"


def floor_language(session: Session) -> str:
    """The language the floor speaks now (the meeting's working language until told)."""
    return str(cache.get(_floor_language_key(session.pk)) or session.meeting.working_language)


def do_set_floor_language(user: Any, session: Session, language: str) -> str:
    """An interpreter tells every booth which language the floor speaks (for automatic relay)."""
    if (
        not getattr(user, "is_authenticated", False)
        or not Participation.objects.filter(
            meeting_id=session.meeting_id, user=user, role=Participation.Role.INTERPRETER
        ).exists()
    ):
        raise PermissionRefusal(_("Only interpreters set the floor language."), "not_in_booth")
    if language not in UN_LANGUAGES:
        raise Refusal(_("Unknown language."), "unknown_language")
    cache.set(_floor_language_key(session.pk), language, STATE_TTL_SECONDS)
    publish_to_session(session.pk, event("booth.floor_language", language=language))
    return language


def do_chat(user: Any, session: Session, language: str, text: str) -> None:
    """A message to the booth partners only."""
    partners = check_booth(user, session, language)
    text = text.strip()
    if not text or len(text) > MAX_CHAT_CHARS:
        raise Refusal(
            _("A booth message must have 1 to %(limit)d characters.") % {"limit": MAX_CHAT_CHARS},
            "invalid_chat",
        )
    message = event(
        "booth.chat",
        language=language,
        user_id=user.pk,
        name=user.display_name,
        text=text,
        at=timezone.now().isoformat(),
    )
    for partner in partners:
        publish_to_user(session.pk, partner, message)
