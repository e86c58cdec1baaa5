"""factory_boy factories for people and entities."""

from __future__ import annotations

import functools

import factory
from django.contrib.auth.hashers import make_password

from plenary.accounts.models import Entity, Region, User

DEFAULT_PASSWORD = "correct-horse-battery-staple"


@functools.cache
def _default_password_hash() -> str:
    return make_password(DEFAULT_PASSWORD)


class EntityFactory(factory.django.DjangoModelFactory[Entity]):
    class Meta:
        model = Entity
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Administration {n}")
    code = factory.Sequence(lambda n: f"A{n}")
    category = Entity.Category.MEMBER_STATE
    country = "FR"
    region = Region.EUROPE


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")

    @factory.post_generation
    def password(obj: User, create: bool, extracted: str | None, **kwargs: object) -> None:
        """``UserFactory(password="...")`` sets that password; by default
        ``DEFAULT_PASSWORD``, hashed once per test run (hashing is slow by design)."""
        if extracted is None:
            obj.password = _default_password_hash()
        else:
            obj.set_password(extracted)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class DelegateFactory(UserFactory):
    """A delegate of an entity."""

    entity = factory.SubFactory(EntityFactory)


class FocalPointFactory(DelegateFactory):
    """A person who approves registrations for their entity."""

    @factory.post_generation
    def focal_point(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create and obj.entity is not None:
            obj.entity.focal_points.add(obj)


class StaffFactory(UserFactory):
    staff_role = User.StaffRole.SECRETARIAT
    is_staff = True


class OrganiserFactory(UserFactory):
    staff_role = User.StaffRole.ORGANISER
