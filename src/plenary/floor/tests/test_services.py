"""Every transition of the live session and every right, through the services."""

from __future__ import annotations

from typing import Any

import pytest

from plenary.core.errors import PermissionRefusal, Refusal
from plenary.floor import services
from plenary.floor.models import LiveSession, SessionEvent
from plenary.floor.tests.factories import Cast, another_delegate, cast
from plenary.guidance.models import MeetingGuidance
from plenary.guidance.services import do_acknowledge
from plenary.guidance.tests.factories import GuidelineFactory
from plenary.live.models import AttendanceRecord
from plenary.live.signals import floor_changed
from plenary.meetings.models import RemoteRight

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> Cast:
    return cast()


def state(c: Cast) -> dict[str, Any]:
    return services.current_state(c.session.pk)[1]


def version(c: Cast) -> int:
    return services.current_state(c.session.pk)[0]


def queue_users(c: Cast) -> list[int]:
    return [item["user_id"] for item in state(c)["queue"]]


def open_session(c: Cast) -> None:
    services.do_set_status(c.chair, c.session.pk, "open", version(c))


def request(c: Cast, user: Any, kind: str = "speak") -> int:
    services.do_request_floor(user, c.session.pk, kind)
    return int(state(c)["queue"][-1]["id"]) if kind in {"speak", "contribution"} else 0


def listed_id(c: Cast, user: Any) -> int:
    return next(item["id"] for item in state(c)["queue"] if item["user_id"] == user.pk)


# --- The speakers' list ---------------------------------------------------------


def test_a_delegate_may_inscribe_before_the_session_opens(c: Cast) -> None:
    request(c, c.delegate)
    assert state(c)["status"] == "scheduled"
    assert queue_users(c) == [c.delegate.pk]
    assert state(c)["queue"][0]["attendance"] == "remote"


def test_an_observer_cannot_request_the_floor(c: Cast) -> None:
    with pytest.raises(PermissionRefusal):
        services.do_request_floor(c.observer, c.session.pk, "speak")
    assert state(c)["queue"] == []


def test_a_room_operator_cannot_request_the_floor(c: Cast) -> None:
    with pytest.raises(PermissionRefusal):
        services.do_request_floor(c.operator, c.session.pk, "speak")


def test_remote_delegates_only_observe_where_the_session_says_so() -> None:
    c = cast(RemoteRight.OBSERVE)
    with pytest.raises(PermissionRefusal):
        services.do_request_floor(c.delegate, c.session.pk, "speak")
    request(c, c.onsite)
    assert queue_users(c) == [c.onsite.pk]


def test_a_contribution_needs_the_contribute_right_when_remote() -> None:
    c = cast(RemoteRight.SPEAK)
    with pytest.raises(PermissionRefusal):
        services.do_request_floor(c.delegate, c.session.pk, "contribution")
    request(c, c.delegate, "speak")
    request(c, c.onsite, "contribution")
    assert [i["kind"] for i in state(c)["queue"]] == ["speak", "contribution"]


def test_a_person_is_listed_once_per_kind(c: Cast) -> None:
    request(c, c.delegate)
    with pytest.raises(Refusal) as refused:
        services.do_request_floor(c.delegate, c.session.pk, "speak")
    assert refused.value.code == "already_listed"
    request(c, c.delegate, "point_of_order")
    assert len(state(c)["queue"]) == 2


def test_points_of_order_then_rights_of_reply_come_first(c: Cast) -> None:
    other = another_delegate(c.session)
    request(c, c.delegate)
    request(c, c.onsite, "right_of_reply")
    request(c, other, "point_of_order")
    request(c, c.delegate, "right_of_reply")
    kinds = [(i["user_id"], i["kind"]) for i in state(c)["queue"]]
    assert kinds == [
        (other.pk, "point_of_order"),
        (c.onsite.pk, "right_of_reply"),
        (c.delegate.pk, "right_of_reply"),
        (c.delegate.pk, "speak"),
    ]


def test_floor_requests_are_rate_limited_per_person(c: Cast) -> None:
    for _ in range(services.REQUEST_LIMIT):
        request(c, c.delegate)
        services.do_withdraw_request(c.delegate, c.session.pk, listed_id(c, c.delegate))
    with pytest.raises(Refusal) as refused:
        services.do_request_floor(c.delegate, c.session.pk, "speak")
    assert refused.value.code == "rate_limited"
    request(c, c.onsite)  # others are not affected


