"""Full-text search over a workspace's messages (the engines and the normal form:
``core.search``), with filters: channel, author, the author's entity, dates,
posted with a file. The library's documents are searched by
``documents.services.library`` (its own index, kept to the library the same way).

``Message.search`` holds the searchable form of the text, after a word that
names the workspace (``Index.scope``: the index, not a join, then keeps a
search to one workspace), indexed by the database (migration 0002: an FTS5
table kept by triggers, or a GIN index).
Only what the reader may read is searched: the workspace's messages, hidden
ones only for moderators and their authors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from plenary.core.search import Index, query_terms, scoped
from plenary.workspaces.models import Message
from plenary.workspaces.services.access import Place

INDEX = Index(
    fts="workspaces_fts",
    table="workspaces_message",
    key="id",
    column="search",
    scope="inworkspace",
)


@dataclass(frozen=True)
class Filters:
    query: str = ""
    channel_id: int | None = None
    author_id: int | None = None
    entity_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    with_files: bool = False  # only messages posted with a file


def messages(place: Place, filters: Filters) -> QuerySet[Message]:
    """The messages of the workspace that match, newest first."""
    found = Message.objects.filter(topic__channel__workspace=place.workspace)
    if not place.is_moderator:
        found = found.filter(Q(hidden_at__isnull=True) | Q(author_id=place.user_id))
    if filters.channel_id:
        found = found.filter(topic__channel_id=filters.channel_id)
    if filters.author_id:
        found = found.filter(author_id=filters.author_id)
    if filters.entity_id:
        found = found.filter(author_entity_id=filters.entity_id)
    if filters.with_files:
        found = found.filter(
            Exists(Message.attachments.through.objects.filter(message=OuterRef("pk")))
        )
    if filters.since:
        found = found.filter(created_at__date__gte=filters.since)
    if filters.until:
        found = found.filter(created_at__date__lte=filters.until)
    terms = query_terms(filters.query)
    if terms:
        found = scoped(found, INDEX, place.workspace.pk, terms)
    return (
        found.select_related("topic__channel", "author", "author_entity")
        .prefetch_related("attachments__document")
        .order_by("-pk")
    )
