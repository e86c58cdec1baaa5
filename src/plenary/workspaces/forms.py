"""The forms of the workspace pages; the rules themselves are in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plenary.accounts.models import Entity
from plenary.core.languages import Language
from plenary.documents.forms import file_field
from plenary.meetings.models import Sector
from plenary.workspaces import markup
from plenary.workspaces.models import Channel, MailChoice, Membership, Workspace

# Twice the stored limit: the service trims, counts and says so in the reader's language.
_TEXT_LIMIT = markup.MAX_CHARS * 2


def _text_field(*, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto", "data-draft": ""}),
        help_text=_("Markdown: **bold**, *italic*, lists, links. Mention with @name."),
        max_length=_TEXT_LIMIT,
        strip=False,
        required=required,
    )


def _attachment_field() -> forms.FileField:
    """A file posted with a message: it becomes a document of the workspace's library."""
    field = file_field()
    field.required = False
    field.label = _("Attach a file (PDF, DOCX, XLSX or PPTX)")
    return field


class PostForm(forms.Form):
    # Not required here: a message with a file may have no text (the service decides).
    text = _text_field(required=False)
    file = _attachment_field()
    reply_to = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class TopicForm(forms.Form):
    title = forms.CharField(
        label=_("Topic"),
        max_length=markup.MAX_TITLE_CHARS * 2,
        widget=forms.TextInput(attrs={"dir": "auto"}),
    )
    text = _text_field(required=False)
    file = _attachment_field()


class LibraryForm(forms.Form):
    """A new document of the library, or (without ``title``) a new version of one."""

    title = forms.CharField(
        label=_("Title"),
        max_length=400,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("The file's name if left empty."),
    )
    label = forms.CharField(
        label=_("Version name"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"dir": "auto"}),
        help_text=_("For example “as presented” or “after the rapporteur meeting”."),
    )
    file = file_field()


class VersionForm(LibraryForm):
    title = None  # type: ignore[assignment]


class LibrarySearchForm(forms.Form):
    q = forms.CharField(label=_("Search the library"), max_length=200, required=False)


class EditForm(forms.Form):
    text = _text_field()


class OwnTranslationForm(forms.Form):
    text = _text_field()

    def __init__(self, *args: Any, original: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = [(code, name) for code, name in Language.choices if code != original]
        self.fields = {
            "language": forms.ChoiceField(label=_("Language"), choices=others),
            **self.fields,
        }


class ChannelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    moderators_post = forms.BooleanField(
        label=_("Only moderators start topics (announcements)"), required=False
    )


class InviteForm(forms.Form):
    person = forms.CharField(label=_("User name or e-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class GroupForm(forms.Form):
    """A group's name, its members and who may mention it; its handle when it is new."""

    handle = forms.CharField(
        label=_("Handle"), max_length=40, help_text=_("Mentioned as @handle: rapporteurs")
    )
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    members = forms.CharField(
        label=_("Members"),
        help_text=_("User names or e-mail addresses, separated by spaces, commas or lines."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=50_000,
        required=False,
    )
    moderators_only = forms.BooleanField(label=_("Only moderators may mention it"), required=False)

    def __init__(self, *args: Any, new: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not new:
            del self.fields["handle"]

    def people(self) -> list[str]:
        return self.cleaned_data["members"].replace(",", " ").split()


class WorkspaceSettingsForm(forms.Form):
    """What a workspace's staff change: its name and description in one language, who
    may read it, its member entities, its sector, whether it is archived."""

    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    name_language = forms.ChoiceField(
        label=_("Language of the name"), choices=Language.choices, initial=Language.ENGLISH
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Workspace.Visibility.choices,
        initial=Workspace.Visibility.MEMBERS,
    )
    entities = forms.ModelMultipleChoiceField(
        label=_("Member entities"),
        queryset=Entity.objects.order_by("name"),
        required=False,
        help_text=_("Everyone who represents one of them is a member."),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), required=False
    )
    archived = forms.BooleanField(
        label=_("Archived: everyone who read it still does; nobody writes"), required=False
    )


class WorkspaceForm(WorkspaceSettingsForm):
    """A new workspace: its address and kind too, and it starts open."""

    slug = forms.SlugField(
        label=_("Address"), max_length=64, help_text=_("Letters, digits and hyphens: sg17-q4")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Workspace.Kind.choices)
    field_order = [
        "slug", "name", "name_language", "kind", "visibility", "description", "entities", "sector",
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        del self.fields["archived"]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    channel = forms.ModelChoiceField(
        label=_("Channel"), queryset=Channel.objects.none(), required=False
    )
    author = forms.CharField(label=_("Author (user name)"), max_length=150, required=False)
    entity = forms.ModelChoiceField(
        label=_("Entity"), queryset=Entity.objects.none(), required=False
    )
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    with_files = forms.BooleanField(label=_("Only messages with a file"), required=False)

    def __init__(self, *args: Any, workspace: Workspace, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["channel"].queryset = workspace.channels.all()  # type: ignore[attr-defined]
        self.fields["entity"].queryset = workspace.entities.order_by("name")  # type: ignore[attr-defined]


class DigestForm(forms.Form):
    digest = forms.ChoiceField(
        label=_("E-mail me what awaits me"),
        choices=MailChoice.Digest.choices,
        help_text=_("Mentions are e-mailed at once."),
    )
