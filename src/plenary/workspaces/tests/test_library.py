"""A workspace's library: documents with named versions, files posted with messages,
who reads and adds what, searching it, and what is refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client, override_settings
from django.utils import timezone

from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.documents.models import LibraryDocument, LibraryFile
from plenary.documents.services import processing
from plenary.documents.tests import samples
from plenary.workspaces import search
from plenary.workspaces.events import message_json
from plenary.workspaces.models import Message, Workspace
from plenary.workspaces.services import access, library, setup
from plenary.workspaces.services import messages as posting
from plenary.workspaces.tests.helpers import Cast

pytestmark = pytest.mark.django_db


def docx(text: str = "Draft Recommendation X.1234 on quantum-safe networks.") -> Any:
    return samples.upload("x1234.docx", samples.docx_bytes(text), samples.DOCX_TYPE)


def processed(file: LibraryFile) -> LibraryFile:
    processing.process_library_file.call(file.pk)
    file.refresh_from_db()
    return file


def content(response: Any) -> bytes:
    """A file response's content (consuming it closes the file; ``close()`` would also
    close the test's database connection)."""
    return b"".join(response.streaming_content)


def test_a_document_keeps_every_named_version(cast: Cast) -> None:
    place = cast.place(cast.french)
    first = library.do_add(cast.french, place, docx("v1"), title="X.1234", label="as submitted")
    second = library.do_add_version(
        cast.brazilian, cast.place(cast.brazilian), first.document_id, docx("v2"), label="as agreed"
    )
    assert (first.number, second.number) == (1, 2)
    document = library.get_document(place, first.document_id)
    assert [(f.number, f.label) for f in document.files.order_by("number")] == [
        (1, "as submitted"),
        (2, "as agreed"),
    ]
    assert document.current_file == second
    assert list(library.documents(place)) == [document]
    with pytest.raises(ValueError):
        first.delete()  # no version ever expires


def test_a_title_is_the_file_name_unless_one_is_given(cast: Cast) -> None:
    file = library.do_add(cast.french, cast.place(cast.french), docx())
    assert file.document.title == "x1234"
    with pytest.raises(Refusal) as refused:
        library.do_add(cast.french, cast.place(cast.french), docx(), title="x" * 201)
    assert refused.value.code == "title_too_long"
    assert LibraryDocument.objects.count() == 1


def test_only_members_add_and_only_readers_find_anything(cast: Cast) -> None:
    file = library.do_add(cast.french, cast.place(cast.french), docx())
    with pytest.raises(NotFoundRefusal):
        library.get_file(cast.outsider, file.pk)  # the workspace "does not exist" for them
    with pytest.raises(NotFoundRefusal):
        library.get_file(AnonymousUser(), file.pk)
    with pytest.raises(NotFoundRefusal):
        library.get_file(cast.french, file.pk + 1000)
    assert library.get_file(cast.brazilian, file.pk) == file
    with pytest.raises(PermissionRefusal):
        library.do_add(cast.outsider, cast.place(cast.outsider), docx())


def test_another_workspaces_document_is_not_found_through_this_one(cast: Cast) -> None:
    other = setup.do_create_workspace(
        cast.organiser,
        slug="sg13",
        names={"en": "SG13"},
        kind=Workspace.Kind.STUDY_GROUP,
        visibility=Workspace.Visibility.MEMBERS,
        entity_ids=[cast.brazil.pk],
    )
    theirs = library.do_add(cast.brazilian, access.place_of(cast.brazilian, other), docx())
    with pytest.raises(NotFoundRefusal):
        library.get_document(cast.place(cast.french), theirs.document_id)
    with pytest.raises(NotFoundRefusal):
        library.get_file(cast.french, theirs.pk)  # France is not a member of SG13


def test_an_archived_workspace_takes_no_document(cast: Cast) -> None:
    Workspace.objects.filter(pk=cast.workspace.pk).update(archived_at=timezone.now())
    cast.workspace.refresh_from_db()
    with pytest.raises(PermissionRefusal):
        library.do_add(cast.french, cast.place(cast.french), docx())
    assert not LibraryFile.objects.exists()


