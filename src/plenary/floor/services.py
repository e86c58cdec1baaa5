"""Business operations of the floor: the speakers' list, the floor, the session status.

Every change of the live state follows one path: ``_change`` opens a
transaction, locks the session's ``LiveSession`` row, refuses a stale
``version``, asks a ``check_*`` function (authorise + validate, no writes)
which events to append, then ``_append`` writes them to the log, folds them
into the state and publishes them after commit. A refusal raises before any
write, so the state is never half-changed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.accounts.models import User
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, RateLimited, Refusal
from plenary.floor import state as live
from plenary.floor.models import LiveSession, SessionEvent
from plenary.guidance.services import pending_guideline
from plenary.live.attendance import record_attendance
from plenary.live.events import event, iso, publish_to_session
from plenary.live.services import get_session, snapshot_part
from plenary.live.signals import floor_changed
from plenary.live.standing import Standing, standing_for
from plenary.meetings.models import Meeting, Participation, Session

REQUEST_KINDS = ("speak", "contribution", "point_of_order", "right_of_reply")
# A person may ask for the floor this many times per window (withdrawals do not refund).
REQUEST_LIMIT = 5
REQUEST_WINDOW = dt.timedelta(seconds=60)
MAX_LIMIT_S = 3600
# A call of up to this many participants has open microphones (``open_microphones``);
# Jitsi Meet likewise lets the first ten of a meeting join unmuted (startAudioMuted).
OPEN_MICROPHONES_UP_TO = 10
# Events after which who may be heard has changed.
_AUDIO_KINDS = frozenset(
    {
        "session.opened",
        "session.suspended",
        "session.closed",
        "chair.assigned",
        "floor.given",
        "floor.ended",
        "floor.muted",
        "floor.unmuted",
    }
)

Change = tuple[str, dict[str, Any]]


# --- Reading -----------------------------------------------------------------


def rebuild_state(session_id: int) -> tuple[int, live.State]:
    """Fold the whole event log: the state as of its last event, and its version."""
    events = list(
        SessionEvent.objects.filter(session_id=session_id)
        .order_by("seq")
        .values_list("seq", "kind", "data")
    )
    version = events[-1][0] if events else 0
    return version, live.fold((kind, data) for _seq, kind, data in events)


def current_state(session_id: int) -> tuple[int, live.State]:
    """The materialised state and its version (initial if nothing happened yet)."""
    row = LiveSession.objects.filter(session_id=session_id).values_list("version", "state").first()
    if row is None:
        return rebuild_state(session_id)
    return row[0], row[1]


def _locked_live(session: Session) -> LiveSession:
    """The session's state row, locked; rebuilt from the log if it lags behind it.

    The row can only lag if it was lost or restored from an older backup: the
    log is written in the same transaction as the row.
    """
    LiveSession.objects.get_or_create(session=session, defaults={"state": live.initial_state()})
    row = LiveSession.objects.select_for_update().get(session=session)
    last = SessionEvent.objects.filter(session=session).order_by("-seq").first()
    if (last.seq if last else 0) != row.version:
        row.version, row.state = rebuild_state(session.pk)
        row.save(update_fields=["version", "state"])
    return row


def recover_session(session_id: int) -> tuple[int, live.State]:
    """Rewrite the materialised state from the log (after a restore or a crash)."""
    with transaction.atomic():
        session = get_session(session_id)
        LiveSession.objects.filter(session=session).delete()
        row = _locked_live(session)
        return row.version, row.state


def _heard_by_role(session: Session, state: live.State) -> set[int]:
    """The presiding officer, the meeting's chair and its room operators."""
    roles = {Participation.Role.ROOM_OPERATOR, Participation.Role.CHAIR}
    ids = set(
        Participation.objects.filter(meeting_id=session.meeting_id, role__in=roles).values_list(
            "user_id", flat=True
        )
    )
    if state["presiding"] is not None:
        ids.add(state["presiding"])
    return ids


def open_microphones(session: Session) -> frozenset[int]:
    """Everyone taking part in a small call, each heard while their microphone is
    connected, as on a telephone; nobody in a meeting or a bigger call, which the
    chair runs with the floor."""
    if session.meeting.meeting_type != Meeting.Type.CALL:
        return frozenset()
    ids = frozenset(
        Participation.objects.filter(meeting_id=session.meeting_id).values_list(
            "user_id", flat=True
        )
    )
    return ids if len(ids) <= OPEN_MICROPHONES_UP_TO else frozenset()


