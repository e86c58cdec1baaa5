"""Submission, numbering, revisions, publication and the access matrix."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import override_settings

from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.documents.models import Document, DocumentEvent, FileVersion, LanguageVersion
from plenary.documents.services import access, secretariat, submission
from plenary.documents.tests import samples
from plenary.documents.tests.helpers import Cast, past, submit

pytestmark = pytest.mark.django_db


def test_a_delegate_submits_a_numbered_contribution_with_its_first_file(cast: Cast) -> None:
    first = submit(cast)
    second = submit(cast, title="Second")
    assert (first.reference, second.reference) == ("SG17-C-1", "SG17-C-2")
    assert first.state == Document.State.SUBMITTED
    assert first.entity == cast.delegate.entity
    assert first.source == Document.Source.MEMBER_STATE
    original = first.languages.get()
    assert original.translation == LanguageVersion.Translation.ORIGINAL
    file = original.files.get()
    assert (file.number, file.kind, file.original_name) == (1, "docx", "contribution.docx")
    assert file.scan == FileVersion.Scan.NOT_SCANNED  # no scanner configured: said so
    assert len(file.sha256) == 64 and file.size > 0
    assert not file.file.name.endswith("contribution.docx")  # never the uploader's name
    assert list(first.events.values_list("kind", flat=True)) == ["submitted"]


def test_series_rules_pad_numbers_and_revisions_keep_them(cast: Cast) -> None:
    cast.series.prefix, cast.series.digits = "TD-", 3
    cast.series.save()
    document = submit(cast)
    assert document.reference == "TD-001"
    revision = submission.revise(cast.colleague, document, samples.contribution("Revised"))
    assert (revision.number, revision.revision, revision.reference) == (1, 1, "TD-001-R1")
    secretariat.publish(cast.secretariat, document)
    secretariat.publish(cast.secretariat, revision)
    document.refresh_from_db()
    assert document.state == Document.State.SUPERSEDED
    assert document.events.last().kind == DocumentEvent.Kind.SUPERSEDED  # type: ignore[union-attr]
    with pytest.raises(Refusal) as refused:
        submission.revise(cast.delegate, document, samples.contribution())
    assert refused.value.code in {"not_latest", "forbidden"}


def test_the_secretariat_chooses_a_number_but_never_one_already_taken(cast: Cast) -> None:
    taken = submit(cast)
    chosen = submission.Submission(title="Late", language="fr", number=40)
    late = submission.submit(cast.secretariat, cast.series, chosen, samples.contribution())
    assert late.reference == "SG17-C-40"
    again = submission.Submission(title="Clash", language="fr", number=taken.number)
    with pytest.raises(Refusal) as refused:
        submission.submit(cast.secretariat, cast.series, again, samples.contribution())
    assert refused.value.code == "number_taken"
    assert Document.objects.count() == 2
    assert FileVersion.objects.count() == 2
    with pytest.raises(PermissionRefusal):
        submit(cast, number=99)


def test_the_deadline_holds_in_the_meeting_time_zone_for_delegates_only(cast: Cast) -> None:
    cast.series.deadline = past()
    cast.series.save()
    with pytest.raises(Refusal) as refused:
        submit(cast)
    assert refused.value.code == "deadline"
    assert "UTC+" in str(refused.value)  # the meeting's clock, stated
    late = submission.submit(
        cast.secretariat,
        cast.series,
        submission.Submission(title="Issued late by the secretariat", language="en"),
        samples.contribution(),
    )
    with pytest.raises(Refusal):
        submission.add_file(cast.delegate, late, "fr", samples.contribution())
    assert Document.objects.count() == 1


def test_who_may_submit(cast: Cast) -> None:
    with pytest.raises(PermissionRefusal):
        submission.submit(
            cast.outsider,
            cast.series,
            submission.Submission(title="x", language="en"),
            samples.contribution(),
        )
    by_focal_point = submission.submit(
        cast.focal_point,
        cast.series,
        submission.Submission(title="For my administration", language="en"),
        samples.contribution(),
    )
    assert by_focal_point.entity == cast.focal_point.entity
    cast.series.delegates_submit = False
    cast.series.save()
    with pytest.raises(PermissionRefusal):
        submit(cast)
    with pytest.raises(PermissionRefusal):
        submit(cast, entity=cast.other_delegate.entity)


def test_a_delegate_cannot_write_into_another_entitys_document(cast: Cast) -> None:
    document = submit(cast)
    with pytest.raises(PermissionRefusal):
        submission.add_file(cast.other_delegate, document, "en", samples.contribution())
    added = submission.add_file(cast.colleague, document, "fr", samples.contribution(), "v2")
    assert (added.language_version.language, added.number, added.label) == ("fr", 1, "v2")
    again = submission.add_file(cast.focal_point, document, "fr", samples.contribution())
    assert again.number == 2
    assert FileVersion.objects.filter(language_version__document=document).count() == 3


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("report.pdf", samples.docx_bytes("not a pdf"), "file_type_mismatch"),
        ("report.docx", b"%PDF-1.4\n%%EOF", "file_type_mismatch"),
        ("tool.docx", b"MZ\x90\x00 an executable", "file_type"),
        ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "ole_file"),
        ("empty.pdf", b"", "empty"),
        ("broken.docx", b"PK\x03\x04 and nothing else", "damaged"),
        ("bomb.docx", samples.zip_bomb_docx(), "zip_bomb"),
        ("secret.pdf", (samples.DATA / "encrypted.pdf").read_bytes(), "encrypted"),
        ("table.xlsx", samples.docx_bytes("a DOCX named .xlsx"), "file_type_mismatch"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    cast: Cast, name: str, content: bytes, code: str
) -> None:
    existing = submit(cast)
    with pytest.raises(Refusal) as refused:
        submit(cast, upload=samples.upload(name, content))
    assert refused.value.code == code
    with pytest.raises(Refusal):
        submission.add_file(cast.delegate, existing, "en", samples.upload(name, content))
    assert Document.objects.count() == 1
    assert FileVersion.objects.count() == 1
    stored = list(FileVersion.objects.get().file.storage.listdir("files")[1])
    assert len(stored) == 1


@override_settings(DOCUMENT_MAX_BYTES=1000)
def test_a_file_over_the_size_limit_is_refused(cast: Cast) -> None:
    with pytest.raises(Refusal) as refused:
        submit(cast, upload=samples.upload("big.pdf", b"%PDF-" + b"0" * 2000))
    assert refused.value.code == "too_large"
    assert (
        "1000" in str(refused.value) or "KB" in str(refused.value) or "bytes" in str(refused.value)
    )


def test_every_office_kind_and_pdf_is_accepted(cast: Cast) -> None:
    kinds = {
        "slides.pptx": samples.pptx_bytes("Slide"),
        "table.xlsx": samples.xlsx_bytes("Cell"),
        "paper.docx": samples.docx_bytes("Text"),
    }
    document = submit(cast)
    for name, content in kinds.items():
        file = submission.add_file(cast.delegate, document, "es", samples.upload(name, content))
        assert file.kind == name.rsplit(".", 1)[1]


def test_the_access_matrix(cast: Cast) -> None:
    anonymous = AnonymousUser()
    public = submit(cast, access=Document.Access.PUBLIC, title="Public")
    accredited = submit(cast, access=Document.Access.ACCREDITED, title="Accredited")
    staff_only = submit(cast, access=Document.Access.STAFF, title="Staff")
    draft = submit(cast, access=Document.Access.PUBLIC, title="Draft")
    withdrawn = submit(cast, access=Document.Access.PUBLIC, title="Withdrawn")
    for document in (public, accredited, staff_only, withdrawn):
        secretariat.publish(cast.secretariat, document)
    secretariat.withdraw(cast.secretariat, withdrawn, "duplicate")

    def seen(user: object) -> set[str]:
        return set(
            access.visible_documents(user, cast.meeting).values_list("titles__en", flat=True)
        )

    everything = {"Public", "Accredited", "Staff", "Draft", "Withdrawn"}
    assert seen(anonymous) == {"Public"}
    assert seen(cast.outsider) == {"Public"}
    assert seen(cast.other_delegate) == {"Public", "Accredited"}
    assert seen(cast.colleague) == everything - {"Withdrawn"}  # the submitting entity
    assert seen(cast.focal_point) == everything - {"Withdrawn"}
    assert seen(cast.secretariat) == everything
    assert seen(cast.staff) == everything
    with pytest.raises(NotFoundRefusal):
        access.get_document(cast.other_delegate, draft.pk)
    with pytest.raises(NotFoundRefusal):
        access.get_document(anonymous, accredited.pk)
    assert access.get_document(anonymous, public.pk) == public


def test_only_the_secretariat_publishes_and_withdraws_with_a_record(cast: Cast) -> None:
    document = submit(cast)
    with pytest.raises(PermissionRefusal):
        secretariat.publish(cast.delegate, document)
    published = secretariat.publish(cast.secretariat, document)
    assert published.state == Document.State.PUBLISHED and published.published_at
    with pytest.raises(Refusal):
        secretariat.publish(cast.secretariat, document)
    secretariat.withdraw(cast.staff, document, "submitted twice")
    kinds = list(document.events.values_list("kind", "note"))
    assert kinds[-2:] == [("published", ""), ("withdrawn", "submitted twice")]
    with pytest.raises(ValueError, match="never deleted"):
        document.delete()
    with pytest.raises(ValueError, match="never deleted"):
        FileVersion.objects.first().delete()  # type: ignore[union-attr]


def test_a_file_waiting_for_its_scan_or_infected_is_not_published(cast: Cast) -> None:
    document = submit(cast)
    file = FileVersion.objects.get()
    for scan, code in ((FileVersion.Scan.PENDING, "scan_pending"), ("infected", "infected")):
        FileVersion.objects.filter(pk=file.pk).update(scan=scan)
        with pytest.raises(Refusal) as refused:
            secretariat.publish(cast.secretariat, document)
        assert refused.value.code == code
        file.refresh_from_db()
        assert access.may_download(cast.secretariat, file) is (scan == "pending")
        assert not access.may_download(cast.delegate, file)
    document.refresh_from_db()
    assert document.state == Document.State.SUBMITTED


def test_translation_status_per_language(cast: Cast) -> None:
    document = submit(cast)
    version = secretariat.set_translation(cast.secretariat, document, "ar", "requested")
    assert version.translation == "requested"
    secretariat.set_translation(cast.secretariat, document, "ar", "in_progress")
    with pytest.raises(Refusal):
        secretariat.set_translation(cast.secretariat, document, "en", "done")  # the original
    with pytest.raises(Refusal):
        secretariat.set_translation(cast.secretariat, document, "ar", "original")
    with pytest.raises(PermissionRefusal):
        secretariat.set_translation(cast.delegate, document, "fr", "done")
    assert document.languages.get(language="ar").translation == "in_progress"


@override_settings(DOCUMENT_UPLOADS_PER_HOUR=2)
def test_one_person_cannot_flood_the_uploads(cast: Cast) -> None:
    document = submit(cast)
    submission.add_file(cast.delegate, document, "fr", samples.contribution())
    with pytest.raises(Refusal) as refused:
        submission.add_file(cast.delegate, document, "es", samples.contribution())
    assert refused.value.code == "quota"
    with pytest.raises(Refusal):
        submit(cast)
    # Others are not held back, nor the secretariat.
    submission.add_file(cast.colleague, document, "es", samples.contribution())
    for _ in range(3):
        submission.add_file(cast.secretariat, document, "ru", samples.contribution())
    assert FileVersion.objects.filter(uploaded_by=cast.delegate).count() == 2
