"""The document on the room's screen: who shows it, its pages, the session's log."""

from __future__ import annotations

from typing import Any

import pytest

from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.documents import screen
from plenary.documents.models import Document, DocumentEvent, FileVersion, Series
from plenary.documents.services import processing, secretariat, submission
from plenary.documents.tests import samples
from plenary.documents.tests.factories import SeriesFactory
from plenary.floor import services as floor
from plenary.floor import state as live
from plenary.floor.models import SessionEvent
from plenary.floor.tests.factories import Cast, cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> Cast:
    return cast()


def published(c: Cast, pages: int = 4, access: str = Document.Access.ACCREDITED) -> Document:
    series = Series.objects.filter(meeting=c.session.meeting).first() or SeriesFactory.create(
        meeting=c.session.meeting, code="TD", prefix="TD-"
    )
    document = submission.submit(
        c.secretariat,
        series,
        submission.Submission(title="Draft Recommendation", language="en", access=access),
        samples.upload("td.docx", samples.docx_bytes("Clause", pages=pages)),
    )
    processing.process_file.call(FileVersion.objects.get(language_version__document=document).pk)
    return secretariat.publish(c.secretariat, document)


def shown(c: Cast) -> dict[str, Any] | None:
    return floor.current_state(c.session.pk)[1].get("document")


def test_the_chair_shows_a_document_and_turns_its_pages_in_the_sessions_log(c: Cast) -> None:
    document = published(c)
    screen.do_show(c.chair, c.session.pk, document.pk, "en", page=2)
    on_screen = shown(c)
    assert on_screen is not None
    assert (on_screen["reference"], on_screen["page"], on_screen["pages"]) == ("TD-1", 2, 4)
    assert on_screen["path"] == f"/documents/{document.pk}/en/v1/pages/"
    screen.do_page(c.secretariat, c.session.pk, 3)
    assert shown(c)["page"] == 3  # type: ignore[index]
    screen.do_clear(c.chair, c.session.pk)
    assert shown(c) is None
    kinds = list(SessionEvent.objects.filter(session=c.session).values_list("kind", "data"))
    assert [kind for kind, _data in kinds] == [
        "document.shown",
        "document.page",
        "document.cleared",
    ]
    assert kinds[1][1] == {"page": 3}
    # The log alone gives the same state (a restarted server rebuilds it).
    assert live.fold(kinds)["document"] is None
    assert document.events.filter(kind=DocumentEvent.Kind.SHOWN).count() == 1


def test_only_the_chair_and_the_secretariat_put_documents_on_screen(c: Cast) -> None:
    document = published(c)
    for person in (c.delegate, c.observer, c.operator):
        with pytest.raises(PermissionRefusal):
            screen.do_show(person, c.session.pk, document.pk)
    screen.do_show(c.chair, c.session.pk, document.pk)
    with pytest.raises(PermissionRefusal):
        screen.do_page(c.delegate, c.session.pk, 2)
    assert shown(c)["page"] == 1  # type: ignore[index]


def test_pages_out_of_range_and_documents_not_for_the_screen_are_refused(c: Cast) -> None:
    document = published(c, pages=2)
    with pytest.raises(Refusal) as refused:
        screen.do_show(c.chair, c.session.pk, document.pk, page=3)
    assert refused.value.code == "page"
    with pytest.raises(Refusal):
        screen.do_page(c.chair, c.session.pk, 1)  # nothing on screen
    screen.do_show(c.chair, c.session.pk, document.pk)
    with pytest.raises(Refusal):
        screen.do_page(c.chair, c.session.pk, 9)
    staff_only = published(c, access=Document.Access.STAFF)
    with pytest.raises(NotFoundRefusal):
        screen.do_show(c.chair, c.session.pk, staff_only.pk)
    with pytest.raises(NotFoundRefusal):
        screen.do_show(c.chair, c.session.pk, 999_999)
    assert shown(c)["document_id"] == document.pk  # type: ignore[index]


def test_the_room_page_offers_presenters_what_they_may_show(c: Cast) -> None:
    from django.test import Client

    document = published(c)
    client = Client()
    client.force_login(c.chair)
    page = client.get(f"/live/sessions/{c.session.pk}/").content.decode()
    assert 'id="doc-screen"' in page and 'id="doc-choice"' in page
    assert f'value="{document.pk}"' in page
    client.force_login(c.delegate)
    page = client.get(f"/live/sessions/{c.session.pk}/").content.decode()
    assert 'id="doc-screen"' in page and 'id="doc-choice"' not in page
