"""Reads for the workspace pages and sockets (no writes; access is the caller's ``Place``)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from plenary.workspaces.events import call_json, message_json, reactions_of, unread_notices
from plenary.workspaces.models import (
    Call,
    Channel,
    Message,
    Notification,
    ReadMarker,
    Subscription,
    Topic,
)
from plenary.workspaces.services.access import Place

TOPICS_PER_PAGE = 50
MESSAGES_SHOWN = 100


def _with_marker(topics: QuerySet[Topic], user_id: int | None) -> QuerySet[Topic]:
    """``topics`` annotated with the reader's ``last_read`` (0 when never read)."""
    marker = ReadMarker.objects.filter(user_id=user_id or 0, topic=OuterRef("pk")).values(
        "last_read_id"
    )
    return topics.annotate(last_read=Coalesce(Subquery(marker[:1]), Value(0)))


def _muted(user_id: int | None, field: str) -> QuerySet[Any]:
    return Subscription.objects.filter(user_id=user_id or 0, level=Subscription.Level.MUTE).values(
        field
    )


def unread_topics(place: Place, topics: QuerySet[Topic]) -> QuerySet[Topic]:
    """The topics among ``topics`` with a message the reader has not read (muted ones aside)."""
    if place.user_id is None:
        return topics.none()
    return (
        _with_marker(topics, place.user_id)
        .filter(last_message_id__gt=F("last_read"))
        .exclude(pk__in=_muted(place.user_id, "topic_id"))
    )


def channels(place: Place) -> list[dict[str, Any]]:
    """The workspace's open channels, each with how many of its topics are unread."""
    found = list(Channel.objects.filter(workspace=place.workspace, archived_at__isnull=True))
    counts: dict[int, int] = {}
    if place.user_id is not None:
        muted = set(_muted(place.user_id, "channel_id").values_list("channel_id", flat=True))
        for channel_id in unread_topics(place, Topic.objects.filter(channel__in=found)).values_list(
            "channel_id", flat=True
        ):
            if channel_id not in muted:
                counts[channel_id] = counts.get(channel_id, 0) + 1
    return [{"channel": channel, "unread": counts.get(channel.pk, 0)} for channel in found]


def topics(place: Place, channel: Channel, page: int | str = 1) -> Page:
    """A page of a channel's topics: pinned first, then the latest active."""
    listed = _with_marker(
        Topic.objects.filter(channel=channel).select_related("created_by"), place.user_id
    ).order_by("-pinned", "-last_message_at", "-pk")
    return Paginator(listed, TOPICS_PER_PAGE).get_page(page)


def recent_topics(place: Place, limit: int = 20) -> list[Topic]:
    """The latest active topics of the workspace, with their channel."""
    return list(
        _with_marker(
            Topic.objects.filter(
                channel__workspace=place.workspace, channel__archived_at__isnull=True
            ).select_related("channel"),
            place.user_id,
        ).order_by("-last_message_at", "-pk")[:limit]
    )


@dataclass(frozen=True)
class Shown:
    """A topic's messages as a reader sees them."""

    messages: list[dict[str, Any]]
    reactions: dict[int, list[dict[str, Any]]]
    earlier: bool  # there are older messages than these


def visible_messages(place: Place, topic: Topic) -> QuerySet[Message]:
    """The topic's messages this reader may see: hidden ones only to moderators and authors."""
    messages = Message.objects.filter(topic=topic)
    if not place.is_moderator:
        messages = messages.filter(Q(hidden_at__isnull=True) | Q(author_id=place.user_id))
    return messages


def messages(place: Place, topic: Topic, before: int | None = None) -> Shown:
    """The latest ``MESSAGES_SHOWN`` messages (before message ``before``), oldest first."""
    found = (
        visible_messages(place, topic)
        .select_related("author", "author_entity", "topic")
        .prefetch_related("attachments__document")
    )
    if before is not None:
        found = found.filter(pk__lt=before)
    latest = list(found.order_by("-pk")[: MESSAGES_SHOWN + 1])
    earlier = len(latest) > MESSAGES_SHOWN
    shown = [message_json(message) for message in reversed(latest[:MESSAGES_SHOWN])]
    return Shown(shown, reactions_of([m["id"] for m in shown]), earlier)


def last_read(place: Place, topic: Topic) -> int:
    if place.user_id is None:
        return 0
    return (
        ReadMarker.objects.filter(user_id=place.user_id, topic=topic)
        .values_list("last_read_id", flat=True)
        .first()
        or 0
    )


def open_call(topic: Topic) -> Call | None:
    """The call on in ``topic``, if one is."""
    return Call.objects.filter(topic=topic, ended_at=None).select_related("started_by").first()


def snapshot(place: Place, topic: Topic | None) -> dict[str, Any]:
    """The fields of ``workspace.snapshot`` (docs/realtime.md) for one socket."""
    shown = None
    if topic is not None:
        listed = messages(place, topic)
        shown = {
            "id": topic.pk,
            "channel_id": topic.channel_id,
            "locked": topic.locked_at is not None,
            "last_read_id": last_read(place, topic),
            "messages": listed.messages,
            "reactions": {str(k): v for k, v in listed.reactions.items()},
            "call": call_json(open_call(topic)),
        }
    return {
        "workspace_id": place.workspace.pk,
        "member": place.is_member,
        "moderator": place.is_moderator,
        "unread_notices": unread_notices(place.user_id) if place.user_id else 0,
        "channels": [
            {"id": row["channel"].pk, "unread_topics": row["unread"]} for row in channels(place)
        ],
        "topic": shown,
    }


def notices(user: Any, *, unread_only: bool = False, limit: int = 100) -> list[Notification]:
    found = Notification.objects.filter(user=user).select_related(
        "message__author", "message__topic__channel__workspace"
    )
    if unread_only:
        found = found.filter(read_at__isnull=True)
    return list(found.order_by("-created_at", "-pk")[:limit])
