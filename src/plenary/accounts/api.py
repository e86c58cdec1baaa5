"""Accounts API (``/api/v1/accounts/``)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest
from ninja import Router, Schema

from plenary.accounts.models import Entity, Region, User
from plenary.accounts.permissions import is_two_factor_verified

router = Router(tags=["accounts"])


class EntityOut(Schema):
    code: str
    name: str
    category: str
    country: str
    region: str


class MeOut(Schema):
    id: int
    username: str
    first_name: str
    last_name: str
    email: str
    preferred_language: str
    gender: str
    entity: EntityOut | None
    staff_role: str
    is_staff: bool
    two_factor_verified: bool
    focal_point_for: list[EntityOut]


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    """The signed-in person: profile, entity, staff role and focal-point entities."""
    user = cast(User, request.user)  # the API lets only signed-in people (or their tokens) in
    return MeOut(
        id=user.pk,
        username=user.username,
        first_name=user.first_name,
        last_name=user.last_name,
        email=user.email,
        preferred_language=user.preferred_language,
        gender=user.gender,
        entity=EntityOut.model_validate(user.entity) if user.entity else None,
        staff_role=user.staff_role,
        is_staff=user.is_staff,
        two_factor_verified=is_two_factor_verified(request.user),
        focal_point_for=[
            EntityOut.model_validate(entity) for entity in user.focal_point_for.order_by("name")
        ],
    )


@router.get("/entities", response=list[EntityOut], auth=None)
def entities(
    request: HttpRequest, category: Entity.Category | None = None, region: Region | None = None
) -> list[Entity]:
    """Public list of entities (no personal data), by name; filter by category or region."""
    queryset = Entity.objects.order_by("name")
    if category:
        queryset = queryset.filter(category=category)
    if region:
        queryset = queryset.filter(region=region)
    return list(queryset)
