"""E-mails of the workspaces, each in its recipient's language, sent after commit.

- A mention is mailed at once; replies and followed topics wait for the
  digest (daily or weekly, each person's choice; ``digests``). Whoever muted
  a channel (the unsubscribe link does that) gets no e-mail about it; the
  notices stay on their pages.
- Every e-mail carries a one-click unsubscribe for the channel it is about
  (``List-Unsubscribe`` and ``List-Unsubscribe-Post``, RFC 8058, and a link in
  the text): a signed address that mutes the channel, no sign-in needed.
- Whoever a moderator makes a member is told, with the workspace's address
  (``invited``); that one is about no channel, so it has no unsubscribe.
- Where ``PLENARY_REPLY_ADDRESS`` is set, a mention's ``Reply-To`` is a
  signed address for its topic: the answer lands there (``services.inbound``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from plenary.live.standing import display_name
from plenary.workspaces.models import (
    Channel,
    Membership,
    Message,
    Notification,
    Subscription,
    Topic,
)

QUOTE_CHARS = 2000
UNSUBSCRIBE_SALT = "plenary.workspaces.unsubscribe"
REPLY_SALT = "plenary.workspaces.reply"


def topic_url(message: Message) -> str:
    return settings.BASE_URL + message.get_absolute_url()


def unsubscribe_url(user_id: int, channel: Channel) -> str:
    token = signing.dumps({"u": user_id, "c": channel.pk}, salt=UNSUBSCRIBE_SALT, compress=True)
    return settings.BASE_URL + reverse("workspaces:unsubscribe", args=[token])


def read_unsubscribe(token: str) -> tuple[int, int] | None:
    """The (person, channel) of a one-click unsubscribe address; ``None`` if forged."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["u"]), int(data["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def _reply_token(user_id: int, topic_id: int) -> str:
    digest = salted_hmac(REPLY_SALT, f"{user_id}.{topic_id}", algorithm="sha256").hexdigest()
    return f"{user_id}.{topic_id}.{digest[:32]}"


def reply_address(user_id: int, topic: Topic) -> str:
    """The signed address whose mail lands in ``topic`` as ``user_id``'s (or "" if none).

    Digits and lowercase hex only: mail servers may change a local part's case."""
    pattern = settings.WORKSPACE_REPLY_ADDRESS
    if not pattern:
        return ""
    return pattern.replace("{token}", _reply_token(user_id, topic.pk))


def read_reply_address(token: str) -> tuple[int, int] | None:
    """The (person, topic) of a reply address's token; ``None`` if forged or damaged."""
    parts = token.lower().split(".")
    if len(parts) != 3 or not (parts[0].isdigit() and parts[1].isdigit()):
        return None
    user_id, topic_id = int(parts[0]), int(parts[1])
    if not constant_time_compare(_reply_token(user_id, topic_id), token.lower()):
        return None
    return user_id, topic_id


def quote(text: str) -> str:
    if len(text) > QUOTE_CHARS:
        text = text[:QUOTE_CHARS] + "…"
    return "\n".join(f"> {line}" for line in text.splitlines())


def send(recipient: Any, compose: Any, *, channel: Channel, reply_to: str = "") -> None:
    """Compose in ``recipient``'s language and send after commit, with the channel's
    one-click unsubscribe (``compose(unsubscribe_url) -> (subject, body)``)."""
    if not recipient.email:
        return
    unsubscribe = unsubscribe_url(recipient.pk, channel)
    with translation.override(recipient.preferred_language):
        subject, body = compose(unsubscribe)
    email = EmailMessage(
        subject,
        body,
        to=[recipient.email],
        reply_to=[reply_to] if reply_to else None,
        headers=automatic_headers(unsubscribe),
    )
    transaction.on_commit(email.send)


def automatic_headers(unsubscribe: str) -> dict[str, str]:
    """The headers of every workspace e-mail: one-click unsubscribe (RFC 8058) at
    ``unsubscribe``, and "sent by a machine" so that auto-replies stay away."""
    return {
        "List-Unsubscribe": f"<{unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }


def footer(unsubscribe: str) -> str:
    return _("No more e-mails about this channel: %(url)s") % {"url": unsubscribe}


def mentioned(message: Message, notices: Iterable[Notification]) -> None:
    """Tell each person that ``notices`` say was just mentioned in ``message``, at once."""
    topic = message.topic
    muted = Subscription.objects.filter(
        channel_id=topic.channel_id, level=Subscription.Level.MUTE
    ).values("user_id")
    mentioned = [n.user_id for n in notices if n.reason == Notification.Reason.MENTION]
    ids = list(
        get_user_model()
        .objects.filter(pk__in=mentioned)
        .exclude(pk__in=muted)
        .values_list("pk", flat=True)
    )
    if not ids:
        return

    def compose(unsubscribe: str) -> tuple[str, str]:
        values = {
            "person": display_name(message.author),
            "topic": topic.title,
            "workspace": topic.channel.workspace.name,
        }
        subject = _("%(person)s mentioned you in “%(topic)s” (%(workspace)s)") % values
        lines = [
            _("%(person)s mentioned you in “%(topic)s”, in %(workspace)s:") % values,
            quote(message.text),
            _("Read and answer: %(url)s") % {"url": topic_url(message)},
        ]
        if settings.WORKSPACE_REPLY_ADDRESS:
            lines.append(_("Or answer this e-mail: your answer is posted in the topic."))
        return subject, "\n\n".join([*lines, footer(unsubscribe)])

    for recipient in get_user_model().objects.filter(pk__in=ids):
        send(
            recipient,
            compose,
            channel=topic.channel,
            reply_to=reply_address(recipient.pk, topic),
        )
    Notification.objects.filter(message=message, user_id__in=ids).update(
        emailed_at=message.created_at
    )


def invited(membership: Membership) -> None:
    """Tell the person a moderator just made a member, in their language, after commit."""
    person, workspace = membership.user, membership.workspace
    if not person.email:
        return
    with translation.override(person.preferred_language):
        values = {
            "person": display_name(membership.invited_by) if membership.invited_by else "",
            "workspace": workspace.name,
            "role": membership.get_role_display(),
        }
        subject = _("You are a member of %(workspace)s") % values
        body = "\n\n".join(
            [
                _("%(person)s made you a member of the workspace %(workspace)s (%(role)s).")
                % values,
                _("Open it: %(url)s")
                % {"url": settings.BASE_URL + reverse("workspaces:home", args=[workspace.slug])},
            ]
        )
    email = EmailMessage(
        subject, body, to=[person.email], headers={"Auto-Submitted": "auto-generated"}
    )
    transaction.on_commit(email.send)
