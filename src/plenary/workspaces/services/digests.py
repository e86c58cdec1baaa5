"""The digest: what awaits each person, by e-mail, daily or weekly, in their language.

A digest lists the notices a person has neither read nor been mailed
(replies, followed topics; mentions were mailed at once), grouped by
workspace and topic, each with its link; it is sent when the person's period
has passed since their last one, and only if there is something in it. Its
``List-Unsubscribe`` stops the digests (one click, signed); each channel's
line carries that channel's own unsubscribe link. ``plenary workspace_digests``
sends those that are due (a task worker runs it every hour: ``send_due_digests``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plenary.core.tasks import every, task
from plenary.live.standing import display_name
from plenary.workspaces.models import MailChoice, Notification, Subscription
from plenary.workspaces.services.mail import automatic_headers, topic_url, unsubscribe_url

PERIOD: dict[str, dt.timedelta] = {
    MailChoice.Digest.DAILY: dt.timedelta(days=1),
    MailChoice.Digest.WEEKLY: dt.timedelta(days=7),
}
MAX_LINES = 50
STOP_SALT = "plenary.workspaces.stop-digests"


def stop_url(user_id: int) -> str:
    token = signing.dumps(user_id, salt=STOP_SALT)
    return settings.BASE_URL + reverse("workspaces:stop_digests", args=[token])


def read_stop(token: str) -> int | None:
    try:
        return int(signing.loads(token, salt=STOP_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None


def pending() -> QuerySet[Notification]:
    """The notices a digest would list: unread, not mailed, about a message still shown,
    for someone with an address who did not mute the channel."""
    muted = Subscription.objects.filter(
        user_id=OuterRef("user_id"),
        channel_id=OuterRef("message__topic__channel_id"),
        level=Subscription.Level.MUTE,
    )
    return (
        Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True)
        .exclude(Q(user__email="") | Q(message__hidden_at__isnull=False))
        .exclude(Exists(muted))
    )


def due_people(now: dt.datetime) -> set[int]:
    """Who gets a digest now: something waits for them and their period has passed."""
    waiting = set(pending().values_list("user_id", flat=True).distinct())
    choices = {c.user_id: c for c in MailChoice.objects.filter(user_id__in=waiting)}
    due = set()
    for user_id in waiting:
        choice = choices.get(user_id)
        digest = choice.digest if choice else MailChoice.Digest.DAILY
        if digest == MailChoice.Digest.NEVER:
            continue
        last = choice.last_digest_at if choice else None
        if last is None or now - last >= PERIOD[digest] - dt.timedelta(minutes=5):
            due.add(user_id)
    return due


def _compose(person: Any, notices: list[Notification]) -> tuple[str, str]:
    count = len(notices)
    subject = ngettext(
        "%(count)d new message in your workspaces",
        "%(count)d new messages in your workspaces",
        count,
    ) % {"count": count}
    lines = [_("Hello %(name)s, here is what awaits you:") % {"name": display_name(person)}]
    by_workspace = itertools.groupby(notices, key=lambda n: n.message.topic.channel.workspace)
    for workspace, in_workspace in by_workspace:
        lines.append(f"\n== {workspace.name} ==")
        by_topic = itertools.groupby(in_workspace, key=lambda n: n.message.topic)
        for topic, in_topic in by_topic:
            items = list(in_topic)
            lines.append(f"\n# {topic.title} (#{topic.channel.name})")
            for notice in items[:MAX_LINES]:
                message = notice.message
                first_line = (message.text.splitlines() or [""])[0][:160]
                lines.append(f"- {display_name(message.author)}: {first_line}")
            lines.append(_("Read: %(url)s") % {"url": topic_url(items[-1].message)})
            lines.append(
                _("No more e-mails about #%(channel)s: %(url)s")
                % {"channel": topic.channel.name, "url": unsubscribe_url(person.pk, topic.channel)}
            )
    lines.append("\n" + _("No more digests: %(url)s") % {"url": stop_url(person.pk)})
    return subject, "\n".join(lines)


@task()
def send_due_digests() -> None:
    send_digests()


# The digests that are due go out every ``PLENARY_WORKSPACE_DIGEST_SECONDS`` from a task
# worker (0: never; then run ``plenary workspace_digests``).
every(lambda: float(settings.WORKSPACE_DIGEST_SECONDS), send_due_digests)


def send_digests(now: dt.datetime | None = None) -> int:
    """Send every digest that is due; how many were sent."""
    now = now or timezone.now()
    due = due_people(now)
    if not due:
        return 0
    notices = (
        pending()
        .filter(user_id__in=due)
        .select_related("message__author", "message__topic__channel__workspace")
        .order_by("user_id", "message__topic__channel__workspace_id", "message__topic_id", "pk")
    )
    people = {p.pk: p for p in get_user_model().objects.filter(pk__in=due)}
    sent = 0
    with get_connection() as connection:
        for user_id, group in itertools.groupby(
            notices.iterator(chunk_size=2000), key=lambda n: n.user_id
        ):
            person = people[user_id]
            items = list(group)
            with translation.override(person.preferred_language):
                subject, body = _compose(person, items)
            EmailMessage(
                subject,
                body,
                to=[person.email],
                connection=connection,
                headers=automatic_headers(stop_url(person.pk)),
            ).send()
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(emailed_at=now)
            MailChoice.objects.update_or_create(user_id=user_id, defaults={"last_digest_at": now})
            sent += 1
    return sent
