"""The workspaces' e-mails: digests in the reader's language, one-click unsubscribe,
and the reply-by-e-mail round trip (signed addresses; forgeries refused)."""

from __future__ import annotations

import datetime as dt
import io
from email.message import EmailMessage
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone

from plenary.workspaces.models import MailChoice, Message, Notification, Subscription
from plenary.workspaces.services import digests, inbound, reading
from plenary.workspaces.services import mail as mails
from plenary.workspaces.services import messages as posting
from plenary.workspaces.tests.helpers import Cast

pytestmark = pytest.mark.django_db
REPLY = "reply+{token}@plenary.example.org"


def followed_by(cast: Cast, who: Any) -> Message:
    """Jean starts a topic that ``who`` follows, and writes in it again."""
    first = posting.do_start_topic(
        cast.french, cast.place(cast.french), cast.general.pk, "Plan de travail", "Premier jet"
    )
    reading.do_set_level(who, cast.place(who), "follow", topic_id=first.topic_id)
    return posting.do_post(cast.french, cast.place(cast.french), first.topic_id, "Deuxième jet")


@pytest.mark.parametrize(
    ("language", "subject", "line"),
    [
        ("fr", "1 nouveau message dans vos espaces de travail", "Bonjour"),
        ("ar", "رسالة جديدة واحدة في مساحات عملك", "مرحباً"),
    ],
)
def test_the_digest_is_in_the_readers_language_and_sent_once_per_period(
    cast: Cast, language: str, subject: str, line: str
) -> None:
    cast.brazilian.preferred_language = language
    cast.brazilian.save()
    followed_by(cast, cast.brazilian)
    now = timezone.now()
    assert digests.send_digests(now) == 1
    (sent,) = mail.outbox
    assert sent.to == ["ana@example.org"] and sent.subject == subject
    assert (
        line in sent.body
        and "Deuxième jet" in sent.body
        and "/workspaces/sg17/c/general/" in sent.body
    )
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert digests.send_digests(now + dt.timedelta(hours=2)) == 0  # nothing new, not due
    topic_id = Message.objects.values_list("topic_id", flat=True).first()
    assert topic_id is not None
    posting.do_post(cast.french, cast.place(cast.french), topic_id, "Troisième")
    assert digests.send_digests(now + dt.timedelta(hours=2)) == 0  # not a day yet
    assert digests.send_digests(now + dt.timedelta(days=1)) == 1


def test_no_digest_for_what_was_read_muted_or_chosen_never(cast: Cast) -> None:
    message = followed_by(cast, cast.brazilian)
    reading.do_set_level(
        cast.french_too, cast.place(cast.french_too), "follow", topic_id=message.topic_id
    )
    MailChoice.objects.create(user=cast.french_too, digest="never")
    posting.do_post(cast.french, cast.place(cast.french), message.topic_id, "Encore")
    reading.do_mark_read(cast.brazilian, cast.place(cast.brazilian), message.topic_id)
    assert digests.send_digests() == 0
    assert mail.outbox == []


def test_a_digest_for_ten_people_is_one_mail_each(cast: Cast) -> None:
    from plenary.accounts.tests.factories import DelegateFactory

    people = [DelegateFactory.create(entity=cast.france) for _ in range(10)]
    first = posting.do_start_topic(
        cast.french, cast.place(cast.french), cast.general.pk, "Plan", "Un"
    )
    for person in people:
        reading.do_set_level(person, cast.place(person), "follow", topic_id=first.topic_id)
    posting.do_post(cast.french, cast.place(cast.french), first.topic_id, "Deux")
    assert digests.send_digests() == 10
    assert len(mail.outbox) == 10 and len({m.to[0] for m in mail.outbox}) == 10


