"""Factories for series and documents (documents made through the services in tests)."""

from __future__ import annotations

import factory

from plenary.documents.models import Series
from plenary.meetings.tests.factories import MeetingFactory


class SeriesFactory(factory.django.DjangoModelFactory[Series]):
    class Meta:
        model = Series

    meeting = factory.SubFactory(MeetingFactory)
    code = "C"
    names = factory.LazyFunction(lambda: {"en": "Contributions", "fr": "Contributions"})
    prefix = "SG17-C-"
