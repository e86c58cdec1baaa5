"""Workspaces: where a group's delegates and staff discuss between meetings.

Zulip's model: a workspace has channels, a channel has named topics, a message
belongs to one topic. Messages keep their Markdown source (``text``) and its
rendering (``html``, sanitised once when written); edits keep the earlier
texts (``MessageRevision``); a moderator hides, never deletes. Who belongs is
``Membership`` (explicit: invited, joined, or given a role) plus what follows
from accreditation: the people of the workspace's entities and the
participants of its meeting (``services.access``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from plenary.accounts.models import Entity
from plenary.meetings.models import Meeting, Sector


class KeptForever(models.Model):
    """Rows of the record: changed by the services, never deleted."""

    class Meta:
        abstract = True

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"{type(self).__name__} rows are kept; hide or archive them instead")


def localised(names: dict[str, str], fallback: str) -> str:
    """The name in the active language, else English, else any, else ``fallback``."""
    language = (get_language() or "en").lower()
    return names.get(language) or names.get("en") or next(iter(names.values()), fallback)


class Workspace(KeptForever):
    class Kind(models.TextChoices):
        STUDY_GROUP = "study_group", _("Study group")
        WORKING_PARTY = "working_party", _("Working party")
        QUESTION = "question", _("Question or rapporteur group")
        FOCUS_GROUP = "focus_group", _("Focus group")
        COUNCIL_GROUP = "council_group", _("Council working group")
        REGIONAL_GROUP = "regional_group", _("Regional group")
        MEETING = "meeting", _("Meeting")

    class Visibility(models.TextChoices):
        MEMBERS = "members", _("Members only")
        ACCREDITED = "accredited", _("Everyone accredited")
        PUBLIC = "public", _("Public")

    slug = models.SlugField(_("address"), max_length=64, unique=True)
    names = models.JSONField(_("names"), default=dict, help_text=_("By language code."))
    descriptions = models.JSONField(_("descriptions"), default=dict, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    visibility = models.CharField(
        _("who may read"), max_length=12, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    sector = models.ForeignKey(
        Sector, verbose_name=_("sector"), null=True, blank=True, on_delete=models.PROTECT
    )
    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="workspaces",
        help_text=_("Its participants are members."),
    )
    entities = models.ManyToManyField(
        Entity,
        verbose_name=_("member entities"),
        blank=True,
        related_name="workspaces",
        help_text=_("Everyone who represents one of them is a member."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    # Its documents (a documents ``Library``), made with the first upload.
    library = models.OneToOneField(
        "documents.Library",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="workspace",
    )

    class Meta:
        verbose_name = _("workspace")
        verbose_name_plural = _("workspaces")
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localised(self.names, self.slug)

    @property
    def description(self) -> str:
        return localised(self.descriptions, "")


class Membership(models.Model):
    """An explicit member: invited, joined by themselves, or given a role."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        MODERATOR = "moderator", _("Moderator")
        STAFF = "staff", _("Staff")

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workspace_memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    joined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.workspace}"


class Group(models.Model):
    """People one mentions together: ``@rapporteurs``."""

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="groups")
    handle = models.SlugField(_("handle"), max_length=40)
    name = models.CharField(_("name"), max_length=120)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    moderators_only = models.BooleanField(_("only moderators may mention it"), default=False)

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(fields=["workspace", "handle"], name="one_handle_per_workspace")
        ]

    def __str__(self) -> str:
        return f"@{self.handle}"


class Channel(KeptForever):
    workspace = models.ForeignKey(Workspace, on_delete=models.PROTECT, related_name="channels")
    slug = models.SlugField(_("address"), max_length=64)
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=300, blank=True)
    moderators_post = models.BooleanField(
        _("only moderators start topics"),
        default=False,
        help_text=_("For announcements: members still reply."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)

    class Meta:
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "slug"], name="one_channel_per_address")
        ]

    def __str__(self) -> str:
        return f"#{self.name}"


