"""The room's chat: who writes to whom, who reads what, moderation, bad input."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plenary.accounts.tests.factories import EntityFactory
from plenary.core.audit import entries_for
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.core.tests.layer import IN_MEMORY, group_inbox
from plenary.floor.tests.factories import Cast, another_delegate, cast
from plenary.live.events import staff_group, user_group
from plenary.live.protocol import Context, dispatch
from plenary.live.standing import standing_for
from plenary.room import services
from plenary.room.models import ChatMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> Cast:
    return cast()


@pytest.fixture
def inbox(settings: Any) -> Any:
    """``inbox(group)``: a channel in ``group`` on an in-memory layer of the test's own;
    calling the result gives the events received since."""
    settings.CHANNEL_LAYERS = IN_MEMORY

    def join(group: str) -> Any:
        received = group_inbox(group)
        return lambda: [message["event"] for message in received()]

    return join


def ctx(c: Cast, user: Any) -> Context:
    return Context(user=user, session_id=c.session.pk, channel_name="test!x", connection_id="x")


def read(c: Cast, user: Any) -> list[str]:
    return [m["text"] for m in services.history(standing_for(user, c.session), c.session)]


def test_a_public_message_reaches_the_chat_group_after_commit(
    c: Cast, inbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    chat = inbox(services.chat_group(c.session.pk))
    with django_capture_on_commit_callbacks(execute=True):
        services.do_send(c.delegate, c.session, "everyone", "  Good morning  ")
        assert chat() == []
    [message] = chat()
    assert message["type"] == "chat.message"
    assert (message["message"]["text"], message["message"]["audience"]) == (
        "Good morning",
        "everyone",
    )
    assert read(c, c.observer) == ["Good morning"]


def test_a_message_to_the_secretariat_is_read_by_the_staff_and_its_author_only(
    c: Cast, inbox: Any, django_capture_on_commit_callbacks: Any
) -> None:
    staff, author = inbox(staff_group(c.session.pk)), inbox(user_group(c.session.pk, c.delegate.pk))
    with django_capture_on_commit_callbacks(execute=True):
        services.do_send(c.delegate, c.session, "secretariat", "The French channel is silent")
    assert [e["type"] for e in staff()] == ["chat.message"]
    assert [e["type"] for e in author()] == ["chat.message"]
    assert read(c, c.chair) == read(c, c.delegate) == ["The French channel is silent"]
    assert read(c, c.observer) == []


def test_delegations_write_to_each_other_and_nobody_else_reads_it(c: Cast) -> None:
    other = another_delegate(c.session)
    other.entity = EntityFactory.create(name="Kenya")
    other.save()
    from plenary.meetings.models import Participation

    Participation.objects.filter(user=other).update(entity=other.entity)
    services.do_send(
        c.delegate, c.session, "delegation", "Shall we co-sign?", to_entity_id=other.entity.pk
    )
    assert read(c, other) == ["Shall we co-sign?"]
    assert read(c, c.delegate) == ["Shall we co-sign?"]
    assert read(c, c.chair) == []


def test_the_chair_closes_the_public_chat_and_the_secretariat_stays_reachable(c: Cast) -> None:
    services.do_set_public(c.chair, c.session, False)
    with pytest.raises(Refusal, match="closed the public chat") as refused:
        services.do_send(c.delegate, c.session, "everyone", "Hello")
    assert refused.value.code == "chat_closed"
    services.do_send(c.delegate, c.session, "secretariat", "A question")
    services.do_send(c.chair, c.session, "everyone", "We resume at 15:00")  # the chair announces
    assert entries_for(c.session).filter(action="chat.closed").exists()


def test_only_the_chair_and_the_secretariat_moderate(c: Cast) -> None:
    message = services.do_send(c.delegate, c.session, "everyone", "Off topic")
    with pytest.raises(PermissionRefusal):
        services.do_hide(c.observer, c.session, message.pk)
    with pytest.raises(PermissionRefusal):
        services.do_set_public(c.delegate, c.session, False)
    services.do_hide(c.secretariat, c.session, message.pk)
    assert read(c, c.observer) == []
    assert read(c, c.delegate) == ["Off topic"]  # the author still sees it, marked hidden
    assert services.history(standing_for(c.chair, c.session), c.session)[0]["hidden"] is True
    assert entries_for(ChatMessage.objects.get()).filter(action="chat.hidden").exists()


def test_html_is_kept_as_text_and_limits_are_refused_with_a_clear_message(c: Cast) -> None:
    services.do_send(c.delegate, c.session, "everyone", "<script>alert(1)</script>")
    assert ChatMessage.objects.get().text == "<script>alert(1)</script>"  # shown as text
    for bad, code in (("   ", "invalid_chat"), ("x" * 1001, "invalid_chat")):
        with pytest.raises(Refusal) as refused:
            services.do_send(c.delegate, c.session, "everyone", bad)
        assert refused.value.code == code
    for n in range(services.SEND_LIMIT - 1):
        services.do_send(c.delegate, c.session, "everyone", f"m{n}")
    with pytest.raises(Refusal) as refused:
        services.do_send(c.delegate, c.session, "everyone", "one more")
    assert refused.value.code == "rate_limited"
    assert ChatMessage.objects.count() == services.SEND_LIMIT


def test_someone_outside_the_meeting_can_neither_read_nor_write(c: Cast) -> None:
    from plenary.accounts.tests.factories import DelegateFactory

    outsider = DelegateFactory.create()
    replies = dispatch(ctx(c, outsider), {"v": 1, "type": "chat.join", "id": "j"})
    assert (replies[0]["type"], replies[0]["code"]) == ("error", "forbidden")
    replies = dispatch(ctx(c, outsider), {"v": 1, "type": "chat.send", "text": "hi", "id": "s"})
    assert (replies[0]["type"], replies[0]["code"]) == ("error", "forbidden")
    assert not ChatMessage.objects.exists()


def test_join_answers_with_the_history_and_the_policy(c: Cast) -> None:
    services.do_send(c.delegate, c.session, "everyone", "First")
    [reply] = dispatch(ctx(c, c.observer), {"v": 1, "type": "chat.join", "id": "j"})
    assert reply["type"] == "chat.history" and reply["ref"] == "j"
    assert [m["text"] for m in reply["messages"]] == ["First"]
    assert (reply["public_open"], reply["moderator"]) == (True, False)


def test_a_message_to_a_delegation_outside_the_meeting_is_refused(c: Cast) -> None:
    stranger = EntityFactory.create()
    with pytest.raises(Refusal) as refused:
        services.do_send(c.delegate, c.session, "delegation", "hi", to_entity_id=stranger.pk)
    assert refused.value.field == "to"


def test_a_reader_gets_a_machine_translation_where_a_model_serves_the_pair(
    c: Cast, settings: Any, tmp_path: Any
) -> None:
    """Through the speech plane's MT path with its tiny test model (meaningless output:
    the routing is what is checked)."""
    from plenary.speech.tests.tinymt import build_tiny_mt_model

    build_tiny_mt_model(tmp_path, pairs=[("en", "fr")])
    settings.SPEECH_MODEL_DIRS = [str(tmp_path)]
    assert services.translatable_into("fr") == ["en"]
    message = services.do_send(
        c.delegate, c.session, "everyone", "Thank you, Chair.", language="en"
    )
    reader = Context(
        user=c.observer,
        session_id=c.session.pk,
        channel_name="t!x",
        connection_id="y",
        language="fr",
    )
    [reply] = dispatch(
        reader, {"v": 1, "type": "chat.translate", "message_id": message.pk, "id": "t"}
    )
    assert (reply["type"], reply["language"], reply["id"]) == ("chat.translation", "fr", message.pk)
    assert isinstance(reply["text"], str) and reply["text"]
    reader.language, reader.replies = "es", []  # no en -> es model here
    [refused] = dispatch(reader, {"v": 1, "type": "chat.translate", "message_id": message.pk})
    assert (refused["type"], refused["code"]) == ("error", "no_translation")
    reader.language, reader.replies = "en", []  # its own language: the original
    [same] = dispatch(reader, {"v": 1, "type": "chat.translate", "message_id": message.pk})
    assert same["text"] == "Thank you, Chair."


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    fields=st.dictionaries(
        st.sampled_from(["audience", "text", "to", "extra"]),
        st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=40)),
    )
)
def test_any_chat_send_is_answered_with_a_reply_or_an_error_and_stores_at_most_one(
    c: Cast, fields: dict[str, Any]
) -> None:
    before = ChatMessage.objects.count()
    replies = dispatch(ctx(c, c.delegate), {"v": 1, "type": "chat.send", "id": "f", **fields})
    assert len(replies) == 1 and replies[0]["type"] in {"chat.sent", "error"}
    assert replies[0].get("code") != "internal"
    assert ChatMessage.objects.count() - before == (1 if replies[0]["type"] == "chat.sent" else 0)
