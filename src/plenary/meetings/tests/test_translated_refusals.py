"""The issue's bad-input cases refuse in the person's language (catalogs compiled)."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import translation

from plenary.accounts.tests.factories import DelegateFactory, FocalPointFactory
from plenary.core.errors import Refusal
from plenary.meetings.services.meetings import SessionData, do_add_session
from plenary.meetings.services.registration import do_decide, do_register
from plenary.meetings.tests.factories import MeetingFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def local(day: int, hour: int) -> dt.datetime:
    return dt.datetime(2027, 3, day, hour)  # noqa: DTZ001 - local wall-clock time


def refusal_in(language: str, action: Callable[[], object]) -> str:
    with translation.override(language), pytest.raises(Refusal) as refused:
        action()
    return str(refused.value)


def test_a_session_ending_before_it_starts_is_refused_in_french() -> None:
    meeting = MeetingFactory.create()
    message = refusal_in(
        "fr",
        lambda: do_add_session(
            meeting.organiser, meeting, SessionData("P", local(2, 12), local(2, 9))
        ),
    )
    assert message == "La séance doit se terminer après son début."


def test_a_session_outside_the_meeting_is_refused_in_russian() -> None:
    meeting = MeetingFactory.create()
    message = refusal_in(
        "ru",
        lambda: do_add_session(
            meeting.organiser, meeting, SessionData("P", local(6, 9), local(6, 10))
        ),
    )
    assert message.startswith("Заседание должно проходить в сроки собрания")
    assert "Europe/Zurich" in message


def test_double_registration_is_refused_in_arabic() -> None:
    registration = RegistrationFactory.create()
    message = refusal_in(
        "ar",
        lambda: do_register(registration.user, registration.meeting, "delegate", "remote"),
    )
    assert message == "أنت مسجّل في هذا الاجتماع بالفعل."


def test_approval_by_another_focal_point_is_refused_in_chinese() -> None:
    registration = RegistrationFactory.create()
    outsider = FocalPointFactory.create()
    message = refusal_in("zh-hans", lambda: do_decide(outsider, registration, approve=True))
    assert message == f"只有 {registration.entity} 的联络人可以决定此注册。"


def test_the_api_answers_in_the_requested_language(client: Client) -> None:
    meeting = MeetingFactory.create(site=None)
    client.force_login(DelegateFactory.create())
    response = client.post(
        f"/api/v1/meetings/{meeting.code}/registration",
        {"attendance": "onsite"},
        content_type="application/json",
        headers={"Accept-Language": "es"},
    )
    assert response.json()["message"] == (
        "Esta reunión es totalmente virtual: inscríbase para asistir a distancia."
    )