def unmuted_user_ids(session: Session, state: live.State) -> frozenset[int]:
    """Who the audio bridge may let be heard now: speaker (unless muted), presiding officer,
    room operators, and in a small call everyone taking part (a speaker the chair
    muted stays muted there too). Nobody while the session is not open."""
    if state["status"] != "open":
        return frozenset()
    ids = _heard_by_role(session, state) | open_microphones(session)
    speaker = state["speaker"]
    if speaker is not None:
        if speaker["muted"]:
            ids.discard(speaker["request"]["user_id"])
        else:
            ids.add(speaker["request"]["user_id"])
    return frozenset(ids)


def stage_user_ids(session: Session, state: live.State) -> frozenset[int]:
    """Whose camera may be seen now: the floor holder while heard; while nobody holds
    the floor, those heard by their role. The stage is one picture, so a call's open
    microphones do not each bring a camera: a member shows theirs with the floor."""
    if state["status"] != "open":
        return frozenset()
    speaker = state["speaker"]
    if speaker is None:
        return frozenset(_heard_by_role(session, state))
    user_id = speaker["request"]["user_id"]
    return frozenset({user_id}) if not speaker["muted"] else frozenset()


def remoderate(session_id: int) -> None:
    """Tell the media plane again, after commit, who may be heard and seen (who takes
    part in a call changed)."""
    session = get_session(session_id)
    _send_floor_changed_on_commit(session, current_state(session_id)[1])


@snapshot_part
def _floor_snapshot(session: Session, standing: Standing) -> dict[str, Any]:
    """The floor's part of every snapshot: its state and the version it is at."""
    version, state = current_state(session.pk)
    return {"version": version, "state": state}


# --- Changing the state ------------------------------------------------------


def _append(
    session: Session, row: LiveSession, actor: Any, kind: str, data: dict[str, Any]
) -> None:
    """Write one event, fold it into ``row`` and publish it after commit.

    Precondition: inside ``transaction.atomic()`` with ``row`` locked.
    """
    before = row.state
    row.state = live.apply(before, kind, data)
    row.version += 1
    now = timezone.now()
    SessionEvent.objects.create(
        session=session,
        seq=row.version,
        kind=kind,
        data=data,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=now,
    )
    row.save(update_fields=["version", "state"])
    publish_to_session(session.pk, event(kind, version=row.version, at=iso(now), data=data))
    _record_floor_facts(session, before["speaker"], row.state["speaker"])


