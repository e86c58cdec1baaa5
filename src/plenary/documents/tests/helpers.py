"""Helpers for the documents tests: a cast of people around one meeting."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from plenary.accounts.models import User
from plenary.accounts.tests.factories import (
    DelegateFactory,
    EntityFactory,
    FocalPointFactory,
    StaffFactory,
    UserFactory,
)
from plenary.documents.models import Document, Series
from plenary.documents.services import processing, submission
from plenary.documents.tests import samples
from plenary.documents.tests.factories import SeriesFactory
from plenary.meetings.models import Meeting, Participation
from plenary.meetings.tests.factories import MeetingFactory, ParticipationFactory


@dataclasses.dataclass
class Cast:
    """A meeting with its series, and one person of each kind the access matrix names."""

    meeting: Meeting
    series: Series
    delegate: User  # a delegate of the meeting, of entity A
    colleague: User  # another delegate of entity A
    other_delegate: User  # a delegate of the meeting, of entity B
    focal_point: User  # entity A's focal point, holding no role in the meeting
    outsider: User  # a delegate of another meeting
    secretariat: User  # the meeting's secretariat role (not staff)
    staff: User


def make_cast() -> Cast:
    meeting = MeetingFactory.create()
    series = SeriesFactory.create(meeting=meeting)
    entity_a, entity_b = EntityFactory.create(), EntityFactory.create()
    delegate = DelegateFactory.create(entity=entity_a)
    colleague = DelegateFactory.create(entity=entity_a)
    other = DelegateFactory.create(entity=entity_b)
    for person in (delegate, colleague, other):
        ParticipationFactory.create(meeting=meeting, user=person)
    outsider = DelegateFactory.create()
    ParticipationFactory.create(meeting=MeetingFactory.create(), user=outsider)
    secretariat = UserFactory.create()
    ParticipationFactory.create(
        meeting=meeting, user=secretariat, role=Participation.Role.SECRETARIAT, entity=None
    )
    return Cast(
        meeting=meeting,
        series=series,
        delegate=delegate,
        colleague=colleague,
        other_delegate=other,
        focal_point=FocalPointFactory.create(entity=entity_a),
        outsider=outsider,
        secretariat=secretariat,
        staff=StaffFactory.create(),
    )


def submit(cast: Cast, access: str = Document.Access.ACCREDITED, **kwargs: object) -> Document:
    """A contribution by ``cast.delegate``, as submitted (not yet published)."""
    fields: dict[str, object] = {"title": "Quantum-safe networks", "language": "en"}
    fields.update(kwargs)
    upload = fields.pop("upload", samples.contribution())
    return submission.submit(
        cast.delegate,
        cast.series,
        submission.Submission(access=access, **fields),  # type: ignore[arg-type]
        upload,  # type: ignore[arg-type]
    )


def past(hours: int = 1) -> dt.datetime:
    return timezone.now() - dt.timedelta(hours=hours)


def store_in(folder: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test stores its document files in a folder of its own (the file fields take
    their storage once, when the models load, so the fields are pointed at it)."""
    storage = FileSystemStorage(location=folder)
    for model in processing.WORK:
        for name in ("file", "pdf"):
            monkeypatch.setattr(model._meta.get_field(name), "storage", storage)
    return folder
