"""Writing in a workspace: topics, messages, replies, edits, reactions, moderation.

Every change follows the services' order (``do_*`` locks, ``check_*``
decides, then writes and publishes after commit). A refused message stores
nothing: not the topic it would have started, not a notice. One person sends
at most ``PLENARY_WORKSPACE_MESSAGES_PER_MINUTE`` messages a minute across
all workspaces (their rows are counted under a lock on their account).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.core import audit
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, RateLimited, Refusal
from plenary.core.events import publish
from plenary.core.locking import lock
from plenary.core.text import typed
from plenary.live.events import event
from plenary.workspaces import markup, search
from plenary.workspaces.events import (
    publish_message,
    publish_reactions,
    workspace_group,
)
from plenary.workspaces.models import (
    Channel,
    Message,
    MessageRevision,
    Reaction,
    Subscription,
    Topic,
)
from plenary.workspaces.services import library, mail
from plenary.workspaces.services.access import Place, check_moderate, check_write
from plenary.workspaces.services.notices import notify, resolve_mentions

# The reactions a message can get (a fixed set: every page and every font shows them).
EMOJI = ("👍", "👎", "❤️", "🎉", "😄", "🤔", "👀", "✅")
_WINDOW = dt.timedelta(minutes=1)


def clean_message(text: str, *, may_be_empty: bool = False) -> str:
    """The text as stored (``may_be_empty``: a file is posted with it)."""
    text = typed(text)
    if not text and not may_be_empty:
        raise Refusal(_("Write a message first."), "invalid_message", "text")
    if len(text) > markup.MAX_CHARS:
        raise Refusal(
            _("A message has at most %(limit)d characters.") % {"limit": markup.MAX_CHARS},
            "invalid_message",
            "text",
        )
    return text


def clean_title(title: str) -> str:
    title = " ".join(typed(title).split())
    if not title:
        raise Refusal(_("Name the topic."), "invalid_topic", "title")
    if len(title) > markup.MAX_TITLE_CHARS:
        raise Refusal(
            _("A topic's name has at most %(limit)d characters.")
            % {"limit": markup.MAX_TITLE_CHARS},
            "invalid_topic",
            "title",
        )
    return title


def check_rate(user: Any) -> None:
    limit = settings.WORKSPACE_MESSAGES_PER_MINUTE
    recent = Message.objects.filter(author=user, created_at__gte=timezone.now() - _WINDOW).count()
    if recent >= limit:
        raise RateLimited(_("Too many messages; please wait a minute."))


def get_channel(place: Place, channel_id: int) -> Channel:
    channel = Channel.objects.filter(pk=channel_id, workspace=place.workspace).first()
    if channel is None:
        raise NotFoundRefusal(_("This channel does not exist."))
    return channel


def get_topic(place: Place, topic_id: int) -> Topic:
    topic = (
        Topic.objects.select_related("channel")
        .filter(pk=topic_id, channel__workspace=place.workspace)
        .first()
    )
    if topic is None:
        raise NotFoundRefusal(_("This topic does not exist."))
    return topic


def get_message(place: Place, message_id: int) -> Message:
    message = (
        Message.objects.select_related("topic__channel", "author", "author_entity")
        .filter(pk=message_id, topic__channel__workspace=place.workspace)
        .first()
    )
    if message is None or (
        message.hidden_at is not None
        and not place.is_moderator
        and message.author_id != place.user_id
    ):
        raise NotFoundRefusal(_("This message does not exist."))
    return message


def check_post(place: Place, topic: Topic, *, starting: bool) -> None:
    check_write(place)
    channel = topic.channel
    if channel.archived_at is not None:
        raise PermissionRefusal(_("This channel is archived."))
    if topic.locked_at is not None and not place.is_moderator:
        raise PermissionRefusal(_("This topic is locked; only moderators write in it."))
    if starting and channel.moderators_post and not place.is_moderator:
        raise PermissionRefusal(_("Only moderators start topics in this channel."))


def _write(
    user: Any,
    place: Place,
    topic: Topic,
    text: str,
    *,
    language: str,
    reply_to: Message | None,
    upload: UploadedFile | None,
) -> Message:
    """Store a message in a locked ``topic`` (with ``upload`` as a new document of the
    library), notify, follow the topic for its author."""
    text = clean_message(text, may_be_empty=upload is not None)
    rendered = markup.render(text)
    mentioned = resolve_mentions(place, rendered.mentions)
    # One person's messages are counted one request at a time (a row lock on their account).
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    check_rate(user)
    message = Message.objects.create(
        topic=topic,
        author=user,
        author_entity_id=user.entity_id,
        reply_to=reply_to,
        text=text,
        html=rendered.html,
        search=search.INDEX.stored(topic.channel.workspace_id, text),
        language=language[:8],
    )
    if upload is not None:  # checked and stored after every check of the message passed
        message.attachments.add(library.do_add(user, place, upload))
    topic.last_message_at = message.created_at
    topic.last_message_id = message.pk
    topic.message_count += 1
    topic.save(update_fields=["last_message_at", "last_message_id", "message_count"])
    Subscription.objects.get_or_create(
        user=user, topic=topic, defaults={"level": Subscription.Level.FOLLOW}
    )
    notices = notify(message, mentioned)
    mail.mentioned(message, notices)
    publish_message(message, "workspace.message")
    return message


def do_start_topic(
    user: Any,
    place: Place,
    channel_id: int,
    title: str,
    text: str,
    *,
    language: str = "",
    upload: UploadedFile | None = None,
) -> Message:
    """Start a topic with its first message; a name already used joins that topic."""
    with transaction.atomic():
        channel = lock(get_channel(place, channel_id))
        title = clean_title(title)
        key = markup.topic_key(title)
        topic = Topic.objects.filter(channel=channel, key=key).first()
        starting = topic is None
        if topic is None:
            topic = Topic(channel=channel, title=title, key=key, created_by=user)
        else:
            lock(topic)  # checked as it is now (locked meanwhile?), as do_post does
        check_post(place, topic, starting=starting)
        if starting:
            topic.save()
        return _write(user, place, topic, text, language=language, reply_to=None, upload=upload)


def do_post(
    user: Any,
    place: Place,
    topic_id: int,
    text: str,
    *,
    language: str = "",
    reply_to_id: int | None = None,
    upload: UploadedFile | None = None,
) -> Message:
    with transaction.atomic():
        topic = lock(get_topic(place, topic_id))
        check_post(place, topic, starting=False)
        reply_to = None
        if reply_to_id is not None:
            reply_to = get_message(place, reply_to_id)
            if reply_to.topic_id != topic.pk:
                raise Refusal(_("Reply within the same topic."), "invalid_message", "reply_to")
        return _write(user, place, topic, text, language=language, reply_to=reply_to, upload=upload)


def do_edit(user: Any, place: Place, message_id: int, text: str) -> Message:
    """The author changes their message; the earlier text is kept as a revision."""
    with transaction.atomic():
        message = lock(get_message(place, message_id))
        if message.author_id != place.user_id:
            raise PermissionRefusal(_("Only its author edits a message."))
        check_post(place, message.topic, starting=False)
        if message.hidden_at is not None:
            raise PermissionRefusal(_("A hidden message cannot be edited."))
        text = clean_message(text, may_be_empty=message.attachments.exists())
        if text == message.text:
            return message
        rendered = markup.render(text)
        mentioned = resolve_mentions(place, rendered.mentions)
        MessageRevision.objects.create(
            message=message,
            text=message.text,
            written_at=message.edited_at or message.created_at,
            replaced_by=user,
        )
        message.text, message.html, message.edited_at = text, rendered.html, timezone.now()
        message.search = search.INDEX.stored(place.workspace.pk, text)
        message.save(update_fields=["text", "html", "search", "edited_at"])
        notices = notify(message, mentioned, edited=True)  # those newly mentioned
        mail.mentioned(message, notices)
        publish_message(message, "workspace.edited")
        return message


def do_hide(user: Any, place: Place, message_id: int, hidden: bool = True) -> Message:
    """A moderator hides a message from all but moderators and its author (or shows it again)."""
    with transaction.atomic():
        check_moderate(place)
        message = lock(get_message(place, message_id))
        if (message.hidden_at is not None) == hidden:
            return message
        message.hidden_at, message.hidden_by = (timezone.now(), user) if hidden else (None, None)
        message.save(update_fields=["hidden_at", "hidden_by"])
        audit.record(user, "workspace.hidden" if hidden else "workspace.shown", message)
        publish_message(message, "workspace.edited")
        return message


def do_react(user: Any, place: Place, message_id: int, emoji: str, on: bool) -> Message:
    with transaction.atomic():
        check_write(place)
        message = get_message(place, message_id)
        if emoji not in EMOJI:
            raise Refusal(_("Choose one of the offered reactions."), "invalid_reaction", "emoji")
        if on:
            try:
                with transaction.atomic():
                    Reaction.objects.get_or_create(message=message, user=user, emoji=emoji)
            except IntegrityError:  # a double click raced itself: the reaction is there
                pass
        else:
            Reaction.objects.filter(message=message, user=user, emoji=emoji).delete()
        publish_reactions(message)
        return message


def _set_topic_flag(user: Any, place: Place, topic_id: int, field: str, value: bool) -> Topic:
    with transaction.atomic():
        check_moderate(place)
        topic = lock(get_topic(place, topic_id))
        if field == "locked":
            if (topic.locked_at is not None) == value:
                return topic
            topic.locked_at, topic.locked_by = (timezone.now(), user) if value else (None, None)
            topic.save(update_fields=["locked_at", "locked_by"])
        else:
            if topic.pinned == value:
                return topic
            topic.pinned = value
            topic.save(update_fields=["pinned"])
        audit.record(user, f"workspace.topic_{field}", topic, value=value)
        publish(
            workspace_group(place.workspace.pk),
            event(
                "workspace.topic",
                topic_id=topic.pk,
                channel_id=topic.channel_id,
                locked=topic.locked_at is not None,
                pinned=topic.pinned,
            ),
        )
        return topic


def do_lock(user: Any, place: Place, topic_id: int, locked: bool) -> Topic:
    """A moderator locks a topic (only moderators write in it) or unlocks it."""
    return _set_topic_flag(user, place, topic_id, "locked", locked)


def do_pin(user: Any, place: Place, topic_id: int, pinned: bool) -> Topic:
    """A moderator pins a topic to the top of its channel, or unpins it."""
    return _set_topic_flag(user, place, topic_id, "pinned", pinned)
