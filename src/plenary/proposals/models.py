"""Proposals Management System: base texts, conferences, proposal documents.

The model borrows Akoma Ntoso's concepts (see ARCHITECTURE.md): an
``Instrument`` (work) has ``Edition``s (expressions, text per language) made of
a ``Provision`` tree with stable ids such as RR ``5.338A``. A conference's
``ProposalDocument`` carries ``Proposal``s, each one change (ADD/MOD/SUP/NOC)
to one provision. Rules that span rows are checked in ``services``; the
database enforces uniqueness so that no path stores a duplicate.
"""

from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from plenary.core.languages import Language
from plenary.meetings.models import localized, validate_time_zone


class Instrument(models.Model):
    """A treaty text or resolution (Akoma Ntoso "work")."""

    class Kind(models.TextChoices):
        CONSTITUTION = "constitution", _("Constitution")
        CONVENTION = "convention", _("Convention")
        REGULATIONS = "regulations", _("Administrative regulations")
        RESOLUTION = "resolution", _("Resolution")

    code = models.SlugField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    titles = models.JSONField(_("titles"), default=dict)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.titles) or self.code

    @property
    def is_basic_text(self) -> bool:
        """The Constitution and Convention have their own, earlier deadline."""
        return self.kind in {self.Kind.CONSTITUTION, self.Kind.CONVENTION}


class Edition(models.Model):
    """One edition of an instrument (Akoma Ntoso "expression", all languages)."""

    instrument = models.ForeignKey(
        Instrument, verbose_name=_("instrument"), on_delete=models.CASCADE, related_name="editions"
    )
    label = models.CharField(_("edition"), max_length=32)
    date = models.DateField(_("date"))
    languages = models.JSONField(_("languages"), default=list)

    class Meta:
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        ordering = ["instrument__code", "-date"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "label"], name="pms_edition_unique")
        ]

    def __str__(self) -> str:
        return f"{self.instrument.code} ({self.label})"


class ProvisionKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    SECTION = "section", _("Section")
    PROVISION = "provision", _("Provision")
    FOOTNOTE = "footnote", _("Footnote")
    TABLE = "table", _("Table")


class Provision(models.Model):
    """A node of an edition's tree; ``pid`` is stable across editions."""

    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="provisions"
    )
    pid = models.CharField(_("provision"), max_length=64)
    kind = models.CharField(_("kind"), max_length=12, choices=ProvisionKind.choices)
    number = models.CharField(_("number"), max_length=64, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    # Depth-first document order inside the edition.
    position = models.PositiveIntegerField(_("position"))
    headings = models.JSONField(_("headings"), default=dict, blank=True)
    texts = models.JSONField(_("texts"), default=dict, blank=True)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        ordering = ["edition", "position"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "pid"], name="pms_provision_unique")
        ]
        indexes = [models.Index(fields=["pid"], name="pms_provision_pid")]

    def __str__(self) -> str:
        return self.number or self.pid

    @property
    def heading(self) -> str:
        return localized(self.headings) if self.headings else ""

    def text_in(self, language: str) -> str:
        return self.texts.get(language, "")


class Conference(models.Model):
    """A world conference or assembly that receives proposals."""

    code = models.SlugField(_("reference"), max_length=32, unique=True)
    titles = models.JSONField(_("titles"), default=dict)
    meeting = models.OneToOneField(
        "meetings.Meeting",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pms_conference",
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, validators=[validate_time_zone], default="Europe/Zurich"
    )
    languages = models.JSONField(_("languages"), default=list)
    editions = models.ManyToManyField(
        Edition, verbose_name=_("base editions"), related_name="conferences"
    )

    class Meta:
        verbose_name = _("conference")
        verbose_name_plural = _("conferences")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self.titles) or self.code

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class AgendaItem(models.Model):
    conference = models.ForeignKey(
        Conference, on_delete=models.CASCADE, related_name="agenda_items"
    )
    number = models.CharField(_("number"), max_length=16)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    titles = models.JSONField(_("titles"), default=dict)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["conference", "position", "number"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "number"], name="pms_agenda_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def title(self) -> str:
        return localized(self.titles)


class Committee(models.Model):
    class Kind(models.TextChoices):
        PLENARY = "plenary", _("Plenary")
        COMMITTEE = "committee", _("Committee")
        WORKING_GROUP = "working_group", _("Working group")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="committees")
    code = models.CharField(_("code"), max_length=16)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="groups"
    )
    names = models.JSONField(_("names"), default=dict)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["conference", "code"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "code"], name="pms_committee_unique")
        ]

    def __str__(self) -> str:
        return f"{self.code} {localized(self.names)}".strip()


