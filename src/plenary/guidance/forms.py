from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from plenary.core.languages import Language


class GuidelineForm(forms.Form):
    """A new version: the date it comes into force and its text in each language."""

    in_force_from = forms.DateField(
        label=_("In force from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    change_note = forms.CharField(label=_("What changed"), max_length=300, required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for code, name in Language.choices:
            self.fields[f"text_{code}"] = forms.CharField(
                label=_("Text in %(language)s") % {"language": name},
                required=code == Language.ENGLISH,
                widget=forms.Textarea(attrs={"rows": 8, "lang": code}),
            )

    def texts(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"text_{code}") or "" for code in Language.values}
