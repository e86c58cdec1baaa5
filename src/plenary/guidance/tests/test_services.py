from __future__ import annotations

import datetime as dt

import pytest

from plenary.accounts.tests.factories import DelegateFactory
from plenary.core.errors import PermissionRefusal, Refusal
from plenary.guidance import services
from plenary.guidance.models import Guideline, TrainingCompletion, TrainingModule
from plenary.guidance.tests.factories import GuidelineFactory, verified_staff
from plenary.meetings.tests.factories import MeetingFactory, sector

pytestmark = pytest.mark.django_db


def test_secretariat_publishes_numbered_versions() -> None:
    staff = verified_staff()
    first = services.do_publish_guideline(staff, sector(), {"en": "One"}, dt.date(2026, 1, 1))
    second = services.do_publish_guideline(
        staff, sector(), {"en": "Two", "fr": "Deux", "es": " "}, dt.date(2026, 6, 1), "Shorter"
    )
    assert (first.version, second.version) == (1, 2)
    assert second.texts == {"en": "Two", "fr": "Deux"}


def test_delegate_may_not_publish() -> None:
    with pytest.raises(PermissionRefusal):
        services.do_publish_guideline(
            DelegateFactory.create(), sector(), {"en": "x"}, dt.date(2026, 1, 1)
        )
    assert not Guideline.objects.exists()


@pytest.mark.parametrize(
    ("texts", "field"),
    [({"fr": "Seulement"}, "text_en"), ({"en": "x", "xx": "y"}, None)],
)
def test_publish_refuses_bad_texts(texts: dict[str, str], field: str | None) -> None:
    with pytest.raises(Refusal) as refused:
        services.do_publish_guideline(verified_staff(), sector(), texts, dt.date(2026, 1, 1))
    assert refused.value.field == field


def test_new_version_cannot_predate_the_latest() -> None:
    GuidelineFactory.create(version=1, in_force_from=dt.date(2026, 6, 1))
    with pytest.raises(Refusal):
        services.do_publish_guideline(verified_staff(), sector(), {"en": "x"}, dt.date(2026, 1, 1))


def test_meeting_links_to_the_version_in_force_on_its_first_day() -> None:
    old = GuidelineFactory.create(version=1, in_force_from=dt.date(2026, 1, 1))
    GuidelineFactory.create(version=2, in_force_from=dt.date(2027, 6, 1))
    meeting = MeetingFactory.create(start_date=dt.date(2027, 3, 1), end_date=dt.date(2027, 3, 2))
    assert services.guideline_for_meeting(meeting) == old


def test_acknowledgement_step_only_when_required_and_until_confirmed() -> None:
    guideline = GuidelineFactory.create(version=1)
    meeting = MeetingFactory.create()
    delegate = DelegateFactory.create()
    assert services.pending_guideline(delegate, meeting) is None
    services.do_set_acknowledgement_required(meeting.organiser, meeting, True)
    assert services.pending_guideline(delegate, meeting) == guideline
    services.do_acknowledge(delegate, guideline, meeting)
    services.do_acknowledge(delegate, guideline, meeting)  # twice is harmless
    assert services.pending_guideline(delegate, meeting) is None


def test_only_the_organiser_sets_the_requirement() -> None:
    meeting = MeetingFactory.create()
    with pytest.raises(PermissionRefusal):
        services.do_set_acknowledgement_required(DelegateFactory.create(), meeting, True)
    assert not services.acknowledgement_required(meeting)


def test_completion_keeps_validated_results() -> None:
    user = DelegateFactory.create()
    services.do_record_completion(
        user, TrainingModule.SELF_TEST, {"latency_ms": 12.345, "microphone_ok": True}
    )
    completion = TrainingCompletion.objects.get()
    assert completion.results == {"latency_ms": 12.3, "microphone_ok": True}


@pytest.mark.parametrize(
    ("module", "results"),
    [
        ("juggling", {}),
        (TrainingModule.SELF_TEST, {"password": "x"}),
        (TrainingModule.SELF_TEST, {"latency_ms": -1}),
        (TrainingModule.SELF_TEST, {"latency_ms": True}),
        (TrainingModule.SELF_TEST, {"speaker_ok": "yes"}),
    ],
)
def test_completion_refuses_bad_input(module: str, results: dict[str, object]) -> None:
    with pytest.raises(Refusal):
        services.do_record_completion(DelegateFactory.create(), module, results)
    assert not TrainingCompletion.objects.exists()
