"""Forms parse shapes only; business rules are checked in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plenary.core.languages import Language
from plenary.proposals.models import (
    Action,
    Committee,
    Conference,
    Deadline,
    Proposal,
    ProposalDocument,
)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    original_language = forms.ChoiceField(label=_("Original language"), choices=Language.choices)
    agenda_items = forms.TypedMultipleChoiceField(
        label=_("Agenda items"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, conference: Conference, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["agenda_items"].choices = [  # type: ignore[attr-defined]
            (item.pk, str(item)) for item in conference.agenda_items.all()
        ]


class ProposalForm(forms.Form):
    action = forms.ChoiceField(label=_("Action"), choices=Action.choices)
    edition = forms.TypedChoiceField(label=_("Base edition"), coerce=int)
    pid = forms.CharField(
        label=_("Provision"),
        max_length=64,
        help_text=_("The provision changed (e.g. 5.338A); for ADD, the provision it follows."),
    )
    new_pid = forms.CharField(
        label=_("New provision number (ADD only)"), max_length=64, required=False
    )
    agenda_item = forms.TypedChoiceField(
        label=_("Agenda item"), coerce=int, required=False, empty_value=None
    )
    text = forms.CharField(
        label=_("New text"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=20_000,
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, document: ProposalDocument, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["edition"].choices = [  # type: ignore[attr-defined]
            (e.pk, str(e)) for e in document.conference.editions.select_related("instrument")
        ]
        self.fields["agenda_item"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (item.pk, str(item)) for item in document.agenda_items.all()
        ]


class EventForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Event"),
        choices=[
            c for c in Proposal.Status.choices if c[0] not in {"draft", "submitted", "allocated"}
        ],
    )
    committee = forms.TypedChoiceField(
        label=_("Body"), coerce=int, required=False, empty_value=None
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    proposals = forms.TypedMultipleChoiceField(
        label=_("Proposals"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, document: ProposalDocument, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["committee"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (c.pk, str(c)) for c in Committee.objects.filter(conference=document.conference_id)
        ]
        self.fields["proposals"].choices = [  # type: ignore[attr-defined]
            (p.pk, p.identifier) for p in document.proposals.select_related("document__entity")
        ]


class DeadlineForm(forms.Form):
    kind = forms.ChoiceField(label=_("Deadline"), choices=Deadline.Kind.choices)
    closes_at = forms.DateTimeField(
        label=_("Closes at (conference time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )


class ConsolidateForm(forms.Form):
    label = forms.CharField(label=_("New edition label"), max_length=32)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