def test_a_file_that_is_not_a_document_is_refused_and_nothing_is_kept(cast: Cast) -> None:
    place = cast.place(cast.french)
    for name, body in (
        ("page.html", b"<script>alert(1)</script>"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf"),
        ("empty.docx", b""),
        ("bomb.docx", samples.zip_bomb_docx()),
    ):
        with pytest.raises(Refusal):
            library.do_add(cast.french, place, samples.upload(name, body))
    topic = posting.do_start_topic(cast.french, place, cast.general.pk, "Plan", "Hello").topic
    with pytest.raises(Refusal):
        posting.do_post(cast.french, place, topic.pk, "See", upload=samples.upload("a.exe", b"MZ"))
    assert not LibraryDocument.objects.exists() and Message.objects.count() == 1


@override_settings(DOCUMENT_UPLOADS_PER_HOUR=2)
def test_one_persons_uploads_are_limited_per_hour_but_not_the_secretariats(cast: Cast) -> None:
    place = cast.place(cast.french)
    library.do_add(cast.french, place, docx())
    library.do_add(cast.french, place, docx())
    with pytest.raises(Refusal) as refused:
        library.do_add(cast.french, place, docx())
    assert refused.value.code == "quota"
    for _ in range(3):
        library.do_add(cast.secretariat, cast.place(cast.secretariat), docx())


def test_a_message_posted_with_a_file_puts_it_in_the_library(cast: Cast) -> None:
    place = cast.place(cast.french)
    message = posting.do_start_topic(
        cast.french, place, cast.general.pk, "X.1234", "", upload=docx()
    )  # a file alone is a message
    [attached] = message_json(message)["attachments"]
    file = LibraryFile.objects.get()
    assert attached == {
        "id": file.pk,
        "title": "x1234",
        "name": "x1234.docx",
        "kind": "docx",
        "size": file.size,
        "version": 1,
        "url": f"/workspaces/files/{file.pk}/",
    }
    assert list(library.documents(place)) == [file.document]
    with pytest.raises(Refusal):  # neither text nor file
        posting.do_post(cast.french, place, message.topic_id, "  ")


def test_a_refused_message_keeps_no_file(cast: Cast) -> None:
    place = cast.place(cast.french)
    topic = posting.do_start_topic(cast.french, place, cast.general.pk, "Plan", "Hello").topic
    posting.do_lock(cast.moderator, cast.place(cast.moderator), topic.pk, locked=True)
    with pytest.raises(PermissionRefusal):
        posting.do_post(cast.french, place, topic.pk, "See the file", upload=docx())
    assert not LibraryDocument.objects.exists()


def test_a_hidden_messages_files_are_not_shown(cast: Cast) -> None:
    place = cast.place(cast.french)
    message = posting.do_start_topic(cast.french, place, cast.general.pk, "P", "x", upload=docx())
    posting.do_hide(cast.moderator, cast.place(cast.moderator), message.pk)
    message.refresh_from_db()
    assert message_json(message)["attachments"] == []


def test_search_finds_library_documents_by_their_text_and_messages_with_files(
    cast: Cast,
) -> None:
    place = cast.place(cast.french)
    file = processed(
        library.do_add(cast.french, place, docx("Guidelines on cryptographic agility"))
    )
    assert file.processing == LibraryFile.Processing.DONE and "cryptographic" in file.text
    assert list(library.documents(place, "cryptographic agility")) == [file.document]
    assert list(library.documents(place, "X1234 nothing")) == []
    plain = posting.do_start_topic(cast.french, place, cast.general.pk, "A", "agility talk")
    with_file = posting.do_post(cast.french, place, plain.topic_id, "agility file", upload=docx())
    found = search.messages(place, search.Filters(query="agility", with_files=True))
    assert list(found) == [with_file]
    assert set(search.messages(place, search.Filters(query="agility"))) == {plain, with_file}


# --- the pages ------------------------------------------------------------------------


def test_the_library_pages_for_each_role(client: Client, cast: Cast) -> None:
    file = library.do_add(cast.french, cast.place(cast.french), docx(), title="X.1234 draft")
    pages = {
        "library": "/workspaces/sg17/library/",
        "document": f"/workspaces/sg17/library/{file.document_id}/",
        "file": f"/workspaces/files/{file.pk}/",
    }
    for person, expected in ((None, 404), (cast.outsider, 404), (cast.brazilian, 200)):
        client.logout()
        if person is not None:
            client.force_login(person)
        for name, path in pages.items():
            response = client.get(path)
            assert response.status_code == expected, (person, name)
            if response.streaming:
                content(response)
    client.force_login(cast.brazilian)
    download = client.get(pages["file"])
    with file.file.open("rb") as stored:
        assert content(download) == stored.read()
    assert download["Content-Disposition"].startswith("attachment;")
    page = client.get(pages["library"], {"q": "X.1234"}).content.decode()
    assert "X.1234 draft" in page


def test_adding_by_the_page_then_a_version(client: Client, cast: Cast) -> None:
    client.force_login(cast.brazilian)
    added = client.post("/workspaces/sg17/library/add/", {"title": "Work plan", "file": docx()})
    document = LibraryDocument.objects.get()
    assert added.status_code == 302 and added["Location"].endswith(f"/library/{document.pk}/")
    again = client.post(
        f"/workspaces/sg17/library/{document.pk}/versions/",
        {"label": "after Geneva", "file": docx("v2")},
    )
    assert again.status_code == 302
    assert [f.label for f in document.files.order_by("number")] == ["", "after Geneva"]
    refused = client.post(
        "/workspaces/sg17/library/add/",
        {"file": samples.upload("x.html", b"<p>hi</p>")},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert refused.status_code == 400 and LibraryDocument.objects.count() == 1
    client.force_login(cast.outsider)
    assert client.post("/workspaces/sg17/library/add/", {"file": docx()}).status_code == 404
    assert LibraryDocument.objects.count() == 1


def test_posting_a_file_with_a_message_by_the_page(client: Client, cast: Cast) -> None:
    client.force_login(cast.french)
    reply = client.post(
        "/workspaces/sg17/c/general/topics/",
        {"title": "X.1234", "text": "The draft", "file": docx()},
        HTTP_ACCEPT="application/json",
    )
    assert reply.status_code == 200 and reply.json()["ok"]
    message = Message.objects.get()
    assert message.attachments.count() == 1
    page = client.get(message.topic.get_absolute_url()).content.decode()
    assert f'href="/workspaces/files/{message.attachments.get().pk}/" download' in page
