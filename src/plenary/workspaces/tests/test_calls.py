"""Calls from a topic: an ad-hoc meeting of the room, who starts, joins and ends it, and
the summary posted back."""

from __future__ import annotations

import datetime as dt

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
