"""factory_boy factories for sites, meetings, sessions and registrations."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from plenary.accounts.tests.factories import DelegateFactory, OrganiserFactory
from plenary.meetings.models import (
    AttendanceMode,
    Meeting,
    Participation,
    Registration,
    Room,
    Sector,
    Session,
    Site,
)


def sector(code: str = Sector.Code.STANDARDIZATION) -> Sector:
    """The sectors come from a data migration, but a browser test (transactional
    database) empties every table after it ends: create the sector again if needed."""
    return Sector.objects.get_or_create(code=code)[0]


def monday_ahead(days: int = 30) -> dt.date:
    """The first Monday at least ``days`` days from today: upcoming, whatever the date."""
    earliest = timezone.localdate() + dt.timedelta(days=days)
    return earliest + dt.timedelta(days=-earliest.weekday() % 7)


# For tests that assert calendar facts (UTC offsets, weekdays): Monday 1 to
# Friday 5 March 2027, Geneva in winter time (UTC+1).
MARCH_2027 = {"start_date": dt.date(2027, 3, 1), "end_date": dt.date(2027, 3, 5)}


class SiteFactory(factory.django.DjangoModelFactory[Site]):
    class Meta:
        model = Site
        django_get_or_create = ("code",)

    code = "geneva-hq"
    name = "Headquarters, Geneva"
    kind = Site.Kind.HEADQUARTERS
    city = "Geneva"
    country = "CH"
    time_zone = "Europe/Zurich"
    offers_interpretation = True
    offers_webcast = True


class RegionalOfficeFactory(SiteFactory):
    code = "addis-ababa-ro"
    name = "Regional Office for Africa"
    kind = Site.Kind.REGIONAL_OFFICE
    city = "Addis Ababa"
    country = "ET"
    time_zone = "Africa/Addis_Ababa"
    offers_interpretation = False
    offers_webcast = False


class RoomFactory(factory.django.DjangoModelFactory[Room]):
    class Meta:
        model = Room

    site = factory.SubFactory(SiteFactory)
    name = factory.Sequence(lambda n: f"Room {n}")
    capacity = 200
    interpretation_booths = 6


class MeetingFactory(factory.django.DjangoModelFactory[Meeting]):
    class Meta:
        model = Meeting

    code = factory.Sequence(lambda n: f"T-SG{n}-2027")
    titles = factory.LazyAttribute(lambda m: {"en": f"Study Group meeting {m.code}"})
    sector = factory.LazyFunction(sector)
    meeting_type = Meeting.Type.STUDY_GROUP
    site = factory.SubFactory(SiteFactory)
    start_date = factory.LazyFunction(monday_ahead)
    end_date = factory.LazyAttribute(lambda m: m.start_date + dt.timedelta(days=4))
    working_language = "en"
    languages = factory.LazyFunction(lambda: ["en", "fr"])
    status = Meeting.Status.PUBLISHED
    organiser = factory.SubFactory(OrganiserFactory)


class SessionFactory(factory.django.DjangoModelFactory[Session]):
    class Meta:
        model = Session

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Plenary {n}")
    starts_at = factory.LazyAttribute(
        lambda s: dt.datetime.combine(s.meeting.start_date, dt.time(9, 30), s.meeting.tzinfo)
    )
    ends_at = factory.LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=3))


class RegistrationFactory(factory.django.DjangoModelFactory[Registration]):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(DelegateFactory)
    entity = factory.LazyAttribute(lambda r: r.user.entity)
    attendance = AttendanceMode.REMOTE


class ParticipationFactory(factory.django.DjangoModelFactory[Participation]):
    class Meta:
        model = Participation

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(DelegateFactory)
    role = Participation.Role.DELEGATE
    entity = factory.LazyAttribute(lambda p: p.user.entity)
    attendance = AttendanceMode.REMOTE
