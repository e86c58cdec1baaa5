"""Who a new message reaches beyond the topic's readers: mentions, replies, followers.

Mentions resolve, in order, to a group of the workspace (``@rapporteurs``),
``@all``, an entity by code or name (``@France``: its people who are
members), or a member by user name or full name (``@**Jean Dupont**``). A
name that matches nothing stays text. ``@all`` and groups marked so are for
moderators only: anyone else who uses them is refused and nothing is posted.

Each person gets at most one notice per message (a mention beats a reply,
which beats a followed topic), never for their own message, and none for a
followed topic or channel they muted; an immediate e-mail goes to whoever
was mentioned (``services.mail``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from plenary.accounts.models import Entity
from plenary.core.errors import PermissionRefusal
from plenary.core.events import publish
from plenary.live.events import event
from plenary.live.standing import display_name
from plenary.workspaces.events import person_group, unread_notices
from plenary.workspaces.models import Group, Message, Notification, Subscription
from plenary.workspaces.services.access import Place, members

EVERYONE = ("all", "everyone")
Reason = Notification.Reason


def resolve_mentions(place: Place, names: Iterable[str]) -> set[int]:
    """The members that ``names`` mention; ``PermissionRefusal`` for a mention the
    author may not make."""
    workspace = place.workspace
    people = members(workspace)
    reached: set[int] = set()
    for name in dict.fromkeys(names):  # each once, in order
        folded = name.casefold()
        if folded in EVERYONE:
            if not place.is_moderator:
                raise PermissionRefusal(_("Only moderators may mention everyone."))
            reached |= set(people.values_list("pk", flat=True))
            continue
        group = Group.objects.filter(workspace=workspace, handle__iexact=name).first()
        if group is not None:
            if group.moderators_only and not place.is_moderator:
                raise PermissionRefusal(
                    _("Only moderators may mention @%(group)s.") % {"group": group.handle}
                )
            reached |= set(
                people.filter(pk__in=group.members.values("pk")).values_list("pk", flat=True)
            )
            continue
        entity = Entity.objects.filter(Q(code__iexact=name) | Q(name__iexact=name)).first()
        if entity is not None:
            reached |= set(people.filter(entity=entity).values_list("pk", flat=True))
            continue
        reached |= set(_people_named(people, name))
    return reached


def _people_named(people: Any, name: str) -> list[int]:
    by_username = list(people.filter(username__iexact=name).values_list("pk", flat=True))
    if by_username:
        return by_username
    first, _space, last = name.partition(" ")
    if not last:
        return []
    return list(
        people.filter(first_name__iexact=first, last_name__iexact=last).values_list("pk", flat=True)
    )


def followers(message: Message) -> set[int]:
    """Who follows the message's topic or channel, less whoever muted the topic."""
    topic = message.topic
    following = Subscription.objects.filter(
        Q(topic=topic) | Q(channel_id=topic.channel_id), level=Subscription.Level.FOLLOW
    ).values_list("user_id", flat=True)
    muted = Subscription.objects.filter(topic=topic, level=Subscription.Level.MUTE).values_list(
        "user_id", flat=True
    )
    return set(following) - set(muted)


def notify(message: Message, mentioned: set[int], *, edited: bool = False) -> list[Notification]:
    """Make the notices of a new message (of an edited one: for new mentions) and publish them."""
    reasons: dict[int, str] = {}
    if not edited:
        for user_id in followers(message):
            reasons[user_id] = Reason.FOLLOWED
        if message.reply_to is not None:
            reasons[message.reply_to.author_id] = Reason.REPLY
    for user_id in mentioned:
        reasons[user_id] = Reason.MENTION
    reasons.pop(message.author_id, None)
    already = set(
        Notification.objects.filter(message=message, user_id__in=reasons).values_list(
            "user_id", flat=True
        )
    )
    created = Notification.objects.bulk_create(
        Notification(user_id=user_id, message=message, reason=reason)
        for user_id, reason in reasons.items()
        if user_id not in already
    )
    for notice in created:
        publish(person_group(notice.user_id), notice_event(notice, message))
    return created


def notice_event(notice: Notification, message: Message) -> dict[str, Any]:
    topic = message.topic
    return event(
        "workspace.notice",
        notice={
            "id": notice.pk,
            "reason": notice.reason,
            "message_id": message.pk,
            "topic_id": topic.pk,
            "topic": topic.title,
            "workspace": topic.channel.workspace.slug,
            "author": display_name(message.author),
        },
        unread=unread_notices(notice.user_id),
    )
