"""Forms of the meetings pages. They parse input; the services decide.

A ``Refusal`` from a service is shown on the field it names (see
``RefusalForm.add_refusal``), so a refused action keeps what the person typed.
"""

from __future__ import annotations

import datetime as dt
from importlib import resources
from typing import Any, cast

from django import forms
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from plenary.accounts.models import User
from plenary.core.errors import Refusal
from plenary.core.forms import RefusalFormMixin
from plenary.core.languages import Language, is_rtl
from plenary.meetings import rules
from plenary.meetings.models import (
    REMOTE_RIGHT_ORDER,
    AttendanceMode,
    Meeting,
    Registration,
    Room,
    Sector,
    Session,
    Site,
)
from plenary.meetings.services.meetings import MeetingData, SessionData
from plenary.meetings.services.participation import ASSIGNABLE_ROLES


def canonical_time_zones() -> list[str]:
    """The IANA ``zone.tab`` zones (Area/Location, e.g. Europe/Zurich), sorted: no
    deprecated aliases such as US/Samoa, Navajo or Japan."""
    table = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in table.splitlines() if not line.startswith("#"))
    return sorted({row[2] for row in rows if len(row) >= 3})


TIME_ZONES = canonical_time_zones()


class RefusalForm(RefusalFormMixin, forms.Form):
    """A form that can show a service's ``Refusal`` on the field it concerns."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Labels stand on their own line in the stacked layout: no colon.
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class MeetingForm(RefusalForm):
    """The wizard's first step, also used to edit a meeting."""

    code = forms.SlugField(
        label=_("Reference"),
        max_length=64,
        help_text=_("A short stable reference, e.g. T-SG17-2027-03."),
    )
    sector = forms.ModelChoiceField(label=_("Sector"), queryset=Sector.objects.all())
    meeting_type = forms.ChoiceField(label=_("Type of meeting"), choices=Meeting.Type.choices)
    working_language = forms.ChoiceField(
        label=_("Working language"), choices=Language.choices, initial=Language.ENGLISH
    )
    description = forms.CharField(
        label=_("Description (working language)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    site = forms.ModelChoiceField(
        label=_("Site"),
        queryset=Site.objects.all(),
        required=False,
        empty_label=_("Fully virtual (no site)"),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone of a fully virtual meeting"),
        choices=[(zone, zone) for zone in TIME_ZONES],
        initial="Europe/Zurich",
        help_text=_("A meeting at a site uses the site's time zone."),
    )
    start_date = forms.DateField(
        label=_("First day"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Language.ENGLISH],
    )

    refusal_fields = {"descriptions": "description"}

    def __init__(
        self, *args: Any, user: User, meeting: Meeting | None = None, **kwargs: Any
    ) -> None:
        if meeting is not None:
            kwargs.setdefault("initial", initial_for_meeting(meeting))
        super().__init__(*args, **kwargs)
        if user.staff_role == User.StaffRole.REGIONAL_OFFICE and not user.is_secretariat:
            # Regional-office staff hold meetings at their own office only.
            site = cast(forms.ModelChoiceField, self.fields["site"])
            site.queryset = Site.objects.filter(staff=user)
            site.empty_label = None
        for code, name in Language.choices:
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title in %(language)s") % {"language": name},
                max_length=300,
                required=False,
                widget=forms.TextInput(
                    attrs={"lang": code, "dir": "rtl" if is_rtl(code) else "ltr"}
                ),
            )

    def title_fields(self) -> list[forms.BoundField]:
        return [self[f"title_{code}"] for code in Language.values]

    def add_refusal(self, refusal: Refusal) -> None:
        if refusal.field == "titles":
            self.add_error(f"title_{self.cleaned_data['working_language']}", str(refusal.message))
        else:
            super().add_refusal(refusal)

    def to_data(self) -> MeetingData:
        data = self.cleaned_data
        return MeetingData(
            code=data["code"],
            sector=data["sector"],
            meeting_type=data["meeting_type"],
            titles={code: data[f"title_{code}"] for code in Language.values},
            descriptions={data["working_language"]: data["description"]},
            start_date=data["start_date"],
            end_date=data["end_date"],
            languages=data["languages"],
            working_language=data["working_language"],
            site=data["site"],
            time_zone=data["time_zone"],
        )


def initial_for_meeting(meeting: Meeting) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "code": meeting.code,
        "sector": meeting.sector_id,
        "meeting_type": meeting.meeting_type,
        "working_language": meeting.working_language,
        "description": meeting.descriptions.get(meeting.working_language, ""),
        "site": meeting.site_id,
        "time_zone": meeting.time_zone,
        "start_date": meeting.start_date,
        "end_date": meeting.end_date,
        "languages": meeting.languages,
    }
    initial.update({f"title_{code}": text for code, text in meeting.titles.items()})
    return initial


