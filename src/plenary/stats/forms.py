from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plenary.accounts.models import Entity, Region
from plenary.core.languages import Language
from plenary.meetings.models import Meeting, Sector, Site
from plenary.stats.queries import Filters
from plenary.stats.services import FIRST_YEAR


def year_choices() -> list[tuple[int, int]]:
    return [(year, year) for year in range(timezone.now().year, FIRST_YEAR - 1, -1)]


def _any(choices: Sequence[tuple[str, object]]) -> list[tuple[str, object]]:
    return [("", _("All")), *choices]


class FilterForm(forms.Form):
    """The dashboard's filters (GET). Invalid values fall back to "all"."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    site = forms.ChoiceField(label=_("Site"), required=False)
    meeting_type = forms.ChoiceField(
        label=_("Meeting type"), required=False, choices=_any(Meeting.Type.choices)
    )
    region = forms.ChoiceField(label=_("Region"), required=False, choices=_any(Region.choices))
    category = forms.ChoiceField(
        label=_("Entity category"), required=False, choices=_any(Entity.Category.choices)
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["sector"].choices = _any(  # type: ignore[attr-defined]
            [(s.code, str(s)) for s in Sector.objects.all()]
        )
        self.fields["site"].choices = _any(  # type: ignore[attr-defined]
            [(s.code, s.name) for s in Site.objects.all()]
        )

    def filters(self) -> Filters:
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or timezone.now().year
        return Filters(
            year=int(year),
            sector=data.get("sector", ""),
            site=data.get("site", ""),
            meeting_type=data.get("meeting_type", ""),
            region=data.get("region", ""),
            category=data.get("category", ""),
        )


class ReportRequestForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=year_choices)
    language = forms.ChoiceField(label=_("Report language"), choices=Language.choices)