def test_a_closed_session_takes_no_requests(c: Cast) -> None:
    services.do_set_status(c.chair, c.session.pk, "close", version(c))
    with pytest.raises(Refusal) as refused:
        services.do_request_floor(c.delegate, c.session.pk, "speak")
    assert refused.value.code == "closed"


def test_a_delegate_withdraws_their_own_request_only(c: Cast) -> None:
    request(c, c.delegate)
    request(c, c.onsite)
    with pytest.raises(PermissionRefusal):
        services.do_withdraw_request(c.delegate, c.session.pk, listed_id(c, c.onsite))
    services.do_withdraw_request(c.delegate, c.session.pk, listed_id(c, c.delegate))
    assert queue_users(c) == [c.onsite.pk]


def test_the_secretariat_strikes_a_request(c: Cast) -> None:
    request(c, c.delegate)
    services.do_withdraw_request(c.secretariat, c.session.pk, listed_id(c, c.delegate))
    assert queue_users(c) == []


def test_withdrawing_a_request_no_longer_listed_is_refused(c: Cast) -> None:
    request(c, c.delegate)
    request_id = listed_id(c, c.delegate)
    services.do_withdraw_request(c.delegate, c.session.pk, request_id)
    with pytest.raises(Refusal) as refused:
        services.do_withdraw_request(c.delegate, c.session.pk, request_id)
    assert refused.value.code == "not_listed"


def test_the_chair_adds_a_delegate_in_the_room(c: Cast) -> None:
    services.do_add_speaker(c.chair, c.session.pk, c.onsite.pk, "speak")
    item = state(c)["queue"][0]
    assert (item["user_id"], item["added_by"], item["attendance"]) == (
        c.onsite.pk,
        c.chair.pk,
        "onsite",
    )
    assert SessionEvent.objects.get(seq=version(c), session=c.session).actor == c.chair


def test_a_delegate_cannot_add_someone_else(c: Cast) -> None:
    with pytest.raises(PermissionRefusal):
        services.do_add_speaker(c.delegate, c.session.pk, c.onsite.pk, "speak")


def test_the_chair_cannot_list_an_observer(c: Cast) -> None:
    with pytest.raises(PermissionRefusal):
        services.do_add_speaker(c.chair, c.session.pk, c.observer.pk, "speak")


def test_the_chair_reorders_the_list(c: Cast) -> None:
    request(c, c.delegate)
    request(c, c.onsite)
    order = [listed_id(c, c.onsite), listed_id(c, c.delegate)]
    services.do_reorder(c.chair, c.session.pk, order, version(c))
    assert queue_users(c) == [c.onsite.pk, c.delegate.pk]


def test_a_delegate_cannot_reorder(c: Cast) -> None:
    request(c, c.delegate)
    with pytest.raises(PermissionRefusal):
        services.do_reorder(c.delegate, c.session.pk, [listed_id(c, c.delegate)], version(c))


def test_a_reorder_that_misses_a_request_is_refused(c: Cast) -> None:
    request(c, c.delegate)
    request(c, c.onsite)
    with pytest.raises(Refusal) as refused:
        services.do_reorder(c.chair, c.session.pk, [listed_id(c, c.onsite)], version(c))
    assert refused.value.code == "stale"
    assert queue_users(c) == [c.delegate.pk, c.onsite.pk]


# --- The floor --------------------------------------------------------------------


def test_the_chair_gives_the_floor(c: Cast) -> None:
    open_session(c)
    request(c, c.delegate)
    services.do_give_floor(c.chair, c.session.pk, listed_id(c, c.delegate), version(c))
    speaker = state(c)["speaker"]
    assert speaker["request"]["user_id"] == c.delegate.pk
    assert speaker["limit_s"] == 180
    assert speaker["muted"] is False
    assert state(c)["queue"] == []


def test_the_floor_is_not_given_before_the_session_opens(c: Cast) -> None:
    request(c, c.delegate)
    with pytest.raises(Refusal) as refused:
        services.do_give_floor(c.chair, c.session.pk, listed_id(c, c.delegate), version(c))
    assert refused.value.code == "not_open"


