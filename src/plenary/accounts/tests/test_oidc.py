"""Claim mapping of the single sign-on backend, without any network.

The token exchange with the provider (``authenticate``) is the process
boundary not tested here; these tests call the backend's mapping methods
with claim dictionaries as the provider would return them.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import override_settings

from plenary.accounts.models import User
from plenary.accounts.oidc import PlenaryOIDCBackend, language_from_locale
from plenary.accounts.tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

OIDC_SETTINGS = {
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.invalid/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.invalid/userinfo",
    "OIDC_RP_CLIENT_ID": "plenary",
    "OIDC_RP_CLIENT_SECRET": "secret",
    "OIDC_RP_SIGN_ALGO": "HS256",
}


@pytest.fixture
def backend() -> PlenaryOIDCBackend:
    with override_settings(**OIDC_SETTINGS):
        return PlenaryOIDCBackend()


def claims(**extra: object) -> dict[str, object]:
    return {
        "sub": "idp-123",
        "email": "n.ivanova@example.org",
        "given_name": "Natalia",
        "family_name": "Ivanova",
        "locale": "ru-RU",
        "email_verified": True,
        **extra,
    }


@pytest.mark.parametrize(
    ("locale", "language"),
    [("fr-CA", "fr"), ("zh-Hans-CN", "zh-hans"), ("zh_TW", "zh-hans"), ("AR", "ar"), ("de", "en")],
)
def test_locale_claims_map_to_a_un_language(locale: str, language: str) -> None:
    assert language_from_locale(locale) == language


def test_a_new_person_gets_names_language_and_subject_but_no_staff_rights(
    backend: PlenaryOIDCBackend,
) -> None:
    user = backend.create_user(
        claims(is_staff=True, groups=["admin"], preferred_username="nivanova")
    )
    assert (user.username, user.first_name, user.last_name) == ("nivanova", "Natalia", "Ivanova")
    assert (user.preferred_language, user.oidc_subject) == ("ru", "idp-123")
    assert not (user.is_staff or user.is_superuser or user.staff_role)
    assert not user.has_usable_password()


def test_usernames_stay_unique(backend: PlenaryOIDCBackend) -> None:
    UserFactory.create(username="n.ivanova", email="other@example.org")
    assert backend.create_user(claims()).username == "n.ivanova2"


def test_an_unverified_address_of_another_account_fails_the_sign_in(
    backend: PlenaryOIDCBackend,
) -> None:
    UserFactory.create(email="n.ivanova@example.org")
    with pytest.raises(SuspiciousOperation):
        backend.create_user(claims(email_verified=False))


def test_people_are_matched_by_subject_then_linked_by_email(backend: PlenaryOIDCBackend) -> None:
    existing = UserFactory.create(email="N.Ivanova@example.org")
    assert list(backend.filter_users_by_claims(claims())) == [existing]
    backend.update_user(existing, claims(email="natalia@example.org"))
    existing.refresh_from_db()
    assert (existing.oidc_subject, existing.email) == ("idp-123", "natalia@example.org")
    assert list(backend.filter_users_by_claims(claims(email="other@example.org"))) == [existing]


@pytest.mark.parametrize("verified", [False, None, "true"])
def test_only_a_verified_email_links_an_existing_account(
    backend: PlenaryOIDCBackend, verified: object
) -> None:
    UserFactory.create(email="n.ivanova@example.org")
    unverified = claims(email_verified=verified)
    if verified is None:
        del unverified["email_verified"]
    assert not backend.filter_users_by_claims(unverified).exists()


def test_updates_keep_staff_rights_and_do_not_steal_an_address(
    backend: PlenaryOIDCBackend,
) -> None:
    staff = StaffFactory.create(oidc_subject="idp-123")
    UserFactory.create(email="taken@example.org")
    backend.update_user(staff, claims(email="taken@example.org", is_staff=False))
    staff.refresh_from_db()
    assert staff.is_staff and staff.staff_role == User.StaffRole.SECRETARIAT
    assert staff.email != "taken@example.org"
    assert staff.first_name == "Natalia"


def test_claims_without_subject_or_email_are_refused(backend: PlenaryOIDCBackend) -> None:
    assert backend.verify_claims(claims())
    assert not backend.verify_claims(claims(sub=""))
    assert not backend.verify_claims({"sub": "x"})
