"""The workspace services: access, posting, mentions, edits, reactions, moderation, reading."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation

from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.workspaces.models import (
    Group,
    Message,
    MessageRevision,
    Notification,
    Reaction,
    ReadMarker,
    Subscription,
    Topic,
)
from plenary.workspaces.services import access, reading, setup
from plenary.workspaces.services import messages as posting
from plenary.workspaces.tests.helpers import Cast, make_cast

pytestmark = pytest.mark.django_db


def start(cast: Cast, who: object, text: str = "Hello", title: str = "Q4 work plan") -> Message:
    return posting.do_start_topic(who, cast.place(who), cast.general.pk, title, text)


def test_members_by_entity_by_role_and_nobody_else(cast: Cast) -> None:
    assert cast.place(cast.french).is_member
    assert cast.place(cast.brazilian).is_member
    assert cast.place(cast.moderator).is_moderator
    assert cast.place(cast.organiser).role == "staff"
    assert cast.place(cast.secretariat).is_moderator  # secretariat moderates everywhere
    outsider = cast.place(cast.outsider)
    assert not outsider.is_member and not outsider.may_read and not outsider.may_join
    people = set(access.members(cast.workspace).values_list("username", flat=True))
    assert people == {"organiser", "mod", "jean", "marie", "ana"}


def test_a_members_only_workspace_does_not_exist_for_others(cast: Cast) -> None:
    with pytest.raises(NotFoundRefusal):
        access.get_place(cast.outsider, slug="sg17")
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(NotFoundRefusal):
        access.get_place(AnonymousUser(), slug="sg17")
    assert list(access.readable_workspaces(cast.outsider)) == []
    assert list(access.readable_workspaces(cast.french)) == [cast.workspace]


def test_an_accredited_workspace_is_read_and_joined_by_the_accredited_only(db: None) -> None:
    cast = make_cast(visibility="accredited")
    from django.contrib.auth.models import AnonymousUser

    from plenary.accounts.tests.factories import UserFactory

    assert cast.place(cast.outsider).may_read and cast.place(cast.outsider).may_join
    with pytest.raises(PermissionRefusal):
        start(cast, cast.outsider)
    setup.do_join(cast.outsider, cast.place(cast.outsider))
    assert cast.place(cast.outsider).is_member
    start(cast, cast.outsider)
    nobody = UserFactory(username="nobody")  # signed in, but no entity, role or meeting
    assert not cast.place(nobody).may_read
    assert not cast.place(AnonymousUser()).may_read


def test_a_topic_starts_with_its_first_message_and_its_name_is_its_identity(cast: Cast) -> None:
    first = start(cast, cast.french, "Draft text attached", "Q4 work plan")
    again = start(cast, cast.brazilian, "Comments", "  q4   WORK plan ")
    assert first.topic_id == again.topic_id
    topic = Topic.objects.get()
    assert topic.message_count == 2 and topic.last_message_id == again.pk
    assert topic.title == "Q4 work plan"


def test_a_non_member_posts_nothing_and_creates_no_topic(cast: Cast) -> None:
    with pytest.raises(PermissionRefusal):
        start(cast, cast.outsider)
    assert not Topic.objects.exists() and not Message.objects.exists()


def test_scripts_and_html_are_sanitised_and_nothing_loads_from_elsewhere(cast: Cast) -> None:
    message = start(
        cast,
        cast.french,
        "<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) "
        "![pixel](https://tracker.example/p.png) **bold** [ITU](https://www.itu.int)",
    )
    html = message.html
    assert (
        "<script" not in html
        and "<img" not in html
        and "onerror=" not in html.replace("onerror=alert(1)&gt;", "")
    )
    assert 'href="javascript' not in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://www.itu.int" rel="nofollow noopener noreferrer"' in html
    assert message.text.startswith("<script>")  # the source is kept as typed


def test_empty_and_oversized_messages_and_titles_are_refused(cast: Cast) -> None:
    for text in ["", "   \n ", "x" * 10_001]:
        with pytest.raises(Refusal) as refused:
            start(cast, cast.french, text)
        assert refused.value.field == "text"
    with pytest.raises(Refusal) as refused:
        start(cast, cast.french, "ok", "t" * 121)
    assert refused.value.field == "title"
    assert not Topic.objects.exists()


@override_settings(WORKSPACE_MESSAGES_PER_MINUTE=3)
def test_a_flood_is_refused_per_person_and_others_still_post(cast: Cast) -> None:
    topic = start(cast, cast.french).topic
    for n in range(2):
        posting.do_post(cast.french, cast.place(cast.french), topic.pk, f"more {n}")
    with pytest.raises(Refusal) as refused:
        posting.do_post(cast.french, cast.place(cast.french), topic.pk, "one too many")
    assert refused.value.code == "rate_limited"
    posting.do_post(cast.brazilian, cast.place(cast.brazilian), topic.pk, "I can still write")
    assert Message.objects.filter(author=cast.french).count() == 3


def test_mentions_of_people_entities_and_groups_notify_each_person_once(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    group = Group.objects.create(workspace=cast.workspace, handle="rapporteurs", name="Rapporteurs")
    group.members.set([cast.moderator, cast.brazilian])
    with django_capture_on_commit_callbacks(execute=True):
        message = start(
            cast,
            cast.organiser,
            "@France and @**Jean Dupont** and @jean, please see; @rapporteurs too. @nobody-here",
        )
    notices = dict(Notification.objects.values_list("user__username", "reason"))
    assert notices == {"jean": "mention", "marie": "mention", "mod": "mention", "ana": "mention"}
    assert message.html.count('class="mention"') == 5
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ana@example.org", "jean@example.org", "marie@example.org", "mod@example.org",
    ]  # fmt: skip


def test_mentioning_a_group_one_may_not_mention_is_refused_and_posts_nothing(cast: Cast) -> None:
    Group.objects.create(
        workspace=cast.workspace, handle="heads", name="Heads", moderators_only=True
    )
    for text in ["@heads see this", "@all see this"]:
        with pytest.raises(PermissionRefusal):
            start(cast, cast.french, text)
    assert not Message.objects.exists() and not Notification.objects.exists()
    start(cast, cast.moderator, "@all see this")  # a moderator may
    assert Notification.objects.count() == 4  # every member but the author


def test_outsiders_are_not_reached_by_a_mention(cast: Cast) -> None:
    start(cast, cast.french, "@wanjiru @KEN what do you think?")
    assert not Notification.objects.exists()


def test_replies_and_followed_topics_notify_and_muting_silences(cast: Cast) -> None:
    first = start(cast, cast.french, "Opening")  # the author follows the topic by writing in it
    place = cast.place(cast.brazilian)
    reading.do_set_level(
        cast.moderator, cast.place(cast.moderator), "follow", topic_id=first.topic_id
    )
    reading.do_set_level(
        cast.french_too, cast.place(cast.french_too), "follow", channel_id=cast.general.pk
    )
    reading.do_set_level(
        cast.french_too, cast.place(cast.french_too), "mute", topic_id=first.topic_id
    )
    posting.do_post(cast.brazilian, place, first.topic_id, "An answer", reply_to_id=first.pk)
    notices = dict(Notification.objects.values_list("user__username", "reason"))
    assert notices == {"jean": "reply", "mod": "followed"}


def test_an_edit_keeps_the_earlier_text_and_notifies_only_new_mentions(cast: Cast) -> None:
    message = start(cast, cast.french, "Thanks @ana")
    posting.do_edit(cast.french, cast.place(cast.french), message.pk, "Thanks @ana and @marie")
    message.refresh_from_db()
    assert message.text == "Thanks @ana and @marie" and message.edited_at is not None
    assert list(MessageRevision.objects.values_list("text", flat=True)) == ["Thanks @ana"]
    assert Notification.objects.filter(user=cast.brazilian).count() == 1
    assert Notification.objects.filter(user=cast.french_too).count() == 1
    with pytest.raises(PermissionRefusal):
        posting.do_edit(cast.brazilian, cast.place(cast.brazilian), message.pk, "mine now")
    with pytest.raises(PermissionRefusal):  # moderators hide; they do not rewrite
        posting.do_edit(cast.moderator, cast.place(cast.moderator), message.pk, "rewritten")


def test_hiding_is_for_moderators_audited_and_hides_from_others(cast: Cast) -> None:
    from plenary.core.models import AuditEntry
    from plenary.workspaces import queries

    message = start(cast, cast.french, "Off topic")
    with pytest.raises(PermissionRefusal):
        posting.do_hide(cast.brazilian, cast.place(cast.brazilian), message.pk)
    posting.do_hide(cast.moderator, cast.place(cast.moderator), message.pk)
    assert AuditEntry.objects.filter(action="workspace.hidden").count() == 1
    topic = message.topic
    assert queries.visible_messages(cast.place(cast.brazilian), topic).count() == 0
    assert queries.visible_messages(cast.place(cast.french), topic).count() == 1  # the author
    assert queries.messages(cast.place(cast.moderator), topic).messages[0]["hidden"]
    with pytest.raises(NotFoundRefusal):
        posting.get_message(cast.place(cast.brazilian), message.pk)


def test_a_locked_topic_takes_messages_from_moderators_only(cast: Cast) -> None:
    topic = start(cast, cast.french).topic
    with pytest.raises(PermissionRefusal):
        posting.do_lock(cast.french, cast.place(cast.french), topic.pk, True)
    posting.do_lock(cast.moderator, cast.place(cast.moderator), topic.pk, True)
    with pytest.raises(PermissionRefusal):
        posting.do_post(cast.brazilian, cast.place(cast.brazilian), topic.pk, "late")
    posting.do_post(cast.moderator, cast.place(cast.moderator), topic.pk, "Closed; see the report")


def test_reactions_are_a_fixed_set_once_per_person(cast: Cast) -> None:
    message = start(cast, cast.french)
    place = cast.place(cast.brazilian)
    posting.do_react(cast.brazilian, place, message.pk, "👍", True)
    posting.do_react(cast.brazilian, place, message.pk, "👍", True)
    assert Reaction.objects.count() == 1
    with pytest.raises(Refusal):
        posting.do_react(cast.brazilian, place, message.pk, "<b>", True)
    posting.do_react(cast.brazilian, place, message.pk, "👍", False)
    assert not Reaction.objects.exists()


def test_read_markers_move_forward_only_and_read_the_notices(cast: Cast) -> None:
    first = start(cast, cast.french, "@ana first")
    second = posting.do_post(cast.french, cast.place(cast.french), first.topic_id, "@ana second")
    place = cast.place(cast.brazilian)
    assert reading.do_mark_read(cast.brazilian, place, first.topic_id, first.pk) == first.pk
    assert Notification.objects.filter(user=cast.brazilian, read_at__isnull=True).count() == 1
    assert reading.do_mark_read(cast.brazilian, place, first.topic_id) == second.pk
    assert reading.do_mark_read(cast.brazilian, place, first.topic_id, first.pk) == second.pk
    assert ReadMarker.objects.get(user=cast.brazilian).last_read_id == second.pk
    assert not Notification.objects.filter(user=cast.brazilian, read_at__isnull=True).exists()


def test_the_mention_email_is_in_the_recipients_language(
    cast: Cast, django_capture_on_commit_callbacks: Any
) -> None:
    cast.brazilian.preferred_language = "fr"
    cast.brazilian.save()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        start(cast, cast.french, "@ana regarde ceci")
    (sent,) = mail.outbox
    assert (
        sent.subject
        == "Jean Dupont vous a mentionné dans « Q4 work plan » (Commission d'études 17)"
    )
    assert "/workspaces/sg17/c/general/" in sent.body


def test_workspaces_are_created_by_organisers_only_with_a_free_address(cast: Cast) -> None:
    with pytest.raises(PermissionRefusal):
        setup.do_create_workspace(cast.french, slug="x", names={"en": "X"}, kind="focus_group")
    with pytest.raises(Refusal):
        setup.do_create_workspace(
            cast.organiser, slug="sg17", names={"en": "X"}, kind="focus_group"
        )
    with pytest.raises(Refusal):
        setup.do_create_workspace(cast.organiser, slug="new", names={"en": "X"}, kind="focus_group")
    assert Subscription.objects.count() == 0
