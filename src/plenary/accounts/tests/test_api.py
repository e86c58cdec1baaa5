from __future__ import annotations

import pytest
from django.test import Client

from plenary.accounts.tests.factories import EntityFactory, FocalPointFactory, UserFactory
from plenary.accounts.tests.helpers import sign_in_verified, staff_with_device

pytestmark = pytest.mark.django_db


def test_me_describes_the_signed_in_person_and_their_focal_point_entities() -> None:
    person = FocalPointFactory.create(preferred_language="fr")
    client = Client()
    client.force_login(person)
    body = client.get("/api/v1/accounts/me").json()
    assert body["username"] == person.username
    assert body["preferred_language"] == "fr"
    assert body["entity"]["code"] == person.entity.code  # type: ignore[union-attr]
    assert [e["code"] for e in body["focal_point_for"]] == [person.entity.code]  # type: ignore[union-attr]
    assert (body["staff_role"], body["two_factor_verified"]) == ("", False)


def test_me_tells_whether_a_staff_session_is_verified() -> None:
    client = Client()
    sign_in_verified(client, staff_with_device())
    body = client.get("/api/v1/accounts/me").json()
    assert (body["staff_role"], body["two_factor_verified"]) == ("secretariat", True)


def test_me_needs_a_signed_in_person() -> None:
    assert Client().get("/api/v1/accounts/me").status_code == 401


def test_entities_are_public_and_carry_no_personal_data() -> None:
    africa = EntityFactory.create(name="Kenya", code="KEN", country="KE", region="africa")
    EntityFactory.create(name="France", code="F", country="FR", region="europe")
    africa.focal_points.add(UserFactory.create(entity=africa))
    response = Client().get("/api/v1/accounts/entities", {"region": "africa"})
    assert response.json() == [
        {
            "code": "KEN",
            "name": "Kenya",
            "category": "member_state",
            "country": "KE",
            "region": "africa",
        }
    ]


def test_entities_refuse_an_unknown_region() -> None:
    response = Client().get("/api/v1/accounts/entities", {"region": "atlantis"})
    assert response.status_code == 422
