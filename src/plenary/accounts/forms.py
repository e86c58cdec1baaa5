"""Forms of the sign-in, sign-up and profile pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, BaseUserCreationForm
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from plenary.accounts import tokens
from plenary.accounts.models import AccessToken, Entity, User
from plenary.accounts.services import ProfileData, SignUpData
from plenary.core.forms import RefusalFormMixin
from plenary.core.languages import UN_LANGUAGES


class SignInForm(AuthenticationForm):
    """Django's password form; django-axes (an authentication backend) throttles it."""


class TOTPCodeForm(RefusalFormMixin, forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=12,
        help_text=_("Open your authenticator app and enter the code it shows now."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "autofocus": True,
                "size": 8,
            }
        ),
    )


AUTOCOMPLETE = {"first_name": "given-name", "last_name": "family-name", "email": "email"}


def _person_fields(form: forms.BaseForm) -> None:
    """Names and address are required; gender stays optional; browsers may autofill."""
    for name, hint in AUTOCOMPLETE.items():
        form.fields[name].required = True
        form.fields[name].widget.attrs["autocomplete"] = hint
    form.fields["gender"].required = False


class ProfileForm(RefusalFormMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = ("first_name", "last_name", "email", "preferred_language", "gender")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _person_fields(self)

    def to_data(self) -> ProfileData:
        data = self.cleaned_data
        return ProfileData(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            preferred_language=data["preferred_language"],
            gender=data["gender"] or "",
        )


class SignUpForm(RefusalFormMixin, BaseUserCreationForm):
    """Self sign-up of a delegate; the password goes through Django's validators."""

    entity = forms.ModelChoiceField(
        label=_("Entity you represent"),
        queryset=Entity.objects.order_by("name"),
        required=False,
        empty_label=_("None or not listed"),
        help_text=_("Your focal point confirms this when you register for a meeting."),
    )

    class Meta:
        model = User
        fields = (
            "first_name",
            "last_name",
            "email",
            "username",
            "entity",
            "preferred_language",
            "gender",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _person_fields(self)
        # Suggest the language the person is reading the page in.
        current = translation.get_language()
        if current in UN_LANGUAGES:
            self.fields["preferred_language"].initial = current

    def to_data(self) -> SignUpData:
        data = self.cleaned_data
        return SignUpData(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            preferred_language=data["preferred_language"],
            gender=data["gender"] or "",
            username=data["username"],
            password=data["password1"],
            entity=data["entity"],
        )


def _lifetime_choices() -> list[tuple[int, str]]:
    return [
        (days, ngettext("%(days)d day", "%(days)d days", days) % {"days": days})
        for days in tokens.LIFETIMES
    ]


class AccessTokenForm(RefusalFormMixin, forms.Form):
    """A new personal access token: a name, what it may do, how long it works."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script that uses it."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("It may"),
        choices=AccessToken.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[AccessToken.Scope.READ],
    )
    days = forms.TypedChoiceField(
        label=_("Works for"), choices=_lifetime_choices, coerce=int, initial=90
    )

    def to_data(self) -> tokens.TokenData:
        data = self.cleaned_data
        return tokens.TokenData(name=data["name"], scopes=list(data["scopes"]), days=data["days"])
