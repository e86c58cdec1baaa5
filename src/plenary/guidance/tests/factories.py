"""factory_boy factories for guideline versions."""

from __future__ import annotations

import datetime as dt

import factory

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