@pytest.mark.parametrize("who", ["delegate", "vice_chair", "secretariat", "operator"])
def test_only_the_presiding_officer_gives_the_floor(c: Cast, who: str) -> None:
    open_session(c)
    request(c, c.onsite)
    with pytest.raises(PermissionRefusal):
        services.do_give_floor(getattr(c, who), c.session.pk, listed_id(c, c.onsite), version(c))
    assert state(c)["speaker"] is None


def test_a_vice_chair_acting_as_chair_gives_the_floor(c: Cast) -> None:
    open_session(c)
    services.do_assign_chair(c.chair, c.session.pk, c.vice_chair.pk, version(c))
    request(c, c.delegate)
    services.do_give_floor(c.vice_chair, c.session.pk, listed_id(c, c.delegate), version(c))
    assert state(c)["speaker"]["request"]["user_id"] == c.delegate.pk
    services.do_assign_chair(c.chair, c.session.pk, None, version(c))
    with pytest.raises(PermissionRefusal):
        services.do_end_floor(c.vice_chair, c.session.pk, version(c))


def test_only_a_vice_chair_may_be_handed_the_chair(c: Cast) -> None:
    with pytest.raises(Refusal):
        services.do_assign_chair(c.chair, c.session.pk, c.delegate.pk, version(c))
    with pytest.raises(PermissionRefusal):
        services.do_assign_chair(c.vice_chair, c.session.pk, c.vice_chair.pk, version(c))


def test_a_stale_chair_command_is_refused_not_applied_twice(c: Cast) -> None:
    open_session(c)
    request(c, c.delegate)
    request(c, c.onsite)
    seen = version(c)
    services.do_next_speaker(c.chair, c.session.pk, seen)
    # A second chair (or a double click) acting on the same view of the list:
    with pytest.raises(Refusal) as refused:
        services.do_next_speaker(c.chair, c.session.pk, seen)
    assert refused.value.code == "stale"
    assert state(c)["speaker"]["request"]["user_id"] == c.delegate.pk
    assert queue_users(c) == [c.onsite.pk]


def test_giving_the_floor_to_a_request_that_left_is_refused(c: Cast) -> None:
    open_session(c)
    request(c, c.delegate)
    request_id = listed_id(c, c.delegate)
    services.do_withdraw_request(c.delegate, c.session.pk, request_id)
    with pytest.raises(Refusal) as refused:
        services.do_give_floor(c.chair, c.session.pk, request_id, version(c))
    assert refused.value.code == "not_listed"


def test_next_speaker_takes_the_head_of_the_list_and_ends_the_current(c: Cast) -> None:
    open_session(c)
    request(c, c.delegate)
    request(c, c.onsite)
    services.do_next_speaker(c.chair, c.session.pk, version(c))
    services.do_next_speaker(c.chair, c.session.pk, version(c))
    assert state(c)["speaker"]["request"]["user_id"] == c.onsite.pk
    events = SessionEvent.objects.filter(session=c.session).order_by("seq")
    kinds = list(events.values_list("kind", flat=True))
    assert kinds[-3:] == ["floor.given", "floor.ended", "floor.given"]


def test_next_speaker_on_an_empty_list_is_refused(c: Cast) -> None:
    open_session(c)
    with pytest.raises(Refusal) as refused:
        services.do_next_speaker(c.chair, c.session.pk, version(c))
    assert refused.value.code == "empty_list"


def test_the_chair_withdraws_the_floor(c: Cast) -> None:
    open_session(c)
    request(c, c.delegate)
    services.do_next_speaker(c.chair, c.session.pk, version(c))
    services.do_end_floor(c.chair, c.session.pk, version(c))
    assert state(c)["speaker"] is None


def test_the_speaker_yields_the_floor_but_others_cannot_end_it(c: Cast) -> None:
    open_session(c)
    request(c, c.delegate)
    services.do_next_speaker(c.chair, c.session.pk, version(c))
    with pytest.raises(PermissionRefusal):
        services.do_end_floor(c.onsite, c.session.pk, version(c))
    services.do_end_floor(c.delegate, c.session.pk, version(c))
    assert state(c)["speaker"] is None


