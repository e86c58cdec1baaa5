"""The room's chat: who may write to whom, who reads what, moderation.

Every participant of a session may write to everyone (while the public chat
is open: the chair closes it in formal sittings, the chair and the
secretariat may still announce), to the chair and the secretariat, or to
another delegation. A message reaches only those who may read it: the
public one the sockets that joined the session's chat (participants only:
the room screen and the webcast never get it), the others the tabs of the
people concerned. The chair and the secretariat hide a message (audited);
nothing is deleted. Text is stored as typed; every page shows it as text,
never as HTML. A reader may ask for a machine translation into their page's
language where an installed model serves the pair (``translate``); it is
labelled as such and the original stays one click away.

Changes follow the services' order: ``do_*`` locks, ``check_*`` decides.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from plenary.accounts.models import Entity
from plenary.core import audit
from plenary.core.errors import NotFoundRefusal, PermissionRefusal, RateLimited, Refusal
from plenary.core.events import publish
from plenary.core.locking import lock
from plenary.core.text import typed
from plenary.live.events import event, publish_to_session, publish_to_staff, publish_to_user
from plenary.live.standing import Standing, standing_for
from plenary.meetings.models import Participation, Session
from plenary.room.models import ChatMessage, ChatPolicy
from plenary.speech import mt
from plenary.speech.engines.base import EngineError

MAX_CHARS = 1000
# A person may send this many messages per window in one session.
SEND_LIMIT = 10
SEND_WINDOW = dt.timedelta(seconds=30)
HISTORY = 200
Audience = ChatMessage.Audience


def chat_group(session_id: int) -> str:
    """The sockets of a session's participants that joined its chat."""
    return f"session-{session_id}-chat"


# --- Reading ---------------------------------------------------------------


def public_open(session: Session) -> bool:
    policy = ChatPolicy.objects.filter(session=session).first()
    return policy.public_open if policy is not None else True


def check_reader(standing: Standing) -> None:
    if not standing.is_participant:
        raise PermissionRefusal(_("Only the meeting's participants take part in its chat."))


def may_moderate(standing: Standing) -> bool:
    """The chair (and vice-chairs) and the secretariat hide messages and close the chat."""
    return standing.is_secretariat or bool(standing.roles & {"chair", "vice_chair"})


def visible_to(standing: Standing, session: Session) -> QuerySet[ChatMessage]:
    """The messages ``standing`` may read, hidden ones included for moderators."""
    messages = ChatMessage.objects.filter(session=session).select_related(
        "author", "author_entity", "to_entity"
    )
    mine = Q(author_id=standing.user_id)
    readable = Q(audience=Audience.EVERYONE) | mine
    if standing.is_staff:
        readable |= Q(audience=Audience.SECRETARIAT)
    if standing.entity is not None:
        readable |= Q(audience=Audience.DELEGATION) & (
            Q(to_entity=standing.entity) | Q(author_entity=standing.entity)
        )
    messages = messages.filter(readable)
    if not may_moderate(standing):
        messages = messages.filter(Q(hidden_at__isnull=True) | mine)
    return messages


def message_json(message: ChatMessage) -> dict[str, Any]:
    author = message.author
    return {
        "id": message.pk,
        "author_id": message.author_id,
        "author": author.display_name,
        "entity": message.author_entity.name if message.author_entity else "",
        "audience": message.audience,
        "to_entity": message.to_entity.name if message.to_entity else "",
        "text": message.text,
        "language": message.language,
        "at": message.sent_at.isoformat(),
        "hidden": message.hidden_at is not None,
    }


def history(standing: Standing, session: Session) -> list[dict[str, Any]]:
    """The latest messages ``standing`` may read, oldest first."""
    latest = visible_to(standing, session).order_by("-sent_at", "-id")[:HISTORY]
    return [message_json(m) for m in reversed(latest)]


def delegations(session: Session) -> list[Entity]:
    """The delegations of the meeting one may write to."""
    ids = Participation.objects.filter(
        meeting_id=session.meeting_id, entity__isnull=False
    ).values_list("entity_id", flat=True)
    return list(Entity.objects.filter(pk__in=ids).order_by("name"))


def translatable_into(language: str) -> list[str]:
    """The languages a message can be machine-translated from into ``language``."""
    return sorted(source for source, target in mt.available_pairs() if target == language)


def translate(standing: Standing, session: Session, message_id: int, language: str) -> str:
    """A machine translation of a message ``standing`` may read into ``language``.

    The message's language is the one its author's page was in. Refused with
    ``no_translation`` when no installed model serves the pair or the engine
    fails: the original stays readable either way.
    """
    message = visible_to(standing, session).filter(pk=message_id).first()
    if message is None:
        raise NotFoundRefusal(_("This message does not exist."))
    if not message.language or message.language == language:
        return message.text
    try:
        return mt.translate_texts([message.text], message.language, language)[0]
    except EngineError:  # ModelMissing included
        raise Refusal(
            _("No machine translation of this message into your language is available."),
            "no_translation",
        ) from None


