from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from plenary.meetings.tests.factories import SessionFactory
from plenary.speech.models import FLOOR, CaptionSegment, CaptionStream, SpeechWorker


class SpeechWorkerFactory(factory.django.DjangoModelFactory[SpeechWorker]):
    class Meta:
        model = SpeechWorker

    name = factory.Sequence(lambda n: f"worker-{n}")
    channel_name = factory.Sequence(lambda n: f"test.worker.{n}")


class CaptionStreamFactory(factory.django.DjangoModelFactory[CaptionStream]):
    class Meta:
        model = CaptionStream

    session = factory.SubFactory(SessionFactory)
    channel = FLOOR
    language = "en"


class CaptionSegmentFactory(factory.django.DjangoModelFactory[CaptionSegment]):
    class Meta:
        model = CaptionSegment

    session = factory.SubFactory(SessionFactory)
    channel = FLOOR
    language = "en"
    kind = CaptionSegment.Kind.RECOGNISED
    starts_at = factory.LazyFunction(timezone.now)
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(seconds=3))
    text = "The meeting is called to order."