def test_ending_when_nobody_speaks_is_refused(c: Cast) -> None:
    open_session(c)
    with pytest.raises(Refusal) as refused:
        services.do_end_floor(c.chair, c.session.pk, version(c))
    assert refused.value.code == "no_speaker"


def test_a_room_operator_mutes_and_unmutes_the_speaker(c: Cast) -> None:
    open_session(c)
    request(c, c.delegate)
    services.do_next_speaker(c.chair, c.session.pk, version(c))
    services.do_mute(c.operator, c.session.pk, True, version(c))
    assert state(c)["speaker"]["muted"] is True
    services.do_mute(c.chair, c.session.pk, False, version(c))
    assert state(c)["speaker"]["muted"] is False


def test_a_delegate_cannot_mute(c: Cast) -> None:
    open_session(c)
    request(c, c.delegate)
    services.do_next_speaker(c.chair, c.session.pk, version(c))
    with pytest.raises(PermissionRefusal):
        services.do_mute(c.onsite, c.session.pk, True, version(c))


def test_the_speaking_limit_applies_to_the_current_speaker(c: Cast) -> None:
    open_session(c)
    request(c, c.delegate)
    services.do_next_speaker(c.chair, c.session.pk, version(c))
    services.do_set_limit(c.chair, c.session.pk, 120, version(c))
    assert (state(c)["limit_s"], state(c)["speaker"]["limit_s"]) == (120, 120)


def test_an_out_of_range_limit_is_refused(c: Cast) -> None:
    with pytest.raises(Refusal):
        services.do_set_limit(c.chair, c.session.pk, -5, version(c))
    assert state(c)["limit_s"] == 180


# --- The session -------------------------------------------------------------------


def test_suspending_ends_the_floor_and_keeps_the_list(c: Cast) -> None:
    open_session(c)
    request(c, c.delegate)
    request(c, c.onsite)
    services.do_next_speaker(c.chair, c.session.pk, version(c))
    services.do_set_status(c.chair, c.session.pk, "suspend", version(c))
    assert (state(c)["status"], state(c)["speaker"]) == ("suspended", None)
    assert queue_users(c) == [c.onsite.pk]
    open_session(c)
    assert state(c)["status"] == "open"


def test_closing_clears_the_list(c: Cast) -> None:
    open_session(c)
    request(c, c.delegate)
    services.do_set_status(c.chair, c.session.pk, "close", version(c))
    assert (state(c)["status"], state(c)["queue"]) == ("closed", [])


def test_suspending_a_session_that_is_not_open_is_refused(c: Cast) -> None:
    with pytest.raises(Refusal) as refused:
        services.do_set_status(c.chair, c.session.pk, "suspend", version(c))
    assert refused.value.code == "not_open"


def test_a_delegate_cannot_open_the_session(c: Cast) -> None:
    with pytest.raises(PermissionRefusal):
        services.do_set_status(c.delegate, c.session.pk, "open", version(c))


# --- Facts, signals, recovery -------------------------------------------------------


def test_floor_grants_and_ends_are_attendance_facts(c: Cast) -> None:
    open_session(c)
    request(c, c.delegate)
    services.do_next_speaker(c.chair, c.session.pk, version(c))
    services.do_end_floor(c.chair, c.session.pk, version(c))
    facts = AttendanceRecord.objects.filter(session=c.session, user=c.delegate)
    assert [f.kind for f in facts] == ["floor_granted", "floor_ended"]
    assert facts[0].attendance == "remote"
    assert c.delegate.entity is not None
    assert facts[0].entity_country == c.delegate.entity.country


