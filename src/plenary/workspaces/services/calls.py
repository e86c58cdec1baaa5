"""Calls from a topic: an ad-hoc meeting of the room, joined by the workspace's members.

A call is a meeting of its own (type "call", one session, not published in the
calendar) so that the room's rules apply unchanged: its starter is its chair —
heard whenever the call is open, gives others the floor, shares a screen —
and each member who joins gets a delegate's place (remote) and listens on the
floor channel with captions. Up to ``floor.OPEN_MICROPHONES_UP_TO`` taking part,
microphones are open: each member is heard while theirs is connected, as on a
telephone; a bigger call is chaired, each asking for the floor with one click. Members only: a
reader of a public workspace reads the topic but does not join its calls.
Ending the call (its starter or a moderator) closes the session and posts its
summary back to the topic: when, who took part (from the attendance the room
recorded), the transcript's address. A call ends by itself, as its starter
would end it, when its booked hours are over or its room has been empty for
ten minutes (``plenary serve`` looks every minute). One open call per topic.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.core.events import publish
from plenary.core.locking import lock
from plenary.core.tasks import every, task
from plenary.floor import services as floor
from plenary.live.events import event
from plenary.live.models import AttendanceRecord, Presence
from plenary.live.services import prune_stale_presence
from plenary.live.standing import display_name
from plenary.meetings.models import AttendanceMode, Meeting, Participation, Sector, Session
from plenary.workspaces.events import call_json, workspace_group
from plenary.workspaces.models import Call, Message, Topic
from plenary.workspaces.queries import open_call
from plenary.workspaces.services.access import Place, check_moderate, check_write, place_of
from plenary.workspaces.services.messages import check_post, do_post, get_topic

# How long a call's session is booked for; it ends earlier when someone ends it, or
# by itself when its room has been empty for EMPTY_FOR (``end_idle_calls``).
CALL_LENGTH = dt.timedelta(hours=4)
EMPTY_FOR = dt.timedelta(minutes=10)
IDLE_CHECK_SECONDS = 60


def _publish(topic: Topic, call: Call | None) -> None:
    publish(
        workspace_group(topic.channel.workspace_id),
        event("workspace.call", topic_id=topic.pk, call=call_json(call)),
    )


def _meeting_for(user: Any, place: Place, topic: Topic, language: str) -> Meeting:
    today = timezone.localdate()
    sector = (
        place.workspace.sector
        or Sector.objects.get_or_create(code=Sector.Code.GENERAL_SECRETARIAT)[0]
    )
    return Meeting.objects.create(
        code=f"call-{uuid.uuid4().hex[:16]}",
        titles={language: topic.title},
        sector=sector,
        meeting_type=Meeting.Type.CALL,
        time_zone="UTC",
        start_date=today,
        end_date=today + dt.timedelta(days=1),
        working_language=language,
        languages=[language],
        status=Meeting.Status.DRAFT,  # not in the calendar: its members reach it from the topic
        registration_open=False,
        organiser=user,
    )


def _take_part(user: Any, session: Session, role: str) -> bool:
    """Give ``user`` their place in the call; whether it is new."""
    _participation, created = Participation.objects.get_or_create(
        meeting_id=session.meeting_id,
        user=user,
        role=role,
        defaults={"entity": user.entity, "attendance": AttendanceMode.REMOTE},
    )
    return created


def do_start_call(user: Any, place: Place, topic_id: int, *, language: str = "en") -> Call:
    """Start a call in the topic (or give back the one already on); its starter chairs it."""
    with transaction.atomic():
        topic = lock(get_topic(place, topic_id))
        check_post(place, topic, starting=False)
        existing = open_call(topic)
        if existing is not None:
            return existing
        now = timezone.now()
        meeting = _meeting_for(user, place, topic, language)
        session = Session.objects.create(
            meeting=meeting, title=topic.title, starts_at=now, ends_at=now + CALL_LENGTH
        )
        _take_part(user, session, Participation.Role.CHAIR)
        try:
            with transaction.atomic():
                call = Call.objects.create(topic=topic, session=session, started_by=user)
        except IntegrityError:  # started at the same moment by someone else
            raise PermissionRefusal(_("A call has just started in this topic; join it.")) from None
        version, _state = floor.current_state(session.pk)
        floor.do_set_status(user, session.pk, "open", version)
        transaction.on_commit(lambda: _publish(topic, call))
        return call


def get_call(place: Place, call_id: int) -> Call:
    call = (
        Call.objects.select_related("topic__channel", "session", "started_by")
        .filter(pk=call_id, topic__channel__workspace=place.workspace)
        .first()
    )
    if call is None:
        raise NotFoundRefusal(_("This call does not exist."))
    return call


def do_join_call(user: Any, place: Place, call_id: int) -> Call:
    """A member's place in the call (a delegate's, remote); the room is theirs to enter."""
    check_write(place)
    call = get_call(place, call_id)
    if call.ended_at is not None:
        raise PermissionRefusal(_("This call has ended."))
    if user.pk == call.started_by_id:
        return call
    if _take_part(user, call.session, Participation.Role.DELEGATE):
        floor.remoderate(call.session_id)  # open microphones: one more is heard, or all stop
    return call


def took_part(call: Call) -> list[str]:
    """Who joined the call's room, in the order they first joined."""
    seen: dict[int, str] = {}
    for record in (
        AttendanceRecord.objects.filter(session=call.session, kind=AttendanceRecord.Kind.JOIN)
        .select_related("user")
        .order_by("pk")
    ):
        seen.setdefault(record.user_id, display_name(record.user))
    return list(seen.values())


