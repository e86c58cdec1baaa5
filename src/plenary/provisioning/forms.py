"""Forms of the services pages; the services decide, the forms only parse."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from plenary.core.forms import RefusalFormMixin
from plenary.core.languages import Language
from plenary.meetings.models import Meeting
from plenary.provisioning.models import Service, ServiceRequest
from plenary.provisioning.services import NOTE_MAX_LENGTH, ServiceSpec


class RequestForm(RefusalFormMixin, forms.Form):
    """One checkbox per service, plus interpretation languages, public webcast and a note."""

    services = forms.MultipleChoiceField(
        label=_("Services"),
        choices=Service.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one service.")},
    )
    languages = forms.MultipleChoiceField(
        label=_("Interpretation languages"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("One booth per language: the room must have enough booths."),
    )
    public = forms.BooleanField(
        label=_("Public webcast: anyone may listen without signing in"), required=False
    )
    note = forms.CharField(
        label=_("Note for the approvers"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        meeting: Meeting,
        current: Mapping[str, ServiceRequest] | None = None,
        **kwargs: Any,
    ) -> None:
        """``current``: the latest request of each service, whose choices the form shows."""
        super().__init__(*args, **kwargs)
        current = current or {}
        languages = self.fields["languages"]
        assert isinstance(languages, forms.MultipleChoiceField)  # noqa: S101 -- declared above
        languages.choices = [(code, Language(code).label) for code in meeting.languages]
        interpretation = current.get(Service.INTERPRETATION)
        languages.initial = list(
            interpretation.languages if interpretation is not None else meeting.languages
        )
        webcast = current.get(Service.WEBCAST)
        self.fields["public"].initial = webcast is not None and webcast.public

    def specs(self) -> list[ServiceSpec]:
        data = self.cleaned_data
        return [
            ServiceSpec(
                service=service,
                languages=tuple(data["languages"]),
                public=data["public"],
                note=data["note"],
            )
            for service in data["services"]
        ]


class DecisionForm(forms.Form):
    """The decision comes from the button pressed (``name="decision"``)."""

    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(
        label=_("Note"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.TextInput
    )