def test_floor_changed_tells_who_may_be_heard_after_commit(
    c: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    received: list[dict[str, Any]] = []

    def receiver(**kwargs: Any) -> None:
        received.append(kwargs)

    floor_changed.connect(receiver)
    try:
        open_session(c)
        request(c, c.delegate)
        with django_capture_on_commit_callbacks(execute=True):
            services.do_next_speaker(c.chair, c.session.pk, version(c))
            assert received == []  # nothing before the commit
            services.do_mute(c.chair, c.session.pk, True, version(c))
    finally:
        floor_changed.disconnect(receiver)
    given, muted = received[-2], received[-1]
    assert given["speaker_user_id"] == c.delegate.pk
    assert given["unmuted_user_ids"] == {c.chair.pk, c.operator.pk, c.delegate.pk}
    assert muted["unmuted_user_ids"] == {c.chair.pk, c.operator.pk}
    # The stage: the floor holder's camera alone, and no camera for a muted one.
    assert given["stage_user_ids"] == {c.delegate.pk}
    assert muted["stage_user_ids"] == set()


def test_giving_the_floor_over_a_speaker_moderates_once_with_the_final_state(
    c: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    open_session(c)
    request(c, c.delegate)
    request(c, c.onsite)
    services.do_next_speaker(c.chair, c.session.pk, version(c))
    received: list[dict[str, Any]] = []

    def receiver(**kwargs: Any) -> None:
        received.append(kwargs)

    floor_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.do_next_speaker(c.chair, c.session.pk, version(c))  # ends, then gives
    finally:
        floor_changed.disconnect(receiver)
    assert [r["speaker_user_id"] for r in received] == [c.onsite.pk]


def test_the_state_rebuilt_from_the_log_equals_the_live_state(c: Cast) -> None:
    open_session(c)
    request(c, c.delegate)
    request(c, c.onsite)
    request(c, another_delegate(c.session), "point_of_order")
    services.do_next_speaker(c.chair, c.session.pk, version(c))
    services.do_set_limit(c.chair, c.session.pk, 90, version(c))
    services.do_mute(c.chair, c.session.pk, True, version(c))
    before = services.current_state(c.session.pk)
    assert services.rebuild_state(c.session.pk) == before


def test_a_lost_live_state_comes_back_from_the_log(c: Cast) -> None:
    open_session(c)
    request(c, c.delegate)
    services.do_next_speaker(c.chair, c.session.pk, version(c))
    request(c, c.onsite)
    before = services.current_state(c.session.pk)
    LiveSession.objects.filter(session=c.session).update(version=1, state={})  # an old backup
    services.do_request_floor(c.delegate, c.session.pk, "point_of_order")
    after_version, after = services.current_state(c.session.pk)
    assert after_version == before[0] + 1
    assert after["speaker"] == before[1]["speaker"]
    assert services.recover_session(c.session.pk) == (after_version, after)


def test_record_attendance_copies_the_entity_as_it_was(c: Cast) -> None:
    from plenary.live.attendance import record_attendance

    fact = record_attendance(
        user=c.delegate,
        session=c.session,
        kind="channel",
        attendance="remote",
        channel="fr",
        language="fr",
    )
    entity = c.delegate.entity
    assert entity is not None
    entity.country = "DE"
    entity.save()
    fact.refresh_from_db()
    assert (fact.entity_country, fact.entity_category, fact.meeting_id) == (
        "FR",
        "member_state",
        c.session.meeting_id,
    )
    with pytest.raises(ValueError, match="unknown attendance kind"):
        record_attendance(user=c.delegate, session=c.session, kind="nap", attendance="remote")


def test_a_delegate_confirms_required_guidelines_before_requesting_the_floor(c: Cast) -> None:
    guideline = GuidelineFactory.create(
        sector=c.session.meeting.sector, in_force_from=c.session.meeting.start_date
    )
    MeetingGuidance.objects.create(meeting=c.session.meeting, require_acknowledgement=True)

    with pytest.raises(Refusal, match="guidelines"):
        request(c, c.delegate)
    assert queue_users(c) == []

    do_acknowledge(c.delegate, guideline, c.session.meeting)
    request(c, c.delegate)
    assert queue_users(c) == [c.delegate.pk]


def test_an_anonymous_viewers_ping_is_answered_without_touching_the_database(
    django_assert_num_queries: Any,
) -> None:
    """Pings keep a participant's presence fresh; a webcast or room-screen viewer has
    none, so ten thousand viewers' keep-alives cost the database nothing."""
    from django.contrib.auth.models import AnonymousUser

    from plenary.live.commands import Ping, ping
    from plenary.live.protocol import Context

    ctx = Context(user=AnonymousUser(), session_id=1, channel_name="c", connection_id="x")
    with django_assert_num_queries(0):
        ping(ctx, Ping(v=1, type="ping", id="p"))
    assert [reply["type"] for reply in ctx.replies] == ["pong"]
