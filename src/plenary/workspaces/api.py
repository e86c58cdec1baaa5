"""Workspaces API (``/api/v1/workspaces/``): the same services as the pages.

Reading a workspace needs what its page needs (members, the accredited or
anyone, by its visibility); whoever may not read it is told it does not
exist (404). Every change goes through ``services`` and is refused there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.decorators import decorate_view

from plenary.accounts.api_auth import READERS
from plenary.accounts.models import Entity
from plenary.core.errors import Refusal
from plenary.documents import serving
from plenary.documents.models import LibraryDocument, LibraryFile
from plenary.documents.uploads import limit_uploads, too_large
from plenary.live.standing import display_name
from plenary.meetings.models import Sector
from plenary.workspaces import queries
from plenary.workspaces import search as search_messages
from plenary.workspaces.events import message_json, reactions_of
from plenary.workspaces.services import (
    access,
    calls,
    groups,
    library,
    reading,
    setup,
    translation,
)
from plenary.workspaces.services import messages as posting

router = Router(tags=["workspaces"])
TEXT_LIMIT = 20_000  # twice the stored limit: the service counts and says so


class WorkspaceOut(Schema):
    id: int
    slug: str
    name: str
    kind: str
    visibility: str
    member: bool
    moderator: bool


class ChannelOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    unread_topics: int


class TopicOut(Schema):
    id: int
    channel_id: int
    title: str
    message_count: int
    last_message_at: dt.datetime
    pinned: bool
    locked: bool
    unread: bool


class ReactionOut(Schema):
    emoji: str
    count: int
    users: list[int]


class AttachmentOut(Schema):
    id: int
    title: str
    name: str
    kind: str
    size: int
    version: int
    url: str


class MessageOut(Schema):
    id: int
    topic_id: int
    author_id: int
    author: str
    entity: str
    html: str
    language: str
    at: str
    edited: bool
    hidden: bool
    reply_to: int | None
    attachments: list[AttachmentOut] = []
    reactions: list[ReactionOut] = []


class TopicIn(Schema):
    channel_id: int
    title: str = Field(max_length=240)
    text: str = Field(max_length=TEXT_LIMIT)


class PostIn(Schema):
    text: str = Field(max_length=TEXT_LIMIT)
    reply_to: int | None = None


class EditIn(Schema):
    text: str = Field(max_length=TEXT_LIMIT)


class ReactionIn(Schema):
    emoji: str = Field(max_length=16)
    on: bool = True


class ReadIn(Schema):
    up_to: int | None = None


class LevelIn(Schema):
    level: str = Field(max_length=8, description='"follow", "mute" or "" (the default)')


class TranslationOut(Schema):
    html: str
    language: str
    kind: str


class SearchIn(Schema):
    q: str = Field("", max_length=200)
    channel_id: int | None = None
    author_id: int | None = None
    entity_id: int | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    with_files: bool = False


class VersionOut(Schema):
    id: int
    number: int
    label: str
    name: str
    kind: str
    size: int
    uploaded_at: dt.datetime
    ready: bool  # may be downloaded (scanned clean, or no scanner is configured)
    url: str


class LibraryDocumentOut(Schema):
    id: int
    title: str
    updated_at: dt.datetime
    versions: list[VersionOut]


class CallOut(Schema):
    id: int
    session_id: int
    room: str  # the meeting room's page, where the call takes place
    ended: bool


class WorkspaceChangeIn(Schema):
    names: dict[str, str] = Field(default_factory=dict, description="Per language; blank removes")
    descriptions: dict[str, str] = Field(default_factory=dict)
    visibility: str = "members"
    entity_ids: list[int] = Field(default_factory=list)
    sector: str = Field("", description="R, T, D or GS; blank for none")
    archived: bool = False


class WorkspaceIn(WorkspaceChangeIn):
    slug: str = Field(max_length=64)
    kind: str


class PersonOut(Schema):
    id: int
    username: str
    name: str
    entity: str


class MemberOut(PersonOut):
    role: str


class MemberIn(Schema):
    person: str = Field(max_length=254, description="A user name or an e-mail address")
    role: str = "member"


class GroupOut(Schema):
    handle: str
    name: str
    moderators_only: bool
    members: list[PersonOut]


class GroupChangeIn(Schema):
    name: str = Field("", max_length=120)
    members: list[str] = Field(default_factory=list, description="User names or e-mail addresses")
    moderators_only: bool = False


class GroupIn(GroupChangeIn):
    handle: str = Field(max_length=40)


class LibraryIn(Schema):
    title: str = Field("", max_length=400)
    label: str = Field("", max_length=120)


def _version_out(file: LibraryFile) -> VersionOut:
    return VersionOut(
        id=file.pk,
        number=file.number,
        label=file.label,
        name=file.original_name,
        kind=file.kind,
        size=file.size,
        uploaded_at=file.uploaded_at,
        ready=file.servable,
        url=f"/api/v1/workspaces/files/{file.pk}",
    )


def _document_out(document: LibraryDocument) -> LibraryDocumentOut:
    files = sorted(document.files.all(), key=lambda file: -file.number)
    return LibraryDocumentOut(
        id=document.pk,
        title=document.title,
        updated_at=document.updated_at,
        versions=[_version_out(file) for file in files],
    )


def _size_limited(run: Callable[..., Any]) -> Callable[..., Any]:
    """The upload's size limit in place before the body is read (as the pages have it)."""

    @wraps(run)
    def limited(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        request.upload_limit = limit_uploads(request)  # type: ignore[attr-defined]
        return run(request, *args, **kwargs)

    return limited


def _upload(request: HttpRequest, file: Any) -> Any:
    """The uploaded file, or the size refusal (a file cut off by the limit is missing)."""
    if getattr(request, "upload_limit", None) is not None and request.upload_limit.exceeded:  # type: ignore[attr-defined]
        raise too_large()
    return file


def _place(request: HttpRequest, slug: str) -> access.Place:
    return access.get_place(request.user, slug=slug)


def _workspace_out(place: access.Place) -> WorkspaceOut:
    workspace = place.workspace
    return WorkspaceOut(
        id=workspace.pk,
        slug=workspace.slug,
        name=workspace.name,
        kind=workspace.kind,
        visibility=workspace.visibility,
        member=place.is_member,
        moderator=place.is_moderator,
    )


def _message_out(message: Any) -> MessageOut:
    return _messages_out([message])[0]


def _messages_out(messages: list[Any]) -> list[MessageOut]:
    """``messages`` with their reactions (read in one query for all of them)."""
    reactions = reactions_of([message.pk for message in messages])
    return [_out(message_json(m), reactions.get(m.pk, [])) for m in messages]


def _out(data: dict[str, Any], reactions: list[dict[str, Any]]) -> MessageOut:
    attachments = [AttachmentOut(**file) for file in data.pop("attachments")]
    return MessageOut(
        **data,
        attachments=attachments,
        reactions=[ReactionOut(**reaction) for reaction in reactions],
    )


@router.get("/", response=list[WorkspaceOut], auth=READERS)
def list_workspaces(request: HttpRequest) -> list[WorkspaceOut]:
    """The workspaces the caller may read."""
    return [
        _workspace_out(access.place_of(request.user, workspace))
        for workspace in access.readable_workspaces(request.user).order_by("slug")
    ]


@router.get("/{slug}/channels", response=list[ChannelOut], auth=READERS)
def list_channels(request: HttpRequest, slug: str) -> list[ChannelOut]:
    place = _place(request, slug)
    return [
        ChannelOut(
            id=row["channel"].pk,
            slug=row["channel"].slug,
            name=row["channel"].name,
            description=row["channel"].description,
            unread_topics=row["unread"],
        )
        for row in queries.channels(place)
    ]


@router.get("/{slug}/channels/{channel_id}/topics", response=list[TopicOut], auth=READERS)
def list_topics(request: HttpRequest, slug: str, channel_id: int, page: int = 1) -> list[TopicOut]:
    place = _place(request, slug)
    channel = posting.get_channel(place, channel_id)
    return [
        TopicOut(
            id=topic.pk,
            channel_id=topic.channel_id,
            title=topic.title,
            message_count=topic.message_count,
            last_message_at=topic.last_message_at,
            pinned=topic.pinned,
            locked=topic.locked_at is not None,
            unread=bool(place.user_id) and topic.last_message_id > topic.last_read,
        )
        for topic in queries.topics(place, channel, page)
    ]


@router.get("/{slug}/topics/{topic_id}/messages", response=list[MessageOut], auth=READERS)
def list_messages(
    request: HttpRequest, slug: str, topic_id: int, before: int | None = None
) -> list[MessageOut]:
    """The latest 100 messages of a topic (before message ``before``), oldest first."""
    place = _place(request, slug)
    shown = queries.messages(place, posting.get_topic(place, topic_id), before)
    return [_out(m, shown.reactions.get(m["id"], [])) for m in shown.messages]


@router.post("/{slug}/topics", response={201: MessageOut})
def start_topic(request: HttpRequest, slug: str, payload: TopicIn) -> Status:
    """Start a topic with its first message (a name already used joins that topic)."""
    place = _place(request, slug)
    message = posting.do_start_topic(
        request.user, place, payload.channel_id, payload.title, payload.text,
        language=get_language() or "",
    )  # fmt: skip
    return Status(201, _message_out(message))


@router.post("/{slug}/topics/{topic_id}/messages", response={201: MessageOut})
def post_message(request: HttpRequest, slug: str, topic_id: int, payload: PostIn) -> Status:
    place = _place(request, slug)
    message = posting.do_post(
        request.user, place, topic_id, payload.text,
        language=get_language() or "", reply_to_id=payload.reply_to,
    )  # fmt: skip
    return Status(201, _message_out(message))


@router.patch("/{slug}/messages/{message_id}", response=MessageOut)
def edit_message(request: HttpRequest, slug: str, message_id: int, payload: EditIn) -> MessageOut:
    return _message_out(
        posting.do_edit(request.user, _place(request, slug), message_id, payload.text)
    )


@router.post("/{slug}/messages/{message_id}/reactions", response=MessageOut)
def react(request: HttpRequest, slug: str, message_id: int, payload: ReactionIn) -> MessageOut:
    place = _place(request, slug)
    return _message_out(
        posting.do_react(request.user, place, message_id, payload.emoji, payload.on)
    )


@router.post("/{slug}/messages/{message_id}/hide", response=MessageOut)
def hide(request: HttpRequest, slug: str, message_id: int, hidden: bool = True) -> MessageOut:
    return _message_out(posting.do_hide(request.user, _place(request, slug), message_id, hidden))


@router.get("/{slug}/messages/{message_id}/in/{language}", response=TranslationOut, auth=READERS)
def read_in(request: HttpRequest, slug: str, message_id: int, language: str) -> TranslationOut:
    shown = translation.read_in(_place(request, slug), message_id, language)
    return TranslationOut(html=shown.html, language=shown.language, kind=shown.kind)


@router.post("/{slug}/topics/{topic_id}/read", response={200: dict[str, int]})
def mark_read(request: HttpRequest, slug: str, topic_id: int, payload: ReadIn) -> dict[str, int]:
    last = reading.do_mark_read(request.user, _place(request, slug), topic_id, payload.up_to)
    return {"last_read_id": last}


@router.post("/{slug}/topics/{topic_id}/level", response={200: dict[str, str]})
def topic_level(request: HttpRequest, slug: str, topic_id: int, payload: LevelIn) -> dict[str, str]:
    level = reading.do_set_level(
        request.user, _place(request, slug), payload.level, topic_id=topic_id
    )
    return {"level": level}


@router.get("/{slug}/search", response=list[MessageOut], auth=READERS)
def search(request: HttpRequest, slug: str, filters: Query[SearchIn]) -> list[MessageOut]:
    """The 50 newest messages that match (filters as on the search page)."""
    place = _place(request, slug)
    found = search_messages.messages(
        place,
        search_messages.Filters(
            query=filters.q,
            channel_id=filters.channel_id,
            author_id=filters.author_id,
            entity_id=filters.entity_id,
            since=filters.since,
            until=filters.until,
            with_files=filters.with_files,
        ),
    )[:50]
    return _messages_out(list(found))


@router.get("/{slug}/library", response=list[LibraryDocumentOut], auth=READERS)
def library_documents(request: HttpRequest, slug: str, q: str = "") -> list[LibraryDocumentOut]:
    """The library's documents with their versions, newest first (those matching ``q``)."""
    place = _place(request, slug)
    return [_document_out(document) for document in library.documents(place, q[:200])[:200]]


@router.post("/{slug}/library", response={201: LibraryDocumentOut})
@decorate_view(_size_limited)
def add_document(
    request: HttpRequest,
    slug: str,
    details: Form[LibraryIn],
    file: File[UploadedFile | None] = None,
) -> Status:
    """A new document (multipart: ``file``, optional ``title`` and ``label``)."""
    added = library.do_add(
        request.user,
        _place(request, slug),
        _upload(request, file),
        title=details.title,
        label=details.label,
    )
    return Status(201, _document_out(added.document))


@router.post("/{slug}/library/{document_id}/versions", response={201: LibraryDocumentOut})
@decorate_view(_size_limited)
def add_version(
    request: HttpRequest,
    slug: str,
    document_id: int,
    details: Form[LibraryIn],
    file: File[UploadedFile | None] = None,
) -> Status:
    """The next version of a document (multipart: ``file``, optional ``label``)."""
    added = library.do_add_version(
        request.user,
        _place(request, slug),
        document_id,
        _upload(request, file),
        label=details.label,
    )
    return Status(201, _document_out(added.document))


@router.get("/files/{file_id}", auth=READERS)
def download(request: HttpRequest, file_id: int) -> HttpResponseBase:
    """A version's file as it was uploaded (404 unless one may read its workspace)."""
    return serving.send_original(library.get_file(request.user, file_id))


def _call_out(call: Any) -> CallOut:
    return CallOut(
        id=call.pk,
        session_id=call.session_id,
        room=f"/live/sessions/{call.session_id}/",
        ended=call.ended_at is not None,
    )


@router.post("/{slug}/topics/{topic_id}/call", response={201: CallOut})
def start_call(request: HttpRequest, slug: str, topic_id: int) -> Status:
    """Start a call in the topic (or get the one already on); its starter chairs it."""
    call = calls.do_start_call(
        request.user, _place(request, slug), topic_id, language=get_language() or "en"
    )
    return Status(201, _call_out(call))


@router.post("/{slug}/calls/{call_id}/join", response=CallOut)
def join_call(request: HttpRequest, slug: str, call_id: int) -> CallOut:
    """A member's place in the call; the room's page is then theirs to open."""
    return _call_out(calls.do_join_call(request.user, _place(request, slug), call_id))


@router.post("/{slug}/calls/{call_id}/end", response=MessageOut)
def end_call(request: HttpRequest, slug: str, call_id: int) -> MessageOut:
    """End the call (its starter or a moderator); the summary posted to the topic."""
    place = _place(request, slug)
    return _message_out(
        calls.do_end_call(request.user, place, call_id, language=get_language() or "en")
    )


def _person_out(person: Any) -> PersonOut:
    entity = person.entity.name if person.entity_id else ""
    return PersonOut(
        id=person.pk, username=person.username, name=display_name(person), entity=entity
    )


def _group_out(group: Any) -> GroupOut:
    return GroupOut(
        handle=group.handle,
        name=group.name,
        moderators_only=group.moderators_only,
        members=[_person_out(person) for person in group.members.select_related("entity")],
    )


@router.get("/{slug}/members", response=list[MemberOut], auth=READERS)
def list_members(request: HttpRequest, slug: str) -> list[MemberOut]:
    """The members (the first 500 by name) with their roles; members only."""
    people, _count = setup.roster(_place(request, slug))
    return [MemberOut(**_person_out(person).dict(), role=role) for person, role in people]


@router.post("/{slug}/members", response={201: MemberOut})
def add_member(request: HttpRequest, slug: str, payload: MemberIn) -> Status:
    """Make someone a member, or give a member another role (moderators)."""
    membership = setup.do_invite(request.user, _place(request, slug), payload.person, payload.role)
    return Status(201, MemberOut(**_person_out(membership.user).dict(), role=membership.role))


@router.get("/{slug}/groups", response=list[GroupOut], auth=READERS)
def list_groups(request: HttpRequest, slug: str) -> list[GroupOut]:
    return [_group_out(group) for group in groups.groups(_place(request, slug))]


@router.post("/{slug}/groups", response={201: GroupOut})
def create_group(request: HttpRequest, slug: str, payload: GroupIn) -> Status:
    group = groups.do_create_group(
        request.user,
        _place(request, slug),
        payload.handle,
        payload.name,
        payload.members,
        moderators_only=payload.moderators_only,
    )
    return Status(201, _group_out(group))


@router.put("/{slug}/groups/{handle}", response=GroupOut)
def change_group(request: HttpRequest, slug: str, handle: str, payload: GroupChangeIn) -> GroupOut:
    group = groups.do_change_group(
        request.user,
        _place(request, slug),
        handle,
        payload.name,
        payload.members,
        moderators_only=payload.moderators_only,
    )
    return _group_out(group)


@router.delete("/{slug}/groups/{handle}", response={204: None})
def remove_group(request: HttpRequest, slug: str, handle: str) -> Status:
    groups.do_remove_group(request.user, _place(request, slug), handle)
    return Status(204, None)


def _sector(code: str) -> Any:
    if not code:
        return None
    sector = Sector.objects.filter(code=code).first()
    if sector is None:
        raise Refusal(_("Choose a sector."), "invalid_workspace", "sector")
    return sector


def _entity_ids(ids: list[int]) -> list[int]:
    found = list(Entity.objects.filter(pk__in=ids).values_list("pk", flat=True))
    if len(found) != len(set(ids)):
        raise Refusal(_("Choose entities that exist."), "invalid_workspace", "entity_ids")
    return found


@router.post("/", response={201: WorkspaceOut})
def create_workspace(request: HttpRequest, payload: WorkspaceIn) -> Status:
    """A new workspace (organisers and the secretariat); its creator is its staff."""
    workspace = setup.do_create_workspace(
        request.user,
        slug=payload.slug,
        names=payload.names,
        descriptions=payload.descriptions,
        kind=payload.kind,
        visibility=payload.visibility,
        sector=_sector(payload.sector),
        entity_ids=_entity_ids(payload.entity_ids),
    )
    return Status(201, _workspace_out(access.place_of(request.user, workspace)))


@router.put("/{slug}", response=WorkspaceOut)
def change_workspace(request: HttpRequest, slug: str, payload: WorkspaceChangeIn) -> WorkspaceOut:
    """The workspace's settings (its staff); names and descriptions merge per language."""
    place = _place(request, slug)
    setup.do_change_workspace(
        request.user,
        place,
        names=payload.names,
        descriptions=payload.descriptions,
        visibility=payload.visibility,
        entity_ids=_entity_ids(payload.entity_ids),
        sector=_sector(payload.sector),
        archived=payload.archived,
    )
    return _workspace_out(_place(request, slug))
