"""Calls from a topic: an ad-hoc meeting of the room, who starts, joins and ends it, and
the summary posted back."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone, translation

from plenary.core.errors import NotFoundRefusal, PermissionRefusal
from plenary.floor.services import current_state
from plenary.live.attendance import record_attendance
from plenary.live.models import AttendanceRecord, Presence
from plenary.live.standing import display_name
from plenary.meetings.models import Meeting, Participation
from plenary.workspaces import queries
from plenary.workspaces.models import Call, Message, Topic, Workspace
from plenary.workspaces.services import calls
from plenary.workspaces.services import messages as posting
from plenary.workspaces.tests.helpers import Cast, make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic(cast: Cast) -> Topic:
    place = cast.place(cast.french)
    return posting.do_start_topic(cast.french, place, cast.general.pk, "X.1234", "Hello").topic


def roles(call: Call) -> set[tuple[str, str]]:
    return set(
        Participation.objects.filter(meeting_id=call.session.meeting_id).values_list(
            "user__username", "role"
        )
    )


def test_a_call_is_a_meeting_of_its_own_chaired_by_its_starter_and_open(
    cast: Cast, topic: Topic
) -> None:
    call = calls.do_start_call(cast.french, cast.place(cast.french), topic.pk, language="fr")
    meeting = call.session.meeting
    assert meeting.meeting_type == Meeting.Type.CALL and meeting.status == Meeting.Status.DRAFT
    assert meeting.working_language == "fr" and meeting.titles == {"fr": "X.1234"}
    assert roles(call) == {("jean", "chair")}
    assert current_state(call.session_id)[1]["status"] == "open"
    assert queries.open_call(topic) == call
    # A second start gives back the call that is on.
    again = calls.do_start_call(cast.brazilian, cast.place(cast.brazilian), topic.pk)
    assert again == call and Call.objects.count() == 1


def test_members_join_as_delegates_and_nobody_else_does(db: None) -> None:
    cast = make_cast(visibility=Workspace.Visibility.PUBLIC)
    place = cast.place(cast.french)
    topic = posting.do_start_topic(cast.french, place, cast.general.pk, "Plan", "Hi").topic
    call = calls.do_start_call(cast.french, place, topic.pk)
    calls.do_join_call(cast.brazilian, cast.place(cast.brazilian), call.pk)
    calls.do_join_call(cast.french, place, call.pk)  # its chair stays its chair
    assert roles(call) == {("jean", "chair"), ("ana", "delegate")}
    with pytest.raises(PermissionRefusal):  # reads the public workspace, is not a member
        calls.do_join_call(cast.outsider, cast.place(cast.outsider), call.pk)
    with pytest.raises(NotFoundRefusal):
        calls.do_join_call(cast.brazilian, cast.place(cast.brazilian), call.pk + 100)
    assert roles(call) == {("jean", "chair"), ("ana", "delegate")}


def test_a_small_call_hears_everyone_taking_part_and_a_bigger_one_is_chaired(
    cast: Cast, topic: Topic, django_capture_on_commit_callbacks: Any
) -> None:
    from plenary.accounts.tests.factories import DelegateFactory
    from plenary.floor import services as floor
    from plenary.media import services as media
    from plenary.media import video
    from plenary.media.rooms import FLOOR

    jean, ana = cast.french, cast.brazilian
    with django_capture_on_commit_callbacks(execute=True):
        call = calls.do_start_call(jean, cast.place(jean), topic.pk)
        calls.do_join_call(ana, cast.place(ana), call.pk)
    session_id = call.session_id
    # Ana is heard without the floor; the stage is one picture: the chair's camera.
    assert media.heard(session_id, FLOOR) == {jean.pk, ana.pk}
    assert video.on_stage(session_id) == {jean.pk}
    # Given the floor and muted by the chair, she is silent in the call too.
    with django_capture_on_commit_callbacks(execute=True):
        floor.do_request_floor(ana, session_id, "speak")
        floor.do_next_speaker(jean, session_id, current_state(session_id)[0])
    assert video.on_stage(session_id) == {ana.pk}
    with django_capture_on_commit_callbacks(execute=True):
        floor.do_mute(jean, session_id, True, current_state(session_id)[0])
    assert media.heard(session_id, FLOOR) == {jean.pk}
    with django_capture_on_commit_callbacks(execute=True):
        floor.do_end_floor(jean, session_id, current_state(session_id)[0])
    others = DelegateFactory.create_batch(floor.OPEN_MICROPHONES_UP_TO - 2, entity=cast.brazil)
    with django_capture_on_commit_callbacks(execute=True):
        for other in others:
            calls.do_join_call(other, cast.place(other), call.pk)
    assert len(media.heard(session_id, FLOOR)) == floor.OPEN_MICROPHONES_UP_TO
    # One more than that: the call is chaired, only its chair is heard until he gives the floor.
    late = DelegateFactory.create(entity=cast.france)
    with django_capture_on_commit_callbacks(execute=True):
        calls.do_join_call(late, cast.place(late), call.pk)
    assert media.heard(session_id, FLOOR) == {jean.pk}


def test_open_microphones_are_for_calls_only(db: None) -> None:
    from plenary.floor import services as floor
    from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory

    session = SessionFactory.create()
    ParticipationFactory.create(meeting=session.meeting, role=Participation.Role.DELEGATE)
    assert floor.open_microphones(session) == frozenset()


def test_ending_posts_who_took_part_and_the_transcript_then_the_call_is_over(
    cast: Cast, topic: Topic
) -> None:
    call = calls.do_start_call(cast.french, cast.place(cast.french), topic.pk)
    for person in (cast.french, cast.brazilian, cast.french):  # Jean reconnected once
        record_attendance(
            user=person, session=call.session, kind=AttendanceRecord.Kind.JOIN, attendance="remote"
        )
    with pytest.raises(PermissionRefusal):  # neither its starter nor a moderator
        calls.do_end_call(cast.brazilian, cast.place(cast.brazilian), call.pk)
    with translation.override("fr"):
        summary = calls.do_end_call(cast.french, cast.place(cast.french), call.pk, language="fr")
    assert f"(2) : Jean Dupont, {display_name(cast.brazilian)}." in summary.text
    assert "(2)" in summary.text and f"/sessions/{call.session_id}/transcript/" in summary.html
    assert summary.text.startswith("Appel du ")
    call.refresh_from_db()
    assert call.ended_at is not None and call.summary == summary
    assert current_state(call.session_id)[1]["status"] == "closed"
    assert queries.open_call(topic) is None
    with pytest.raises(PermissionRefusal):
        calls.do_join_call(cast.brazilian, cast.place(cast.brazilian), call.pk)
    with pytest.raises(PermissionRefusal):
        calls.do_end_call(cast.french, cast.place(cast.french), call.pk)
    # The topic takes a new call.
    assert calls.do_start_call(cast.brazilian, cast.place(cast.brazilian), topic.pk) != call


def test_a_moderator_ends_a_call_someone_else_started(cast: Cast, topic: Topic) -> None:
    call = calls.do_start_call(cast.french, cast.place(cast.french), topic.pk)
    summary = calls.do_end_call(cast.moderator, cast.place(cast.moderator), call.pk)
    assert summary.author == cast.moderator and "Nobody joined the call." in summary.text
    assert current_state(call.session_id)[1]["status"] == "closed"


def test_a_locked_topic_takes_no_call_but_from_a_moderator(cast: Cast, topic: Topic) -> None:
    posting.do_lock(cast.moderator, cast.place(cast.moderator), topic.pk, locked=True)
    with pytest.raises(PermissionRefusal):
        calls.do_start_call(cast.french, cast.place(cast.french), topic.pk)
    assert calls.do_start_call(cast.moderator, cast.place(cast.moderator), topic.pk)


def test_the_call_pages_for_each_role(client: Client, cast: Cast, topic: Topic) -> None:
    base = "/workspaces/sg17/"
    start = f"{base}c/general/{topic.pk}/call/"
    assert client.post(start).status_code == 302 and not Call.objects.exists()  # sign in
    client.force_login(cast.outsider)
    assert client.post(start).status_code == 404
    client.force_login(cast.french)
    started = client.post(start)
    call = Call.objects.get()
    assert started["Location"] == f"/live/sessions/{call.session_id}/"
    page = client.get(f"{base}c/general/{topic.pk}/").content.decode()
    assert f'action="{base}calls/{call.pk}/join/"' in page
    client.force_login(cast.brazilian)
    joined = client.post(f"{base}calls/{call.pk}/join/")
    assert joined["Location"] == f"/live/sessions/{call.session_id}/"
    assert client.get(joined["Location"]).status_code == 200  # the room lets her in
    assert client.post(f"{base}calls/{call.pk}/end/").status_code == 403
    client.force_login(cast.outsider)
    assert client.post(f"{base}calls/{call.pk}/join/").status_code == 404
    client.force_login(cast.french)
    ended = client.post(f"{base}calls/{call.pk}/end/", HTTP_ACCEPT="application/json")
    assert ended.json()["ok"] and Message.objects.filter(call_summary=call).exists()


def test_a_call_left_empty_or_past_its_hours_ends_by_itself_with_its_summary(
    cast: Cast, topic: Topic
) -> None:
    call = calls.do_start_call(cast.french, cast.place(cast.french), topic.pk, language="fr")
    now = timezone.now()
    in_room = Presence.objects.create(
        session=call.session, user=cast.brazilian, connection="tab-1", attendance="remote",
        device_class="laptop",
    )  # fmt: skip
    later = now + calls.EMPTY_FOR + dt.timedelta(minutes=1)
    in_room.seen_at = later  # still pinging
    in_room.save()
    assert calls.end_idle_calls(later) == 0  # someone is in it
    in_room.delete()
    assert calls.end_idle_calls(now + dt.timedelta(minutes=1)) == 0  # empty, but not for long
    assert calls.end_idle_calls(later) == 1
    call.refresh_from_db()
    assert call.ended_at is not None and call.summary is not None
    assert call.summary.author == cast.french and call.summary.language == "fr"
    assert "personne n\u2019y était depuis 10 minutes" in call.summary.text
    assert current_state(call.session_id)[1]["status"] == "closed"
    assert calls.end_idle_calls(later) == 0  # once


def test_a_call_past_its_hours_ends_even_where_its_starter_may_no_longer_post(
    cast: Cast, topic: Topic
) -> None:
    call = calls.do_start_call(cast.french, cast.place(cast.french), topic.pk)
    Presence.objects.create(
        session=call.session, user=cast.brazilian, connection="tab-1", attendance="remote",
        device_class="laptop", seen_at=timezone.now() + calls.CALL_LENGTH,
    )  # fmt: skip
    posting.do_lock(cast.moderator, cast.place(cast.moderator), topic.pk, True)
    assert calls.end_idle_calls(timezone.now() + calls.CALL_LENGTH) == 1
    call.refresh_from_db()
    assert call.ended_at is not None and call.summary is None
    assert queries.open_call(topic) is None
