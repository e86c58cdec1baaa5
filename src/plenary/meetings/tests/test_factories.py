import pytest

from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory

pytestmark = pytest.mark.django_db


def test_session_factory_starts_in_the_site_time_zone() -> None:
    session = SessionFactory.create()
    assert session.local_start().hour == 9
    assert session.local_start().date() == session.meeting.start_date


def test_participation_factory_takes_the_entity_of_its_person() -> None:
    participation = ParticipationFactory.create()
    assert participation.entity == participation.user.entity
    assert participation.user.check_password("correct-horse-battery-staple")