def _record_floor_facts(
    session: Session, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> None:
    before_id = before["request"]["id"] if before else None
    after_id = after["request"]["id"] if after else None
    if before_id == after_id:
        return
    for speaker, kind in ((before, "floor_ended"), (after, "floor_granted")):
        if speaker is None:
            continue
        request = speaker["request"]
        user = User.objects.filter(pk=request["user_id"]).select_related("entity").first()
        if user is not None:
            record_attendance(
                user=user, session=session, kind=kind, attendance=request["attendance"]
            )


def _send_floor_changed_on_commit(session: Session, state: live.State) -> None:
    speaker = state["speaker"]
    kwargs = {
        "session_id": session.pk,
        "speaker_user_id": speaker["request"]["user_id"] if speaker else None,
        "unmuted_user_ids": unmuted_user_ids(session, state),
        "stage_user_ids": stage_user_ids(session, state),
    }
    transaction.on_commit(lambda: floor_changed.send(sender=Session, **kwargs))


Check = Callable[[Standing, live.State], list[Change]]


def _change(user: Any, session_id: int, version: int | None, check: Check) -> int:
    """Run ``check`` against the locked current state and append the events it returns.

    ``version`` (the state version the command was based on) is required for
    chair actions: a command built on an older state is refused, not applied
    twice. Returns the new version.
    """
    with transaction.atomic():
        session = get_session(session_id)
        row = _locked_live(session)
        standing = standing_for(user, session)
        if version is not None and version != row.version:
            raise Refusal(
                _("The session changed in the meantime; check the list and try again."), "stale"
            )
        changes = check(standing, row.state)
        for kind, data in changes:
            _append(session, row, user, kind, data)
        # Once per command, with the final state: giving the floor while
        # someone speaks ends their turn first, and nobody needs to hear (or
        # Janus to enforce) the silence in between. Registered after the
        # events' own publication, so the floor events reach the clients
        # before Janus is moderated.
        if any(kind in _AUDIO_KINDS for kind, _data in changes):
            _send_floor_changed_on_commit(session, row.state)
        return row.version


def do_record(user: Any, session_id: int, check: Check) -> int:
    """Append the events ``check`` returns, as a floor command does: for the other apps
    whose events the session's state keeps (the document on screen, ``documents.screen``).
    ``check(standing, state)`` refuses or returns the changes; the new version comes back."""
    return _change(user, session_id, None, check)


def _require(condition: bool, message: str, code: str = "forbidden") -> None:
    if not condition:
        raise PermissionRefusal(message, code)


def _require_presiding(standing: Standing, state: live.State) -> None:
    _require(
        standing.presides(state),
        _("Only the chair, or a vice-chair acting as chair, may do this."),
    )


def _require_open(state: live.State) -> None:
    if state["status"] != "open":
        raise Refusal(_("The session is not open."), "not_open")


def _find_request(state: live.State, request_id: int) -> dict[str, Any]:
    for item in state["queue"]:
        if item["id"] == request_id:
            return dict(item)
    raise Refusal(_("This request is no longer on the speakers' list."), "not_listed")


def _new_request(
    session: Session, standing: Standing, kind: str, added_by: int | None
) -> dict[str, Any]:
    last = SessionEvent.objects.filter(session=session).order_by("-seq").first()
    return {
        # The sequence number of the event that lists it: unique in the session.
        "id": (last.seq if last else 0) + 1,
        "user_id": standing.user_id,
        "name": standing.name,
        "entity": standing.entity.name if standing.entity else "",
        "kind": kind,
        "attendance": standing.attendance,
        "requested_at": iso(),
        "added_by": added_by,
    }


def _check_listable(standing: Standing, state: live.State, kind: str) -> None:
    """Whether ``standing``'s person may be put on the list for ``kind``."""
    if kind not in REQUEST_KINDS:
        raise Refusal(_("Unknown kind of request."), "invalid")
    if state["status"] == "closed":
        raise Refusal(_("The session is closed."), "closed")
    _require(
        standing.may_speak(),
        _("Your participation in this session does not include taking the floor."),
    )
    if kind == "contribution":
        _require(
            standing.may_contribute(),
            _("Remote participants may not introduce contributions in this session."),
        )
    if any(item["user_id"] == standing.user_id and item["kind"] == kind for item in state["queue"]):
        raise Refusal(_("This person is already on the list for this."), "already_listed")


def check_request_floor(session: Session, standing: Standing, kind: str) -> Check:
    def check(_standing: Standing, state: live.State) -> list[Change]:
        _check_listable(standing, state, kind)
        recent = SessionEvent.objects.filter(
            session=session,
            kind="floor.requested",
            actor_id=standing.user_id,
            at__gte=timezone.now() - REQUEST_WINDOW,
        ).count()
        if recent >= REQUEST_LIMIT:
            raise RateLimited(_("Too many requests for the floor; please wait a minute."))
        return [("floor.requested", {"request": _new_request(session, standing, kind, None)})]

    return check


def do_request_floor(user: Any, session_id: int, kind: str) -> int:
    """The user asks for the floor (or to introduce a contribution, or on a point of order)."""
    session = get_session(session_id)
    if isinstance(user, User) and pending_guideline(user, session.meeting) is not None:
        raise Refusal(
            _(
                "Confirm the meeting's guidelines for remote participation "
                "before asking for the floor."
            ),
            "guidelines_pending",
        )
    standing = standing_for(user, session)
    return _change(user, session_id, None, check_request_floor(session, standing, kind))


def do_add_speaker(user: Any, session_id: int, speaker_id: int, kind: str) -> int:
    """The chair or secretariat lists a participant (typically in the room) on their behalf."""
    session = get_session(session_id)
    speaker = User.objects.filter(pk=speaker_id).select_related("entity").first()
    if speaker is None:
        raise NotFoundRefusal(_("This person does not exist."))
    speaker_standing = standing_for(speaker, session)

    def check(standing: Standing, state: live.State) -> list[Change]:
        _require(standing.manages_list, _("Only the chair or the secretariat may add speakers."))
        _check_listable(speaker_standing, state, kind)
        request = _new_request(session, speaker_standing, kind, standing.user_id)
        return [("floor.requested", {"request": request})]

    return _change(user, session_id, None, check)


def do_withdraw_request(user: Any, session_id: int, request_id: int) -> int:
    """A speaker withdraws their request, or the chair or secretariat strikes it."""

    def check(standing: Standing, state: live.State) -> list[Change]:
        request = _find_request(state, request_id)
        _require(
            request["user_id"] == standing.user_id or standing.manages_list,
            _("You may only withdraw your own request."),
        )
        return [("floor.withdrawn", {"request_id": request_id})]

    return _change(user, session_id, None, check)


def do_reorder(user: Any, session_id: int, order: list[int], version: int) -> int:
    """The chair (or secretariat) puts the list in a new order; ``order`` lists every request."""

    def check(standing: Standing, state: live.State) -> list[Change]:
        _require(
            standing.manages_list, _("Only the chair or the secretariat may reorder the list.")
        )
        current = [item["id"] for item in state["queue"]]
        if sorted(order) != sorted(current) or len(set(order)) != len(order):
            raise Refusal(_("The new order must list every request exactly once."), "stale")
        return [("floor.reordered", {"order": order})] if order != current else []

    return _change(user, session_id, version, check)


def _give(state: live.State, request: dict[str, Any]) -> list[Change]:
    changes: list[Change] = []
    if state["speaker"] is not None:
        changes.append(("floor.ended", {"reason": "next"}))
    changes.append(("floor.given", {"request": request, "started_at": iso()}))
    return changes


def do_give_floor(user: Any, session_id: int, request_id: int, version: int) -> int:
    """The presiding officer gives the floor to a listed request (ending the current one)."""

    def check(standing: Standing, state: live.State) -> list[Change]:
        _require_presiding(standing, state)
        _require_open(state)
        return _give(state, _find_request(state, request_id))

    return _change(user, session_id, version, check)


def do_next_speaker(user: Any, session_id: int, version: int) -> int:
    """The presiding officer gives the floor to the first on the list."""

    def check(standing: Standing, state: live.State) -> list[Change]:
        _require_presiding(standing, state)
        _require_open(state)
        if not state["queue"]:
            raise Refusal(_("The speakers' list is empty."), "empty_list")
        return _give(state, dict(state["queue"][0]))

    return _change(user, session_id, version, check)


def do_end_floor(user: Any, session_id: int, version: int) -> int:
    """The presiding officer withdraws the floor, or the speaker yields it."""

    def check(standing: Standing, state: live.State) -> list[Change]:
        speaker = state["speaker"]
        if speaker is None:
            raise Refusal(_("Nobody has the floor."), "no_speaker")
        yields = speaker["request"]["user_id"] == standing.user_id
        if not yields:
            _require_presiding(standing, state)
        return [("floor.ended", {"reason": "yielded" if yields else "withdrawn"})]

    return _change(user, session_id, version, check)


def do_mute(user: Any, session_id: int, muted: bool, version: int) -> int:
    """Mute (or unmute) the speaker's microphone without taking the floor away."""

    def check(standing: Standing, state: live.State) -> list[Change]:
        _require(
            standing.presides(state) or standing.may_mute,
            _("Only the chair or a room operator may mute the speaker."),
        )
        speaker = state["speaker"]
        if speaker is None:
            raise Refusal(_("Nobody has the floor."), "no_speaker")
        if speaker["muted"] == muted:
            return []
        return [("floor.muted" if muted else "floor.unmuted", {})]

    return _change(user, session_id, version, check)


def do_set_limit(user: Any, session_id: int, seconds: int, version: int) -> int:
    """Set the speaking-time limit (0: no limit); it applies to the current speaker too."""

    def check(standing: Standing, state: live.State) -> list[Change]:
        _require_presiding(standing, state)
        if not 0 <= seconds <= MAX_LIMIT_S:
            raise Refusal(
                _("The limit must be between 0 and %(max)d seconds.") % {"max": MAX_LIMIT_S},
                "invalid",
            )
        return [("floor.limit_set", {"seconds": seconds})]

    return _change(user, session_id, version, check)


_STATUS_EVENTS = {
    "open": "session.opened",
    "suspend": "session.suspended",
    "close": "session.closed",
}
_STATUS_AFTER = {"open": "open", "suspend": "suspended", "close": "closed"}


def do_set_status(user: Any, session_id: int, action: str, version: int) -> int:
    """Open, suspend or close the session (suspending or closing ends the floor)."""

    def check(standing: Standing, state: live.State) -> list[Change]:
        _require_presiding(standing, state)
        if action not in _STATUS_EVENTS:
            raise Refusal(_("Unknown action."), "invalid")
        if state["status"] == _STATUS_AFTER[action]:
            raise Refusal(_("The session is already in this state."), "no_change")
        if action == "suspend" and state["status"] != "open":
            raise Refusal(_("The session is not open."), "not_open")
        changes: list[Change] = []
        if state["speaker"] is not None:
            changes.append(("floor.ended", {"reason": action}))
        changes.append((_STATUS_EVENTS[action], {}))
        return changes

    return _change(user, session_id, version, check)


def do_assign_chair(user: Any, session_id: int, presiding_id: int | None, version: int) -> int:
    """The chair hands the chair to a vice-chair (or takes it back with ``None``)."""
    session = get_session(session_id)

    def check(standing: Standing, state: live.State) -> list[Change]:
        _require(
            Participation.Role.CHAIR in standing.roles or standing.is_secretariat_staff,
            _("Only the chair may hand over the chair."),
        )
        if (
            presiding_id is not None
            and not Participation.objects.filter(
                meeting_id=session.meeting_id,
                user_id=presiding_id,
                role=Participation.Role.VICE_CHAIR,
            ).exists()
        ):
            raise Refusal(_("This person is not a vice-chair of the meeting."), "invalid")
        if state["presiding"] == presiding_id:
            return []
        return [("chair.assigned", {"user_id": presiding_id})]

    return _change(user, session_id, version, check)
