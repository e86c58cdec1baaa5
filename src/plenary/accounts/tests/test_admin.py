from __future__ import annotations

import pytest
from django.test import Client

from plenary.accounts.models import Entity
from plenary.accounts.tests.factories import DelegateFactory, EntityFactory
from plenary.accounts.tests.helpers import sign_in_verified, staff_with_device
from plenary.core.audit import entries_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client() -> Client:
    client = Client()
    sign_in_verified(client, staff_with_device(is_superuser=True))
    return client


def entity_form(entity: Entity, focal_points: list[int]) -> dict[str, object]:
    return {
        "name": entity.name,
        "code": entity.code,
        "category": entity.category,
        "country": entity.country,
        "region": entity.region,
        "development_status": "",
        "focal_points": focal_points,
    }


def test_user_and_entity_pages_open_for_verified_staff(admin_client: Client) -> None:
    person = DelegateFactory.create()
    assert admin_client.get(f"/admin/accounts/user/{person.pk}/change/").status_code == 200
    assert admin_client.get("/admin/accounts/entity/?category=member_state").status_code == 200
    assert admin_client.get("/admin/accounts/entity/add/").status_code == 200


def test_focal_points_set_in_the_admin_are_audited(admin_client: Client) -> None:
    member = DelegateFactory.create()
    entity = member.entity
    assert entity is not None
    url = f"/admin/accounts/entity/{entity.pk}/change/"
    response = admin_client.post(url, entity_form(entity, [member.pk]))
    assert response.status_code == 302
    assert list(entity.focal_points.all()) == [member]
    assert [e.action for e in entries_for(entity)] == ["accounts.focal_point_added"]


def test_the_admin_refuses_a_focal_point_from_another_entity(admin_client: Client) -> None:
    entity = EntityFactory.create()
    outsider = DelegateFactory.create()
    response = admin_client.post(
        f"/admin/accounts/entity/{entity.pk}/change/", entity_form(entity, [outsider.pk])
    )
    assert response.status_code == 200
    assert not entity.focal_points.exists()
