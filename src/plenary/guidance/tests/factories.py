"""factory_boy factories for guideline versions."""

from __future__ import annotations

import datetime as dt

import factory

from plenary.accounts.models import User
from plenary.accounts.tests.factories import StaffFactory
from plenary.accounts.tests.helpers import add_device
from plenary.guidance.models import Guideline
from plenary.meetings.tests.factories import sector


class GuidelineFactory(factory.django.DjangoModelFactory[Guideline]):
    class Meta:
        model = Guideline

    sector = factory.LazyFunction(sector)
    version = factory.Sequence(lambda n: n + 1)
    in_force_from = dt.date(2026, 1, 1)
    texts = factory.LazyAttribute(
        lambda g: {"en": f"Version {g.version}: mute your microphone.", "fr": "Coupez le micro."}
    )


def verified_staff(**fields: object) -> User:
    """A secretariat member as ``OTPMiddleware`` presents them after a verified sign-in."""
    user = StaffFactory.create(**fields)
    user.otp_device = add_device(user)  # type: ignore[attr-defined]
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    return user