def test_one_click_unsubscribe_mutes_the_channel_without_signing_in(
    cast: Cast, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        posting.do_start_topic(
            cast.french, cast.place(cast.french), cast.general.pk, "Plan", "Regarde @ana"
        )
    (sent,) = mail.outbox
    url = sent.extra_headers["List-Unsubscribe"].strip("<>")
    path = url.removeprefix("http://localhost:8000")
    assert client.get(path).status_code == 200  # asks; a link checker unsubscribes no one
    assert not Subscription.objects.filter(user=cast.brazilian, level="mute").exists()
    assert client.post(path).status_code == 200
    assert Subscription.objects.get(user=cast.brazilian, channel=cast.general).level == "mute"
    with django_capture_on_commit_callbacks(execute=True):
        posting.do_start_topic(
            cast.french, cast.place(cast.french), cast.general.pk, "Plan", "Encore @ana"
        )
    assert len(mail.outbox) == 1  # muted: the notice is on her page, no e-mail
    assert Notification.objects.filter(user=cast.brazilian).count() == 2
    assert client.post(path[:-5] + "xxxxx/").status_code == 404  # a forged token


def reply_mail(to: str, sender: str, text: str, **headers: str) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Re: Plan"
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(text + "\n\nOn Mon, 1 Dec 2026, Plenary wrote:\n> Regarde @ana\n")
    return bytes(message)


@override_settings(WORKSPACE_REPLY_ADDRESS=REPLY)
def test_reply_by_email_round_trip(cast: Cast, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = posting.do_start_topic(
            cast.french, cast.place(cast.french), cast.general.pk, "Plan", "Regarde @ana"
        )
    (sent,) = mail.outbox
    (address,) = sent.reply_to
    assert address.startswith("reply+") and address.endswith("@plenary.example.org")
    out, err = io.StringIO(), io.StringIO()
    stdin = io.TextIOWrapper(
        io.BytesIO(reply_mail(address, "Ana <ana@example.org>", "D'accord, merci."))
    )
    import sys

    real = sys.stdin
    sys.stdin = stdin
    try:
        call_command("workspace_inbound", stdout=out, stderr=err)
    finally:
        sys.stdin = real
    answer = Message.objects.exclude(pk=first.pk).get()
    assert (answer.author, answer.topic_id, answer.text) == (
        cast.brazilian,
        first.topic_id,
        "D'accord, merci.",
    )


@override_settings(WORKSPACE_REPLY_ADDRESS=REPLY)
@pytest.mark.parametrize(
    "case",
    [
        "unknown sender",
        "forged token",
        "another person's address",
        "dmarc fail",
        "no text",
        "outsider",
    ],
)
def test_a_reply_by_email_that_is_not_genuine_is_refused_and_stores_nothing(
    cast: Cast, case: str
) -> None:
    first = posting.do_start_topic(
        cast.french, cast.place(cast.french), cast.general.pk, "Plan", "Bonjour"
    )
    good = mails.reply_address(cast.brazilian.pk, first.topic)
    raw = {
        "unknown sender": reply_mail(good, "someone@elsewhere.example", "Hi"),
        "forged token": reply_mail(good.replace(".", ".9", 1), "ana@example.org", "Hi"),
        "another person's address": reply_mail(
            mails.reply_address(cast.french_too.pk, first.topic), "ana@example.org", "Hi"
        ),
        "dmarc fail": reply_mail(
            good, "ana@example.org", "Hi", Authentication_Results="mx; dmarc=fail header.from=x"
        ),
        "no text": reply_mail(good, "ana@example.org", ""),
        "outsider": reply_mail(
            mails.reply_address(cast.outsider.pk, first.topic), "wanjiru@example.org", "Hi"
        ),
    }[case]
    message, reason = inbound.receive_quietly(raw)
    assert message is None and reason
    assert Message.objects.count() == 1


def test_a_maildir_is_read_and_every_message_is_moved(
    cast: Cast, tmp_path: Any, settings: Any
) -> None:
    settings.WORKSPACE_REPLY_ADDRESS = REPLY
    first = posting.do_start_topic(
        cast.french, cast.place(cast.french), cast.general.pk, "Plan", "Bonjour"
    )
    (tmp_path / "new").mkdir()
    good = mails.reply_address(cast.brazilian.pk, first.topic)
    (tmp_path / "new" / "1").write_bytes(reply_mail(good, "ana@example.org", "Oui"))
    (tmp_path / "new" / "2").write_bytes(b"not an e-mail at all")
    out = io.StringIO()
    call_command("workspace_inbound", maildir=tmp_path, stdout=out)
    assert sorted(p.name for p in (tmp_path / "cur").iterdir()) == ["1:2,S", "2:2,S"]
    assert Message.objects.filter(author=cast.brazilian, text="Oui").exists()
