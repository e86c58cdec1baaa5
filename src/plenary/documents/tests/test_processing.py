"""Real LibreOffice and poppler conversion, text extraction, search, and a real clamd."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import Storage
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from plenary.core.errors import NotFoundRefusal, PermissionRefusal, Refusal
from plenary.core.tasks import queued, requeue_abandoned, run_queued
from plenary.documents import search
from plenary.documents.models import Document, FileVersion, Library, LibraryFile
from plenary.documents.services import access, library, processing, secretariat, submission
from plenary.documents.tests import samples
from plenary.documents.tests.helpers import Cast, submit
from plenary.speech.tests.tinymt import build_tiny_mt_model

pytestmark = pytest.mark.django_db

ARABIC = "تقترح الإدارة معيارا جديدا للشبكات الآمنة الكمومية"
CHINESE = "本文提出量子安全网络的新标准化工作"


def processed(file: FileVersion) -> FileVersion:
    processing.process_file.call(file.pk)
    file.refresh_from_db()
    return file


def head(storage: Storage, name: str, size: int) -> bytes:
    with storage.open(name) as handle:
        return handle.read(size)


def newest_file(document: Document) -> FileVersion:
    return FileVersion.objects.filter(language_version__document=document).latest("pk")


def test_a_docx_becomes_a_pdf_with_page_images_and_its_text(cast: Cast) -> None:
    words = "Spectrum sharing in the 6 GHz band."
    upload = samples.upload("c.docx", samples.docx_bytes(words, pages=3))
    document = submit(cast, upload=upload)
    file = processed(newest_file(document))
    assert file.processing == FileVersion.Processing.DONE, file.error
    assert file.page_count == 3
    assert file.pdf.name and head(file.pdf.storage, file.pdf.name, 5) == b"%PDF-"
    storage = file.file.storage
    for page in (1, 2, 3):
        assert head(storage, file.page_name(page), 8) == b"\x89PNG\r\n\x1a\n"
    assert storage.exists(f"pages/{file.pk}/thumb.png")
    assert words in file.text
    assert list(search.matching(Document.objects.all(), "spectrum 6 GHz")) == [document]


def test_a_pptx_becomes_one_page_image_per_slide(cast: Cast) -> None:
    upload = samples.upload("s.pptx", samples.pptx_bytes("Agenda", "Results", "Next steps"))
    document = submit(cast, upload=upload)
    file = processed(newest_file(document))
    assert file.processing == FileVersion.Processing.DONE, file.error
    assert file.page_count == 3
    assert file.text.split("\n")[:3] == ["Agenda", "Results", "Next steps"]


def test_a_pdf_keeps_its_own_pages_and_an_xlsx_its_cells(cast: Cast) -> None:
    document = submit(cast)
    pdf_file = processed(newest_file(document))
    pdf = head(pdf_file.pdf.storage, pdf_file.pdf.name, 10_000_000)
    as_pdf = submission.add_file(cast.delegate, document, "fr", samples.upload("c.pdf", pdf))
    assert as_pdf.page_count == 1  # read by pdfinfo on upload
    as_pdf = processed(as_pdf)
    assert as_pdf.processing == "done" and not as_pdf.pdf  # the file is its own PDF
    assert "quantum-safe" in as_pdf.text
    sheet = submission.add_file(
        cast.delegate, document, "es", samples.upload("t.xlsx", samples.xlsx_bytes("Tarifas"))
    )
    assert "Tarifas" in processed(sheet).text


def test_search_finds_a_word_in_an_arabic_and_in_a_chinese_document(cast: Cast) -> None:
    arabic = submit(
        cast,
        language="ar",
        title="مساهمة",
        upload=samples.upload("a.docx", samples.docx_bytes(ARABIC)),
    )
    chinese = submit(
        cast,
        language="zh-hans",
        title="文稿",
        upload=samples.upload("z.docx", samples.docx_bytes(CHINESE)),
    )
    english = submit(cast)
    for document in (arabic, chinese, english):
        processed(newest_file(document))
    documents = Document.objects.all()

    def found(query: str) -> set[str]:
        return set(search.matching(documents, query).values_list("reference", flat=True))

    assert found("للشبكات") == {arabic.reference}  # as written: li-l + networks
    assert found("الشبكات") == {arabic.reference}  # with the article
    assert found("شبكات") == {arabic.reference}  # without it
    assert found("معيارًا") == {arabic.reference}  # vocalised (tanwin) matches unvocalised
    assert found("标准化") == {chinese.reference}  # inside a run of characters
    assert found("量子安全") == {chinese.reference}
    assert found("标化") == set()  # characters that are not side by side
    assert found("quantum-safe networks") == {english.reference}
    assert found("QUANTUM") == {english.reference}
    assert found('"') == found("") == {arabic.reference, chinese.reference, english.reference}


def test_search_respects_who_may_see(cast: Cast) -> None:
    document = submit(cast, access=Document.Access.ACCREDITED)
    processed(newest_file(document))
    visible = access.visible_documents(cast.outsider, cast.meeting)
    assert not search.matching(visible, "quantum").exists()
    secretariat.publish(cast.secretariat, document)
    mine = access.visible_documents(cast.other_delegate, cast.meeting)
    assert search.matching(mine, "quantum").get() == document


def test_a_worker_that_died_mid_way_leaves_no_file_unprocessed(cast: Cast) -> None:
    document = submit(cast)
    file = newest_file(document)
    assert queued(processing.process_file) == [[file.pk]]  # queued with the file
    # A worker took the job and died in the middle of it.
    DBTaskResult.objects.update(status="RUNNING", started_at=timezone.now())
    FileVersion.objects.filter(pk=file.pk).update(processing="running", progress=40)
    run_queued()
    file.refresh_from_db()
    assert file.processing == "running"  # nobody runs it...
    assert requeue_abandoned() == 1  # ...until the next worker starts
    run_queued()
    file.refresh_from_db()
    assert file.processing == "done" and file.page_count


def test_a_file_libreoffice_cannot_convert_fails_with_its_text_kept(cast: Cast) -> None:
    document = submit(cast)
    with override_settings(SOFFICE="/bin/false"):
        file = processed(newest_file(document))
    assert file.processing == FileVersion.Processing.FAILED
    assert "LibreOffice" in file.error
    assert "quantum-safe" in file.text  # extracted before the conversion failed


# --- a real clamd, with a signature database of our own -------------------------------


@pytest.fixture(scope="module")
def clamd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """clamd from Debian's clamav-daemon, knowing one signature: the EICAR test file's MD5
    (the ``.hdb`` format: ``md5:size:name``). Official signatures are a download that
    these machines cannot make."""
    binary = shutil.which("clamd") or "/usr/sbin/clamd"
    if not Path(binary).exists():
        pytest.fail("clamd is missing: run ./scripts/test, which installs clamav-daemon.")
    folder = tmp_path_factory.mktemp("clamd")
    (folder / "db").mkdir()
    (folder / "db" / "plenary-test.hdb").write_text(
        f"{hashlib.md5(samples.EICAR).hexdigest()}:{len(samples.EICAR)}:Plenary.Test.EICAR\n"  # noqa: S324 - the format's hash
    )
    socket_path = folder / "clamd.sock"
    (folder / "clamd.conf").write_text(
        f"Foreground yes\nLocalSocket {socket_path}\nDatabaseDirectory {folder / 'db'}\n"
        f"LogFile {folder / 'clamd.log'}\nStreamMaxLength 300M\n"
    )
    process = subprocess.Popen([binary, "-c", str(folder / "clamd.conf")])  # noqa: S603
    try:
        for _ in range(300):
            if socket_path.exists() or process.poll() is not None:
                break
            time.sleep(0.1)
        if not socket_path.exists():
            pytest.fail(f"clamd did not start: {(folder / 'clamd.log').read_text()[-500:]}")
        yield f"unix:{socket_path}"
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_eicar_is_refused_and_a_clean_file_is_published_once_scanned(
    cast: Cast, clamd: str
) -> None:
    with override_settings(CLAMD_ADDRESS=clamd):
        infected = submit(cast, upload=samples.upload("c.docx", samples.docx_carrying_eicar()))
        clean = submit(cast)
        for document in (infected, clean):
            assert newest_file(document).scan == FileVersion.Scan.PENDING
            with pytest.raises(Exception, match="virus scan"):
                secretariat.publish(cast.secretariat, document)
        bad = processed(newest_file(infected))
    assert bad.scan == FileVersion.Scan.INFECTED and "Plenary.Test.EICAR" in bad.scan_detail
    assert not access.may_download(cast.secretariat, bad)
    with override_settings(CLAMD_ADDRESS=clamd):
        good = processed(newest_file(clean))
    assert good.scan == FileVersion.Scan.CLEAN
    assert secretariat.publish(cast.secretariat, clean).state == Document.State.PUBLISHED


def test_a_library_file_is_scanned_converted_and_indexed_like_a_documents(
    cast: Cast, clamd: str
) -> None:
    """A library (a workspace's) takes the same path: EICAR is refused and never handed
    out, audited; a clean file gets its text (searchable), PDF and page images."""
    from plenary.core.models import AuditEntry

    shelf = Library.objects.create()
    with override_settings(CLAMD_ADDRESS=clamd):
        bad = library.add(
            cast.delegate, shelf, samples.upload("c.docx", samples.docx_carrying_eicar())
        )
        good = library.add(cast.delegate, shelf, samples.contribution("Cryptographic agility"))
        for file in (bad, good):
            assert file.scan == LibraryFile.Scan.PENDING
            with pytest.raises(NotFoundRefusal):
                library.get_file(shelf, file.pk)  # not before the scan
            processing.process_library_file.call(file.pk)
            file.refresh_from_db()
    assert bad.scan == LibraryFile.Scan.INFECTED and not bad.servable
    with pytest.raises(NotFoundRefusal):
        library.get_file(shelf, bad.pk)
    assert AuditEntry.objects.filter(action="documents.infected").count() == 1
    assert good.scan == LibraryFile.Scan.CLEAN and library.get_file(shelf, good.pk) == good
    assert good.page_count >= 1 and good.pdf.name == f"library-pdf/{good.pk}.pdf"
    assert good.file.storage.exists(good.page_name(1))
    assert list(library.documents(shelf, "agility")) == [good.document]


def test_a_scanner_that_is_down_leaves_the_file_waiting_then_it_is_scanned(
    cast: Cast, tmp_path: Path, clamd: str
) -> None:
    with override_settings(CLAMD_ADDRESS=f"unix:{tmp_path / 'nobody-listens.sock'}"):
        document = submit(cast)
        file = processed(newest_file(document))
    assert file.scan == FileVersion.Scan.PENDING
    assert file.processing == FileVersion.Processing.FAILED
    assert "virus scanner unavailable" in file.error
    # The scanner is back: the periodic retry submits the file again, and it is scanned.
    DBTaskResult.objects.all().delete()  # (the first run, done)
    assert processing.retry_scans() == 1
    assert queued(processing.process_file) == [[file.pk]]
    with override_settings(CLAMD_ADDRESS=clamd):
        run_queued()
    file.refresh_from_db()
    assert (file.scan, file.processing) == (FileVersion.Scan.CLEAN, "done")


def test_a_machine_draft_for_the_translators_through_the_speech_planes_mt(
    cast: Cast, settings: Any, tmp_path: Path
) -> None:
    """The PMS's MT path with the tiny model the speech tests build (meaningless output:
    the pipeline is what is checked); no model for a pair: no draft, said so."""
    document = submit(cast)
    with pytest.raises(Refusal):  # no text yet: the file is not processed
        secretariat.machine_draft(cast.secretariat, document, "fr")
    processed(newest_file(document))
    build_tiny_mt_model(tmp_path, pairs=[("en", "fr")])
    settings.SPEECH_MODEL_DIRS = [str(tmp_path)]
    assert secretariat.machine_draft(cast.secretariat, document, "es") is None
    version = secretariat.machine_draft(cast.secretariat, document, "fr")
    assert version is not None and version.machine_draft.strip()
    assert version.machine_draft_at is not None
    assert not version.files.exists()  # a draft, never a file version
    with pytest.raises(PermissionRefusal):
        secretariat.machine_draft(cast.delegate, document, "fr")


def libreoffice_pids(file_id: int) -> list[int]:
    """The LibreOffice processes converting ``file_id`` (their profile is in its workdir)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if b"lo-profile-" in command and f"plenary-file-{file_id}-".encode() in command:
            pids.append(int(entry.name))
    return pids


def test_a_libreoffice_killed_mid_conversion_is_tried_again(cast: Cast) -> None:
    """LibreOffice dies for real (SIGKILL) while it converts: the conversion runs again
    and the file ends with its PDF and pages, nobody having to ask."""
    content = samples.docx_bytes("Clause " * 150, pages=30)
    document = submit(cast, upload=samples.upload("long.docx", content))
    file = newest_file(document)
    killed: list[int] = []

    def kill_the_first_libreoffice() -> None:
        deadline = time.monotonic() + 120
        while not killed and time.monotonic() < deadline:
            for pid in libreoffice_pids(file.pk):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
            time.sleep(0.005)

    killer = threading.Thread(target=kill_the_first_libreoffice)
    killer.start()
    file = processed(file)
    killer.join()
    assert killed, "LibreOffice was never seen running"
    assert file.processing == FileVersion.Processing.DONE, file.error
    assert file.page_count == 30
