"""The document pages through Django's test client: forms, refusals, files, the feed."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plenary.documents.models import Document, FileVersion
from plenary.documents.services import processing, secretariat
from plenary.documents.tests import samples
from plenary.documents.tests.helpers import Cast, past, submit
from plenary.meetings.models import AgendaItem

pytestmark = pytest.mark.django_db


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def body(reply: object) -> bytes:
    """A file response's content (consuming it closes the file; calling ``close()`` on the
    response in a test would also close the test's database connection)."""
    return b"".join(reply.streaming_content)  # type: ignore[attr-defined]


def test_a_delegate_submits_through_the_form_and_sees_it_in_the_register(cast: Cast) -> None:
    item = AgendaItem.objects.create(meeting=cast.meeting, number="3", titles={"en": "Security"})
    client = signed_in(cast.delegate)
    url = reverse("documents:submit", args=[cast.meeting.code])
    assert client.get(url).status_code == 200
    reply = client.post(
        url,
        {
            "series": cast.series.pk,
            "title": "Post-quantum key exchange",
            "language": "en",
            "access": "accredited",
            "agenda_items": [item.pk],
            "file": samples.contribution(),
        },
    )
    document = Document.objects.get()
    assert reply.status_code == 302 and reply["Location"] == reverse(
        "documents:detail", args=[document.pk]
    )
    assert list(document.agenda_items.all()) == [item]
    register = client.get(reverse("documents:register", args=[cast.meeting.code]))
    assert "SG17-C-1" in register.content.decode()
    # Not yet published: another delegate does not see it.
    other = signed_in(cast.other_delegate)
    listing = other.get(reverse("documents:register", args=[cast.meeting.code]))
    assert "SG17-C-1" not in listing.content.decode()
    assert other.get(reverse("documents:detail", args=[document.pk])).status_code == 404


def test_refusals_come_back_in_the_readers_language_and_store_nothing(cast: Cast) -> None:
    client = signed_in(cast.delegate)
    url = reverse("documents:submit", args=[cast.meeting.code])
    fields = {"series": cast.series.pk, "title": "T", "language": "fr", "access": "public"}
    reply = client.post(
        url,
        {**fields, "file": samples.upload("c.pdf", samples.docx_bytes("x"))},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert reply.status_code == 200
    assert "le contenu est DOCX" in reply.content.decode()
    with override_settings(DOCUMENT_MAX_BYTES=2000):
        reply = client.post(
            url,
            {**fields, "file": samples.upload("c.pdf", b"%PDF-" + b"0" * 10_000)},
            HTTP_ACCEPT_LANGUAGE="ar",
        )
    assert reply.status_code == 200
    assert "أكبر من" in reply.content.decode()
    assert not Document.objects.exists() and not FileVersion.objects.exists()


def test_after_the_deadline_the_form_is_closed(cast: Cast) -> None:
    cast.series.deadline = past()
    cast.series.save()
    client = signed_in(cast.delegate)
    url = reverse("documents:submit", args=[cast.meeting.code])
    assert client.get(url).status_code == 403
    reply = client.post(url, {"series": cast.series.pk, "file": samples.contribution()})
    assert reply.status_code == 403
    assert not Document.objects.exists()


def test_the_secretariat_publishes_from_the_page_and_a_delegate_may_not(cast: Cast) -> None:
    document = submit(cast)
    url = reverse("documents:act", args=[document.pk, "publish"])
    assert signed_in(cast.delegate).post(url).status_code == 403
    assert signed_in(cast.secretariat).post(url).status_code == 302
    document.refresh_from_db()
    assert document.state == Document.State.PUBLISHED
    assert (
        signed_in(cast.secretariat)
        .post(reverse("documents:act", args=[document.pk, "explode"]))
        .status_code
        == 404
    )


def test_files_are_served_only_to_those_who_may_read_them(cast: Cast) -> None:
    document = submit(cast, access=Document.Access.ACCREDITED)
    file = FileVersion.objects.get()
    processing.process_file.call(file.pk)
    secretariat.publish(cast.secretariat, document)
    download = reverse("documents:download", args=[document.pk, "en", 1])
    page = reverse("documents:page", args=[document.pk, "en", 1, 1])
    assert Client().get(download).status_code == 404  # anonymous: not even its existence
    assert signed_in(cast.outsider).get(page).status_code == 404
    reply = signed_in(cast.other_delegate).get(download)
    assert reply.status_code == 200
    assert reply["Content-Disposition"].startswith('attachment; filename="contribution.docx"')
    assert body(reply)[:2] == b"PK"
    image = signed_in(cast.other_delegate).get(page)
    assert image["Content-Type"] == "image/png"
    assert body(image)[:4] == b"\x89PNG"
    assert (
        signed_in(cast.other_delegate)
        .get(reverse("documents:page", args=[document.pk, "en", 1, 2]))
        .status_code
        == 404
    )
    viewer = signed_in(cast.other_delegate).get(
        reverse("documents:viewer", args=[document.pk, "en", 1])
    )
    assert page in viewer.content.decode()


@override_settings(DOCUMENT_ACCEL_PREFIX="/internal/documents/")
def test_a_front_server_sends_the_file_after_our_check(cast: Cast) -> None:
    document = submit(cast, access=Document.Access.PUBLIC)
    secretariat.publish(cast.secretariat, document)
    reply = Client().get(reverse("documents:download", args=[document.pk, "en", 1]))
    name = FileVersion.objects.get().file.name
    assert reply["X-Accel-Redirect"] == f"/internal/documents/{name}"
    assert reply.content == b""


def test_the_feed_lists_public_published_documents(cast: Cast) -> None:
    public = submit(cast, access=Document.Access.PUBLIC, title="Open to all")
    hidden = submit(cast, access=Document.Access.ACCREDITED, title="Participants only")
    for document in (public, hidden):
        secretariat.publish(cast.secretariat, document)
    feed = Client().get(reverse("documents:feed", args=[cast.meeting.code])).content.decode()
    assert "Open to all" in feed and "Participants only" not in feed


def test_the_status_of_a_file_for_the_page_to_follow(cast: Cast) -> None:
    document = submit(cast)
    url = reverse("documents:status", args=[document.pk, "en", 1])
    assert signed_in(cast.delegate).get(url).json()["processing"] == "queued"
    assert signed_in(cast.other_delegate).get(url).status_code == 404


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(["q", "series", "agenda", "language", "page"]),
        st.text(max_size=40),
        max_size=5,
    )
)
def test_any_register_query_gets_a_page_never_an_error(cast: Cast, params: dict[str, str]) -> None:
    reply = Client().get(reverse("documents:register", args=[cast.meeting.code]), params)
    assert reply.status_code == 200


def test_the_feed_narrows_to_an_agenda_item(cast: Cast) -> None:
    item = AgendaItem.objects.create(meeting=cast.meeting, number="2", titles={"en": "Two"})
    on_item = submit(cast, access=Document.Access.PUBLIC, title="On item two", agenda_items=[item])
    other = submit(cast, access=Document.Access.PUBLIC, title="Elsewhere")
    for document in (on_item, other):
        secretariat.publish(cast.secretariat, document)
    url = reverse("documents:feed", args=[cast.meeting.code])
    narrowed = Client().get(url, {"agenda": item.pk}).content.decode()
    assert "On item two" in narrowed and "Elsewhere" not in narrowed
    assert "Elsewhere" in Client().get(url).content.decode()
