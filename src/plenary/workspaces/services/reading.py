"""What one person has read, follows and muted.

A read marker only moves forward (two tabs reporting out of order cannot
make a read message unread again); reading a topic also marks its notices
read. Every change is published to the person's own tabs.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.core.errors import Refusal
from plenary.core.events import publish
from plenary.live.events import event
from plenary.workspaces import queries
from plenary.workspaces.events import person_group, unread_notices
from plenary.workspaces.models import Notification, ReadMarker, Subscription, Topic
from plenary.workspaces.services.access import Place
from plenary.workspaces.services.messages import get_channel, get_topic

Level = Subscription.Level


def do_mark_read(user: Any, place: Place, topic_id: int, up_to: int | None = None) -> int:
    """Mark ``topic_id`` read up to message ``up_to`` (default: all of it); the new marker."""
    if place.user_id is None:
        return 0
    with transaction.atomic():
        topic = get_topic(place, topic_id)
        last = topic.last_message_id if up_to is None else min(up_to, topic.last_message_id)
        marker, created = ReadMarker.objects.get_or_create(
            user=user, topic=topic, defaults={"last_read_id": last}
        )
        if not created and last > marker.last_read_id:
            ReadMarker.objects.filter(pk=marker.pk).update(
                last_read_id=Greatest(F("last_read_id"), last)
            )
        marker.refresh_from_db()
        Notification.objects.filter(
            user=user,
            read_at__isnull=True,
            message__topic=topic,
            message_id__lte=marker.last_read_id,
        ).update(read_at=timezone.now())
        publish(
            person_group(user.pk),
            event(
                "workspace.read",
                topic_id=topic.pk,
                channel_id=topic.channel_id,
                last_read_id=marker.last_read_id,
                unread_notices=unread_notices(user.pk),
            ),
        )
        return marker.last_read_id


def do_mark_channel_read(user: Any, place: Place, channel_id: int) -> int:
    """Mark every topic of a channel read; how many topics changed."""
    if place.user_id is None:
        return 0
    changed = 0
    channel = get_channel(place, channel_id)
    unread = queries.unread_topics(place, Topic.objects.filter(channel=channel))
    for topic_id in unread.values_list("pk", flat=True):
        do_mark_read(user, place, topic_id)
        changed += 1
    return changed


def do_set_level(
    user: Any,
    place: Place,
    level: str,
    *,
    channel_id: int | None = None,
    topic_id: int | None = None,
) -> str:
    """Follow, mute, or (``""``) go back to the default, for a channel or a topic."""
    if place.user_id is None:
        raise Refusal(_("Sign in first."), "sign_in")
    if level not in ("", *Level.values):
        raise Refusal(_("Choose to follow or to mute."), "invalid_level", "level")
    with transaction.atomic():
        if topic_id is not None:
            target: dict[str, Any] = {"topic": get_topic(place, topic_id)}
        elif channel_id is not None:
            target = {"channel": get_channel(place, channel_id)}
        else:
            raise Refusal(_("Choose a channel or a topic."), "invalid_level")
        if level:
            Subscription.objects.update_or_create(user=user, **target, defaults={"level": level})
        else:
            Subscription.objects.filter(user=user, **target).delete()
        return level


def level_of(user: Any, *, channel: Any = None, topic: Any = None) -> str:
    if not getattr(user, "is_authenticated", False):
        return ""
    target = {"topic": topic} if topic is not None else {"channel": channel}
    return (
        Subscription.objects.filter(user=user, **target).values_list("level", flat=True).first()
        or ""
    )
