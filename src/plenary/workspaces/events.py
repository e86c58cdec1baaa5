"""Groups of the workspace sockets, and the JSON of what they are sent.

Every socket of a workspace joins its group (readers only: the server sends
nothing a reader of the workspace may not read); every tab a person has open
on any workspace joins their personal group, which carries notices and read
markers (so a topic read in one tab stops being unread in the others).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from plenary.core.events import publish
from plenary.documents.models import LibraryFile
from plenary.live.events import event
from plenary.live.standing import display_name
from plenary.workspaces.models import Call, Message, Notification, Reaction


def workspace_group(workspace_id: int) -> str:
    return f"workspace-{workspace_id}"


def person_group(user_id: int) -> str:
    return f"workspaces-user-{user_id}"


def attachment_json(file: LibraryFile) -> dict[str, Any]:
    """A file posted with a message (a version of a library document)."""
    return {
        "id": file.pk,
        "title": file.document.title,
        "name": file.original_name,
        "kind": file.kind,
        "size": file.size,
        "version": file.number,
        "url": reverse("workspaces:file", args=[file.pk]),
    }


def message_json(message: Message) -> dict[str, Any]:
    """A message as pages and sockets show it (its text and files only while it is not
    hidden; prefetch ``attachments__document`` when showing many)."""
    hidden = message.hidden_at is not None
    files = [] if hidden else [attachment_json(f) for f in message.attachments.all()]
    return {
        "id": message.pk,
        "topic_id": message.topic_id,
        "author_id": message.author_id,
        "author": display_name(message.author),
        "entity": message.author_entity.name if message.author_entity else "",
        "html": "" if hidden else message.html,
        "language": message.language,
        "at": message.created_at.isoformat(),
        "edited": message.edited_at is not None,
        "hidden": hidden,
        "reply_to": message.reply_to_id,
        "attachments": files,
    }


def call_json(call: Call | None) -> dict[str, Any] | None:
    """The call on in a topic (``None``: none), as pages and sockets show it."""
    if call is None:
        return None
    return {
        "id": call.pk,
        "session_id": call.session_id,
        "started_by": display_name(call.started_by),
        "started_by_id": call.started_by_id,
        "at": call.started_at.isoformat(),
    }


def reactions_of(message_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each message's reactions: ``{"emoji", "count", "users": [ids]}``, most first."""
    found: dict[int, dict[str, list[int]]] = {}
    for message_id, emoji, user_id in Reaction.objects.filter(
        message_id__in=message_ids
    ).values_list("message_id", "emoji", "user_id"):
        found.setdefault(message_id, {}).setdefault(emoji, []).append(user_id)
    return {
        message_id: sorted(
            ({"emoji": emoji, "count": len(users), "users": users} for emoji, users in by.items()),
            key=lambda reaction: (-reaction["count"], reaction["emoji"]),
        )
        for message_id, by in found.items()
    }


def publish_message(message: Message, type_: str) -> None:
    """``workspace.message`` (new) or ``workspace.edited`` to the workspace's sockets."""
    workspace_id = message.topic.channel.workspace_id
    publish(
        workspace_group(workspace_id),
        event(type_, channel_id=message.topic.channel_id, message=message_json(message)),
    )


def publish_reactions(message: Message) -> None:
    reactions = reactions_of([message.pk]).get(message.pk, [])
    publish(
        workspace_group(message.topic.channel.workspace_id),
        event(
            "workspace.reactions",
            message_id=message.pk,
            topic_id=message.topic_id,
            reactions=reactions,
        ),
    )


def unread_notices(user_id: int) -> int:
    """How many notices ``user_id`` has not read yet (the badge on every page)."""
    return Notification.objects.filter(user_id=user_id, read_at__isnull=True).count()