class SessionForm(RefusalForm):
    """A session in the meeting's local time: a day, a start and an end time."""

    title = forms.CharField(label=_("Title"), max_length=200)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    room = forms.ModelChoiceField(
        label=_("Room"), queryset=Room.objects.none(), required=False, empty_label=_("No room")
    )
    remote_right = forms.ChoiceField(label=_("Remote participants may"))

    refusal_fields = {"starts": "day", "titles": "title"}

    def __init__(
        self, *args: Any, meeting: Meeting, session: Session | None = None, **kwargs: Any
    ) -> None:
        if session is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": session.title,
                    "day": session.local_start().date(),
                    "starts": session.local_start().time(),
                    "ends": session.local_end().time(),
                    "room": session.room_id,
                    "remote_right": session.remote_right,
                }
                | {f"title_{code}": text for code, text in session.titles.items()},
            )
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        names = dict(Language.choices)
        self.fields["title"].help_text = _("In the working language, %(language)s.") % {
            "language": names[meeting.working_language]
        }
        self.other_languages = [
            code for code in meeting.languages if code != meeting.working_language
        ]
        for code in self.other_languages:
            self.fields[f"title_{code}"] = forms.CharField(
                label=_("Title in %(language)s (optional)") % {"language": names[code]},
                max_length=200,
                required=False,
                widget=forms.TextInput(
                    attrs={"lang": code, "dir": "rtl" if is_rtl(code) else "ltr"}
                ),
            )
        ceiling = rules.remote_right_ceiling(meeting.sector.code, meeting.meeting_type)
        allowed = REMOTE_RIGHT_ORDER[: REMOTE_RIGHT_ORDER.index(ceiling) + 1]
        remote_right = cast(forms.ChoiceField, self.fields["remote_right"])
        remote_right.choices = [(right.value, right.label) for right in allowed]
        remote_right.initial = rules.default_remote_right(meeting.sector.code, meeting.meeting_type)
        room = cast(forms.ModelChoiceField, self.fields["room"])
        if meeting.site_id is None:
            del self.fields["room"]
        else:
            room.queryset = Room.objects.filter(site_id=meeting.site_id)
        if session is None:
            self.fields["day"].initial = meeting.start_date
        self.fields["title"].widget.attrs.update(
            lang=meeting.working_language, dir="rtl" if is_rtl(meeting.working_language) else "ltr"
        )
        self.order_fields(["title", *(f"title_{code}" for code in self.other_languages)])

    def to_data(self) -> SessionData:
        data = self.cleaned_data
        return SessionData(
            title=data["title"],
            starts=dt.datetime.combine(data["day"], data["starts"]),
            ends=dt.datetime.combine(data["day"], data["ends"]),
            room=data.get("room"),
            remote_right=data["remote_right"],
            titles={code: data.get(f"title_{code}", "") for code in self.other_languages},
        )


class RoleForm(RefusalForm):
    person = forms.CharField(
        label=_("Person"), help_text=_("User name or e-mail address."), max_length=254
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(role.value, role.label) for role in ASSIGNABLE_ROLES],
    )
    language = forms.ChoiceField(label=_("Booth language (interpreters)"), required=False)
    attendance = forms.ChoiceField(
        label=_("Attendance"), choices=AttendanceMode.choices, initial=AttendanceMode.ONSITE
    )

    refusal_fields = {"user": "person"}

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = cast(forms.ChoiceField, self.fields["language"])
        names = dict(Language.choices)
        language.choices = [("", "—")] + [(code, names[code]) for code in meeting.languages]
        if meeting.is_virtual:  # nobody sits in a room
            attendance = cast(forms.ChoiceField, self.fields["attendance"])
            attendance.choices = [(AttendanceMode.REMOTE.value, AttendanceMode.REMOTE.label)]
            attendance.initial = AttendanceMode.REMOTE

    def clean_person(self) -> User:
        value = self.cleaned_data["person"].strip()
        person = User.objects.filter(
            Q(username=value) | Q(email__iexact=value), is_active=True
        ).first()
        if person is None:
            raise forms.ValidationError(_("No one has this user name or e-mail address."))
        return person


class RegistrationForm(RefusalForm):
    kind = forms.ChoiceField(
        label=_("Register as"), choices=Registration.Kind.choices, widget=forms.RadioSelect
    )
    attendance = forms.ChoiceField(
        label=_("I will attend"), choices=AttendanceMode.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, meeting: Meeting, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = cast(forms.ChoiceField, self.fields["kind"])
        attendance = cast(forms.ChoiceField, self.fields["attendance"])
        if user.entity_id is None:
            kind.choices = [(Registration.Kind.OBSERVER.value, Registration.Kind.OBSERVER.label)]
            kind.initial = Registration.Kind.OBSERVER
        else:
            kind.initial = Registration.Kind.DELEGATE
            kind.help_text = _("As a delegate you represent %(entity)s.") % {"entity": user.entity}
        if meeting.is_virtual:
            attendance.choices = [(AttendanceMode.REMOTE.value, AttendanceMode.REMOTE.label)]
        attendance.initial = AttendanceMode.REMOTE


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))]
    )
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)


def _site_name_field(code: str) -> forms.CharField:
    return forms.CharField(
        label=format_lazy(_("Name in {language}"), language=Language(code).label),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"lang": code, "dir": "rtl" if is_rtl(code) else "ltr"}),
    )


class SiteForm(forms.ModelForm):
    """A site in the administration, with its name in each of the six languages
    (stored in ``Site.names``; ``name`` is shown where a language is missing)."""

    name_ar = _site_name_field("ar")
    name_zh_hans = _site_name_field("zh-hans")
    name_en = _site_name_field("en")
    name_fr = _site_name_field("fr")
    name_ru = _site_name_field("ru")
    name_es = _site_name_field("es")

    class Meta:
        model = Site
        fields = [
            "code",
            "name",
            "kind",
            "city",
            "country",
            "time_zone",
            "offers_remote_participation",
            "offers_interpretation",
            "offers_captions",
            "offers_webcast",
        ]

    @staticmethod
    def field_name(code: str) -> str:
        return "name_" + code.replace("-", "_")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, text in (self.instance.names or {}).items():
            if self.field_name(code) in self.fields:
                self.initial.setdefault(self.field_name(code), text)

    def save(self, commit: bool = True) -> Site:
        site: Site = super().save(commit=False)
        site.names = {
            code: text.strip()
            for code in Language.values
            if (text := self.cleaned_data.get(self.field_name(code)) or "").strip()
        }
        if commit:
            site.save()
            self.save_m2m()
        return site