class Topic(KeptForever):
    channel = models.ForeignKey(Channel, on_delete=models.PROTECT, related_name="topics")
    title = models.CharField(_("topic"), max_length=120)
    # The title folded (services.text.topic_key): one topic per name in a channel.
    key = models.CharField(max_length=120, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    last_message_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_message_id = models.BigIntegerField(default=0)
    message_count = models.PositiveIntegerField(default=0)
    pinned = models.BooleanField(_("pinned"), default=False)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        constraints = [
            models.UniqueConstraint(fields=["channel", "key"], name="one_topic_per_name")
        ]
        indexes = [models.Index(fields=["channel", "-last_message_at"], name="topics_by_activity")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        channel = self.channel
        return reverse("workspaces:topic", args=[channel.workspace.slug, channel.slug, self.pk])


class Message(KeptForever):
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_entity = models.ForeignKey(
        Entity, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    text = models.TextField(_("text"))
    html = models.TextField(editable=False)
    # The text in the form full-text search stores and matches (workspaces.search).
    search = models.TextField(editable=False, default="")
    # The language the author wrote in (their page's); "" if unknown.
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Files posted with the message: versions of documents in the workspace's library.
    attachments = models.ManyToManyField(
        "documents.LibraryFile", blank=True, related_name="messages", editable=False
    )

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [
            models.Index(fields=["topic", "id"], name="messages_in_topic"),
            models.Index(fields=["author", "created_at"], name="messages_by_author"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} in {self.topic}"

    def get_absolute_url(self) -> str:
        return f"{self.topic.get_absolute_url()}#m{self.pk}"


class MessageRevision(KeptForever):
    """A text a message had before an edit."""

    message = models.ForeignKey(Message, on_delete=models.PROTECT, related_name="revisions")
    text = models.TextField()
    written_at = models.DateTimeField()
    replaced_at = models.DateTimeField(default=timezone.now)
    replaced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["replaced_at", "id"]

    def __str__(self) -> str:
        return f"{self.message} before {self.replaced_at:%Y-%m-%d %H:%M}"


class MessageTranslation(models.Model):
    """A message in another language: a cached machine translation, or its author's own."""

    class Kind(models.TextChoices):
        MACHINE = "machine", _("Machine translation")
        HUMAN = "human", _("Translation by the author")

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=8)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.TextField()
    html = models.TextField()
    # The text it translates: a translation of an earlier text is stale.
    source_digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["message", "language", "kind"], name="one_translation_per_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.message} in {self.language} ({self.kind})"


class Reaction(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    emoji = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "user", "emoji"], name="one_reaction_each")
        ]

    def __str__(self) -> str:
        return f"{self.emoji} on {self.message}"


class ReadMarker(models.Model):
    """How far one person has read a topic (the id of the last message seen)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="+")
    last_read_id = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="one_read_marker_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.user} read {self.topic} to #{self.last_read_id}"


class Subscription(models.Model):
    """One person's choice for a channel or a topic: follow it, or mute it."""

    class Level(models.TextChoices):
        FOLLOW = "follow", _("Following")
        MUTE = "mute", _("Muted")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(
        Channel, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    level = models.CharField(max_length=8, choices=Level.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__isnull=True) ^ models.Q(topic__isnull=True),
                name="subscription_to_one_thing",
            ),
            models.UniqueConstraint(
                fields=["user", "channel"],
                condition=models.Q(channel__isnull=False),
                name="one_choice_per_channel",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"],
                condition=models.Q(topic__isnull=False),
                name="one_choice_per_topic",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.level} {self.topic or self.channel}"


class Notification(models.Model):
    """Something for one person to read: a mention, a reply, a followed topic's message."""

    class Reason(models.TextChoices):
        MENTION = "mention", _("Mentioned you")
        REPLY = "reply", _("Replied to you")
        FOLLOWED = "followed", _("In a topic you follow")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workspace_notifications"
    )
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            # Mentioned twice in one message, or mentioned and following: one notice.
            models.UniqueConstraint(fields=["user", "message"], name="one_notice_per_message")
        ]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"], name="notices_unread")]

    def __str__(self) -> str:
        return f"{self.user}: {self.reason} {self.message}"


class MailChoice(models.Model):
    """How often one person wants the digest of what awaits them (mentions come at once)."""

    class Digest(models.TextChoices):
        DAILY = "daily", _("Every day")
        WEEKLY = "weekly", _("Every week")
        NEVER = "never", _("Never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="workspace_mail"
    )
    digest = models.CharField(
        _("digest"), max_length=8, choices=Digest.choices, default=Digest.DAILY
    )
    last_digest_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.digest}"


class Call(models.Model):
    """A call started from a topic: an ad-hoc meeting of the room (one session) whose
    starter chairs it; members join from the topic; its summary is posted back."""

    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="calls")
    session = models.OneToOneField(
        "meetings.Session", on_delete=models.PROTECT, related_name="workspace_call"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)
    summary = models.OneToOneField(
        Message, null=True, blank=True, on_delete=models.PROTECT, related_name="call_summary"
    )

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [  # one call at a time in a topic
            models.UniqueConstraint(
                fields=["topic"], condition=models.Q(ended_at=None), name="one_open_call_per_topic"
            )
        ]

    def __str__(self) -> str:
        return f"call in {self.topic}"
