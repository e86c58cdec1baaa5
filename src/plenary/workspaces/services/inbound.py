"""Reply by e-mail: an answer to a workspace e-mail lands in its topic.

Any MTA pipes the message to ``plenary workspace_inbound`` (one message on
standard input, or ``--maildir DIR`` for every new message of a maildir).
The message is accepted only if it is addressed to a signed reply address
(``services.mail.reply_address``: it names the person and the topic and
cannot be made up) and comes from that person's own address; its first
plain-text part, without the quoted e-mail below it, is posted through the
same service as the page's form, so every rule holds (membership, a locked
topic, size, the flood limit). Anything else is refused with a reason and
stores nothing. A forged ``From`` that copies a real address is what SPF,
DKIM and DMARC at the receiving MTA stop; its verdict is honoured when the
MTA writes ``Authentication-Results`` with ``dmarc=fail``.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import getaddresses
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _

from plenary.core.errors import Refusal
from plenary.workspaces.models import Message, Topic
from plenary.workspaces.services import access
from plenary.workspaces.services.mail import read_reply_address
from plenary.workspaces.services.messages import do_post

MAX_BYTES = 2 * 1024 * 1024
_TOKEN = re.compile(r"^reply\+([0-9a-f.]+)@", re.IGNORECASE)
# Where the quoted e-mail begins in the common clients' answers.
_QUOTE_START = re.compile(
    r"^(?:On .{5,200} wrote:|Le .{5,200} a écrit :|El .{5,200} escribió:|-----\s*Original Message|"
    r"From: |De : |De: |Von: |>)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Accepted:
    message: Message


def _addresses(mail: EmailMessage, *headers: str) -> list[str]:
    values = [str(value) for header in headers for value in mail.get_all(header, [])]
    return [address for _name, address in getaddresses(values) if address]


def _answer(mail: EmailMessage) -> str:
    part = mail.get_body(preferencelist=("plain",))
    if part is None:
        raise Refusal(_("The e-mail has no text to post."), "no_text")
    text = part.get_content() if hasattr(part, "get_content") else ""
    lines = []
    for line in str(text).replace("\r\n", "\n").split("\n"):
        if _QUOTE_START.match(line.strip()):
            break
        lines.append(line)
    answer = "\n".join(lines).strip()
    if answer.endswith("--"):
        answer = answer[:-2].strip()
    return answer.split("\n-- \n")[0].strip()


def receive(raw: bytes) -> Accepted:
    """Post the answer ``raw`` (an RFC 5322 message) carries; ``Refusal`` says why not."""
    if len(raw) > MAX_BYTES:
        raise Refusal(_("The e-mail is too large."), "too_large")
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    if not isinstance(mail, EmailMessage):
        raise Refusal(_("This is not an e-mail."), "malformed")
    found = None
    for address in _addresses(mail, "To", "Cc", "Delivered-To", "X-Original-To"):
        match = _TOKEN.match(address)
        if match:
            found = read_reply_address(match.group(1))
            if found is not None:
                break
    if found is None:
        raise Refusal(_("The e-mail is not addressed to a reply address of a topic."), "no_topic")
    user_id, topic_id = found
    person = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    senders = [address.lower() for address in _addresses(mail, "From")]
    if person is None or not person.email or senders != [person.email.lower()]:
        raise Refusal(_("The e-mail does not come from the address it was sent to."), "forged")
    verdict = " ".join(str(v) for v in mail.get_all("Authentication-Results", []))
    if "dmarc=fail" in verdict.lower():
        raise Refusal(_("The e-mail failed its sender's authentication (DMARC)."), "forged")
    topic = Topic.objects.select_related("channel__workspace").filter(pk=topic_id).first()
    if topic is None:
        raise Refusal(_("This topic does not exist."), "not_found")
    with translation.override(person.preferred_language):
        place = access.get_place(person, pk=topic.channel.workspace_id)
        text = _answer(mail)
        message = do_post(person, place, topic.pk, text, language=person.preferred_language)
    return Accepted(message)


def receive_quietly(raw: bytes) -> tuple[Any, str]:
    """``(message, "")`` when posted, ``(None, reason)`` when refused (for the command)."""
    try:
        return receive(raw).message, ""
    except Refusal as refusal:
        return None, f"{refusal.code}: {refusal}"