class Deadline(models.Model):
    """When submission closes; basic-text proposals close earlier than others."""

    class Kind(models.TextChoices):
        PROPOSALS = "proposals", _("Proposals")
        BASIC_TEXTS = "basic_texts", _("Proposals to amend the Constitution or Convention")

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="deadlines")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    closes_at = models.DateTimeField(_("closes at"))

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["closes_at"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "kind"], name="pms_deadline_unique")
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class ProposalDocument(models.Model):
    """Document N (Addendum M) (Revision K): one or many sponsors, many proposals."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded by a revision")

    conference = models.ForeignKey(Conference, on_delete=models.PROTECT, related_name="documents")
    # The entity that originates the document; its code prefixes identifiers.
    entity = models.ForeignKey(
        "accounts.Entity", verbose_name=_("originator"), on_delete=models.PROTECT
    )
    title = models.CharField(_("title"), max_length=300)
    original_language = models.CharField(
        _("original language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    agenda_items = models.ManyToManyField(
        AgendaItem, verbose_name=_("agenda items"), related_name="documents"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )

    class Derivation(models.TextChoices):
        ORIGINAL = "", _("Original")
        ADDENDUM = "addendum", _("Addendum")
        REVISION = "revision", _("Revision")

    # Set for an addendum or a revision: the document it adds to or revises.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="derived"
    )
    derivation = models.CharField(max_length=10, choices=Derivation.choices, blank=True)
    number = models.PositiveIntegerField(_("document number"), null=True, blank=True)
    addendum = models.PositiveSmallIntegerField(_("addendum"), default=0)
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.SET_NULL, related_name="documents"
    )
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("proposal document")
        verbose_name_plural = _("proposal documents")
        ordering = ["conference", "number", "addendum", "revision", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "number", "addendum", "revision"],
                name="pms_document_number_unique",
            )
        ]
        indexes = [models.Index(fields=["conference", "status"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """ITU style: ``Document 12(Add.1)(Rev.2)``; a draft has no number yet."""
        if self.number is None:
            return str(_("Draft %(id)s") % {"id": self.pk})
        text = str(_("Document %(number)s") % {"number": self.number})
        if self.addendum:
            text += f"(Add.{self.addendum})"
        if self.revision:
            text += f"(Rev.{self.revision})"
        return text

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT


class Sponsorship(models.Model):
    class Role(models.TextChoices):
        ORIGINATOR = "originator", _("Originator")
        CO_SIGNATORY = "co_signatory", _("Co-signatory")

    class State(models.TextChoices):
        INVITED = "invited", _("Invited")
        SIGNED = "signed", _("Signed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    document = models.ForeignKey(
        ProposalDocument, on_delete=models.CASCADE, related_name="sponsorships"
    )
    entity = models.ForeignKey(
        "accounts.Entity", on_delete=models.PROTECT, related_name="pms_sponsorships"
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    invited_at = models.DateTimeField(auto_now_add=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sponsorship")
        verbose_name_plural = _("sponsorships")
        ordering = ["document", "-role", "entity__code"]
        constraints = [
            models.UniqueConstraint(fields=["document", "entity"], name="pms_sponsor_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entity.code} ({self.get_state_display()})"


class Action(models.TextChoices):
    ADD = "ADD", _("ADD — new provision")
    MOD = "MOD", _("MOD — modify")
    EDITORIAL = "(MOD)", _("(MOD) — editorial change")
    SUP = "SUP", _("SUP — suppress")
    NOC = "NOC", _("NOC — no change")


class Proposal(models.Model):
    """One change to one provision of a base edition."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        ALLOCATED = "allocated", _("Allocated")
        CONSIDERED = "considered", _("Considered")
        MERGED = "merged", _("Merged into a draft text")
        AGREED = "agreed", _("Agreed")
        ADOPTED = "adopted", _("Adopted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        NOTED = "noted", _("Noted")

    document = models.ForeignKey(
        ProposalDocument, on_delete=models.CASCADE, related_name="proposals"
    )
    seq = models.PositiveIntegerField(_("sequence"))
    action = models.CharField(_("action"), max_length=5, choices=Action.choices)
    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="proposals")
    # MOD, (MOD), SUP, NOC: the provision changed. ADD: the provision it follows.
    provision = models.ForeignKey(
        Provision, null=True, blank=True, on_delete=models.PROTECT, related_name="proposals"
    )
    # ADD only: the new provision's id (also its number); it follows ``provision``.
    new_pid = models.CharField(_("new provision number"), max_length=64, blank=True)
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, on_delete=models.PROTECT, related_name="proposals"
    )
    texts = models.JSONField(_("new text"), default=dict, blank=True)
    reasons = models.JSONField(_("reasons"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    search_text = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["document", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["document", "seq"], name="pms_proposal_seq_unique")
        ]
        indexes = [models.Index(fields=["new_pid"], name="pms_proposal_new_pid")]

    def __str__(self) -> str:
        return f"{self.identifier} {self.action} {self.target_pid}"

    @property
    def target_pid(self) -> str:
        if self.action == Action.ADD:
            return self.new_pid
        return self.provision.pid if self.provision else ""

    @property
    def identifier(self) -> str:
        """``ADMIN/N/seq`` (``EUR/16A1/3`` for addendum 1); drafts use the draft id."""
        doc = self.document
        number = f"{doc.number}" if doc.number is not None else f"D{doc.pk}"
        if doc.addendum:
            number += f"A{doc.addendum}"
        return f"{doc.entity.code}/{number}/{self.seq}"


class ProposalVersion(models.Model):
    """Append-only history: who saved which content of a proposal, and when."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    saved_at = models.DateTimeField(auto_now_add=True)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["proposal", "version"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "version"], name="pms_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} v{self.version}"


class Translation(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        IN_TRANSLATION = "in_translation", _("In translation")
        REVISED = "revised", _("Revised")
        PUBLISHED = "published", _("Published")

    document = models.ForeignKey(
        ProposalDocument, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # Machine-translation draft by proposal id: {"12": {"text": ..., "reasons": ...}}.
    mt_draft = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["document", "language"]
        constraints = [
            models.UniqueConstraint(fields=["document", "language"], name="pms_translation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.document_id} {self.language}: {self.status}"


class StatusEvent(models.Model):
    """Append-only: what happened to a proposal, when, by whom, in which body."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=Proposal.Status.choices)
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("status event")
        verbose_name_plural = _("status events")
        ordering = ["proposal", "at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id} {self.kind}"