def summary_text(call: Call, ended_at: dt.datetime) -> str:
    """The summary posted back to the topic (Markdown, in the active language)."""
    minutes = max(1, round((ended_at - call.started_at).total_seconds() / 60))
    people = took_part(call)
    transcript = reverse("speech:transcript", args=[call.session_id])
    lines = [
        _("Call from %(start)s to %(end)s UTC (%(minutes)s).")
        % {
            "start": call.started_at.strftime("%Y-%m-%d %H:%M"),
            "end": ended_at.strftime("%H:%M"),
            "minutes": ngettext("%(count)d minute", "%(count)d minutes", minutes)
            % {"count": minutes},
        },
        (
            ngettext(
                "Took part (%(count)d): %(names)s.",
                "Took part (%(count)d): %(names)s.",
                len(people),
            )
            % {"count": len(people), "names": ", ".join(people)}
            if people
            else _("Nobody joined the call.")
        ),
        _("[Transcript](%(url)s)") % {"url": transcript},
    ]
    return "\n\n".join(lines)


def do_end_call(user: Any, place: Place, call_id: int, *, language: str = "en") -> Message:
    """End the call (its starter or a moderator): the room closes, the summary is posted."""
    with transaction.atomic():
        call = lock(get_call(place, call_id))
        if call.started_by_id != place.user_id:
            check_moderate(place)
        if call.ended_at is not None:
            raise PermissionRefusal(_("This call has ended."))
        _close_room(user, call)
        with translation.override(language):
            text = summary_text(call, call.ended_at or timezone.now())
        message = do_post(user, place, call.topic_id, text, language=language)
        _ended(call, message)
        return message


def _close_room(user: Any, call: Call) -> None:
    """Close the call's floor (``user`` takes the chair if need be) and end its session."""
    now = timezone.now()
    version, state = floor.current_state(call.session_id)
    if state["status"] == "open":
        if user.pk != call.started_by_id:  # a moderator takes the chair to close it
            _take_part(user, call.session, Participation.Role.CHAIR)
        floor.do_set_status(user, call.session_id, "close", version)
    Session.objects.filter(pk=call.session_id).update(
        ends_at=max(now, call.session.starts_at + dt.timedelta(seconds=1))
    )
    call.ended_at = now


def _ended(call: Call, summary: Message | None) -> None:
    call.summary = summary
    call.save(update_fields=["ended_at", "summary"])
    topic = call.topic
    transaction.on_commit(lambda: _publish(topic, None))


def _left_alone(call: Call, now: dt.datetime) -> str:
    """Why the call ends by itself now, in the active language ("" if it does not): its
    booked time is over, or nobody has been in its room for ``EMPTY_FOR``."""
    session = call.session
    if session.ends_at <= now:
        return _("The call ended by itself: its booked time was over.")
    prune_stale_presence(session)  # the sockets of a server that died have left
    if Presence.objects.filter(session=session).exists():
        return ""
    last = AttendanceRecord.objects.filter(session=session).aggregate(last=Max("at"))["last"]
    if now - max(last or call.started_at, call.started_at) < EMPTY_FOR:
        return ""
    return ngettext(
        "The call ended by itself: nobody was in it for %(count)d minute.",
        "The call ended by itself: nobody was in it for %(count)d minutes.",
        EMPTY_FOR.seconds // 60,
    ) % {"count": EMPTY_FOR.seconds // 60}


def end_idle_calls(now: dt.datetime | None = None) -> int:
    """End the calls left alone (``_left_alone``), each as its starter ended it, with
    its summary (and why) in the call's language; how many ended."""
    now = now or timezone.now()
    ended = 0
    for call_id in Call.objects.filter(ended_at=None).values_list("pk", flat=True):
        with transaction.atomic():
            call = (
                Call.objects.select_for_update(of=("self",))
                .select_related("topic__channel__workspace", "session__meeting", "started_by")
                .filter(pk=call_id, ended_at=None)
                .first()
            )
            if call is None:
                continue
            language = call.session.meeting.working_language
            with translation.override(language):
                why = _left_alone(call, now)
            if not why:
                continue
            starter = call.started_by
            _close_room(starter, call)
            with translation.override(language):
                text = summary_text(call, call.ended_at or now) + "\n\n" + why
            place = place_of(starter, call.topic.channel.workspace)
            try:
                with transaction.atomic():
                    summary = do_post(starter, place, call.topic_id, text, language=language)
            except Refusal:  # the starter may no longer post there: the call still ends
                summary = None
            _ended(call, summary)
            ended += 1
    return ended


@task()
def end_calls_left_alone() -> None:
    end_idle_calls()


# A task worker looks for calls left alone every minute.
every(lambda: IDLE_CHECK_SECONDS, end_calls_left_alone)
