"""Chapters from the floor's events, the transcript from the captions, WebVTT."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import translation

from plenary.floor.models import SessionEvent
from plenary.meetings.tests.factories import SessionFactory
from plenary.recordings import timeline
from plenary.recordings.models import Recording
from plenary.speech.models import CaptionSegment

pytestmark = pytest.mark.django_db

ORIGIN = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def recording() -> Recording:
    return Recording.objects.create(
        session=SessionFactory.create(),
        started_at=ORIGIN,
        status=Recording.Status.READY,
        origin=ORIGIN,
        duration_s=600,
    )


def at(seconds: float) -> dt.datetime:
    return ORIGIN + dt.timedelta(seconds=seconds)


def events(recording: Recording, *happened: tuple[float, str, dict[str, Any]]) -> None:
    for seq, (seconds, kind, data) in enumerate(happened, start=1):
        SessionEvent.objects.create(
            session=recording.session, seq=seq, kind=kind, data=data, at=at(seconds)
        )


def given(kind: str, entity: str, name: str = "Someone") -> dict[str, Any]:
    return {"request": {"kind": kind, "entity": entity, "name": name}}


def test_a_chapter_per_turn_and_the_chair_between_them(recording: Recording) -> None:
    events(
        recording,
        (-30, "floor.given", given("speak", "Egypt")),  # before the recording started
        (40, "floor.ended", {}),
        (40.5, "floor.given", given("speak", "Brazil")),  # handed over at once: no chair
        (100, "floor.given", given("point_of_order", "Kenya")),
        (130, "floor.ended", {}),
        (200, "floor.given", given("right_of_reply", "", "Ana Silva")),
        (250, "session.suspended", {}),
        (900, "floor.given", given("speak", "France")),  # after the recording
    )
    with translation.override("en"):
        found = [(c.at, c.title) for c in timeline.chapters(recording)]
    assert found == [
        (0.0, "Egypt"),
        (40.5, "Brazil"),
        (100.0, "Point of order — Kenya"),
        (130.0, "Chair"),
        (200.0, "Right of reply — Ana Silva"),
        (250.0, "Chair"),
    ]
    with translation.override("fr"):
        assert timeline.chapters(recording)[3].title == "Président"


def test_a_recording_that_starts_with_nobody_on_the_floor_starts_with_the_chair(
    recording: Recording,
) -> None:
    events(recording, (60, "floor.given", given("contribution", "Ghana")))
    with translation.override("en"):
        assert [c.title for c in timeline.chapters(recording)] == [
            "Chair",
            "Contribution — Ghana",
        ]


def caption(recording: Recording, start: float, text: str, **fields: Any) -> CaptionSegment:
    defaults = {"channel": "floor", "language": "en", "kind": CaptionSegment.Kind.RECOGNISED}
    return CaptionSegment.objects.create(
        session=recording.session,
        starts_at=at(start),
        ends_at=at(start + 3),
        text=text,
        **(defaults | fields),
    )


def test_the_transcript_is_the_captions_on_the_timeline_corrections_included(
    recording: Recording,
) -> None:
    caption(recording, 5, "Good morning, colleagues.", speaker_name="Chair")
    fixed = caption(recording, 12, "We adopt the agenda.")
    caption(recording, 12, "Nous adoptons l'ordre du jour.", language="fr", kind="mt")
    caption(recording, 20, "", kind=CaptionSegment.Kind.GAP)
    caption(recording, 700, "After the recording.")
    CaptionSegment.objects.filter(pk=fixed.pk).update(text="We adopt the agenda as amended.")
    lines = timeline.transcript(recording, "en")
    assert [(line.at, line.text) for line in lines] == [
        (5.0, "Good morning, colleagues."),
        (12.0, "We adopt the agenda as amended."),
    ]
    assert [line.text for line in timeline.transcript(recording, "fr")] == [
        "Nous adoptons l'ordre du jour."
    ]


def test_webvtt_cues_escape_the_text_and_name_the_voice() -> None:
    lines = [
        timeline.Line(3661.25, 3663.5, "A <b>bold</b> & odd --> line", "Delegate of <Y>"),
        timeline.Line(4.0, 4.0, "Short", ""),
    ]
    assert timeline.webvtt(lines).splitlines() == [
        "WEBVTT",
        "",
        "01:01:01.250 --> 01:01:03.500",
        "<v Delegate of &lt;Y&gt;>A &lt;b&gt;bold&lt;/b&gt; &amp; odd --&gt; line",
        "",
        "00:00:04.000 --> 00:00:04.500",
        "Short",
    ]