# --- Writing ---------------------------------------------------------------


def clean_text(text: str) -> str:
    """The message as it will be kept: trimmed, line breaks as ``\\n``, no control
    characters; ``Refusal`` if empty or too long."""
    text = typed(text)
    if not text:
        raise Refusal(_("Write a message first."), "invalid_chat", "text")
    if len(text) > MAX_CHARS:
        raise Refusal(
            _("A message has at most %(limit)d characters.") % {"limit": MAX_CHARS},
            "invalid_chat",
            "text",
        )
    return text


def check_send(
    standing: Standing, session: Session, audience: str, to_entity: Entity | None
) -> None:
    check_reader(standing)
    if audience == Audience.EVERYONE and not public_open(session) and not may_moderate(standing):
        raise Refusal(
            _("The chair has closed the public chat; you may still write to the secretariat."),
            "chat_closed",
        )
    if audience == Audience.DELEGATION:
        if to_entity is None or to_entity not in delegations(session):
            raise Refusal(_("Choose a delegation of this meeting."), "invalid_chat", "to")
        if standing.entity is not None and to_entity.pk == standing.entity.pk:
            raise Refusal(_("Choose another delegation than your own."), "invalid_chat", "to")
    recent = ChatMessage.objects.filter(
        session=session,
        author_id=standing.user_id,
        sent_at__gte=timezone.now() - SEND_WINDOW,
    ).count()
    if recent >= SEND_LIMIT:
        raise RateLimited(_("Too many messages; please wait a little."))


def _deliver(message: ChatMessage, payload: dict[str, Any]) -> None:
    """Publish ``payload`` (about ``message``) to those who may read the message."""
    session_id = message.session_id
    if message.audience == Audience.EVERYONE:
        publish(chat_group(session_id), payload)
        return
    if message.audience == Audience.SECRETARIAT:
        publish_to_staff(session_id, payload)
        publish_to_user(session_id, message.author_id, payload)
        return
    entities = {message.author_entity_id, message.to_entity_id} - {None}
    readers = set(
        Participation.objects.filter(
            meeting_id=message.session.meeting_id, entity_id__in=entities
        ).values_list("user_id", flat=True)
    )
    for user_id in readers | {message.author_id}:
        publish_to_user(session_id, user_id, payload)


def do_send(
    user: Any,
    session: Session,
    audience: str,
    text: str,
    *,
    to_entity_id: int | None = None,
    language: str = "",
) -> ChatMessage:
    """Write a chat message and deliver it after commit."""
    with transaction.atomic():
        lock(session)  # the send limit counts this person's messages one request at a time
        standing = standing_for(user, session)
        to_entity = Entity.objects.filter(pk=to_entity_id).first() if to_entity_id else None
        check_send(standing, session, audience, to_entity)
        message = ChatMessage.objects.create(
            session=session,
            author=user,
            author_entity=standing.entity,
            audience=audience,
            to_entity=to_entity if audience == Audience.DELEGATION else None,
            text=clean_text(text),
            language=language,
        )
        _deliver(message, event("chat.message", message=message_json(message)))
    return message


def do_hide(user: Any, session: Session, message_id: int) -> ChatMessage:
    """A moderator hides a message from everyone but moderators and its author."""
    with transaction.atomic():
        standing = standing_for(user, session)
        if not may_moderate(standing):
            raise PermissionRefusal(_("Only the chair and the secretariat hide messages."))
        message = visible_to(standing, session).filter(pk=message_id).first()
        if message is None:
            raise NotFoundRefusal(_("This message does not exist."))
        lock(message)
        if message.hidden_at is None:
            message.hidden_at, message.hidden_by = timezone.now(), user
            message.save(update_fields=["hidden_at", "hidden_by"])
            audit.record(user, "chat.hidden", message, audience=message.audience)
            _deliver(message, event("chat.hidden", id=message.pk))
    return message


def do_set_public(user: Any, session: Session, open_: bool) -> bool:
    """The chair or the secretariat opens or closes the public chat."""
    with transaction.atomic():
        standing = standing_for(user, session)
        if not may_moderate(standing):
            raise PermissionRefusal(_("Only the chair and the secretariat open or close the chat."))
        policy, _created = ChatPolicy.objects.get_or_create(session=session)
        lock(policy)
        if policy.public_open != open_:
            policy.public_open = open_
            policy.save(update_fields=["public_open"])
            audit.record(user, "chat.opened" if open_ else "chat.closed", session)
            publish_to_session(session.pk, event("chat.policy", public_open=open_))
    return open_
