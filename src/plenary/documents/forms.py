"""The forms of the document pages; the rules themselves are in ``services``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from plenary.accounts.models import Entity
from plenary.core.languages import UN_LANGUAGES, Language
from plenary.documents.models import Document, LanguageVersion, Series
from plenary.documents.services.submission import Submission
from plenary.meetings.models import AgendaItem, Meeting


def file_field() -> forms.FileField:
    """The upload field of every document form (its kind is checked by the services)."""
    return forms.FileField(
        label=_("File (PDF, DOCX, XLSX or PPTX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx"}),
    )


class SubmitForm(forms.Form):
    series = forms.ModelChoiceField(label=_("Series"), queryset=Series.objects.none())
    title = forms.CharField(label=_("Title"), max_length=500)
    language = forms.ChoiceField(label=_("Language of the file"), choices=Language.choices)
    abstract = forms.CharField(
        label=_("Abstract"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    authors = forms.CharField(label=_("Authors"), required=False, max_length=500)
    agenda_items = forms.ModelMultipleChoiceField(
        label=_("Agenda items"),
        queryset=AgendaItem.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    access = forms.ChoiceField(
        label=_("Who may read it once published"),
        choices=Document.Access.choices,
        initial=Document.Access.ACCREDITED,
    )
    entity = forms.ModelChoiceField(
        label=_("Submitted for"), queryset=Entity.objects.none(), required=False
    )
    source = forms.ChoiceField(
        label=_("Source"), choices=[("", "—"), *Document.Source.choices], required=False
    )
    number = forms.IntegerField(
        label=_("Number"),
        min_value=1,
        max_value=999_999,
        required=False,
        help_text=_("Empty: the next free number."),
    )
    file = file_field()

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        series: list[Series],
        entities: list[Entity],
        manager: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["series"].queryset = Series.objects.filter(pk__in=[s.pk for s in series])  # type: ignore[attr-defined]
        fields["series"].label_from_instance = lambda s: s.name  # type: ignore[attr-defined]
        if len(series) == 1:
            fields["series"].initial = series[0].pk
        fields["agenda_items"].queryset = meeting.agenda_items.all()  # type: ignore[attr-defined]
        if not meeting.agenda_items.exists():
            del fields["agenda_items"]
        # Most people write in the language they read the site in.
        reading = translation.get_language() or ""
        fields["language"].initial = (
            reading if reading in UN_LANGUAGES else meeting.working_language
        )
        if len(entities) > 1 or (manager and entities):
            fields["entity"].queryset = Entity.objects.filter(pk__in=[e.pk for e in entities])  # type: ignore[attr-defined]
        else:
            del fields["entity"]
        if not manager:
            del fields["source"], fields["number"]

    def submission(self) -> Submission:
        data = self.cleaned_data
        return Submission(
            title=data["title"],
            language=data["language"],
            abstract=data.get("abstract", ""),
            authors=data.get("authors", ""),
            agenda_items=list(data.get("agenda_items") or []),
            access=data["access"],
            entity=data.get("entity"),
            source=data.get("source", ""),
            number=data.get("number"),
        )


class FileForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    label = forms.CharField(
        label=_("Version name"),
        required=False,
        max_length=120,
        help_text=_("Optional, for example “as presented”."),
    )
    file = file_field()


class ReviseForm(forms.Form):
    title = forms.CharField(
        label=_("Title of the revision"),
        required=False,
        max_length=500,
        help_text=_("Empty: the same title."),
    )
    file = file_field()


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices)
    status = forms.ChoiceField(
        label=_("Translation status"),
        choices=[c for c in LanguageVersion.Translation.choices if c[0] != "original"],
    )


class RegisterFilter(forms.Form):
    """The register's filters (GET); unknown values are ignored, never an error page."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    series = forms.ModelChoiceField(
        label=_("Series"), queryset=Series.objects.none(), required=False, empty_label=_("All")
    )
    agenda = forms.ModelChoiceField(
        label=_("Agenda item"),
        queryset=AgendaItem.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    language = forms.ChoiceField(
        label=_("Available in"),
        choices=[("", _("Any language")), *Language.choices],
        required=False,
    )

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["series"].queryset = meeting.document_series.all()  # type: ignore[attr-defined]
        self.fields["series"].label_from_instance = lambda s: s.name  # type: ignore[attr-defined]
        self.fields["agenda"].queryset = meeting.agenda_items.all()  # type: ignore[attr-defined]
        if not meeting.agenda_items.exists():
            del self.fields["agenda"]
