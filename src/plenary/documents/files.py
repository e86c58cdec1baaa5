"""What an uploaded file really is: sniffed from its bytes, never from its name.

Accepted: PDF, DOCX, XLSX, PPTX. The extension must agree with the content
(a ``.pdf`` that is a ZIP is refused, and so is a ``.docx`` that is a PDF).
Office files are ZIP containers: their central directory is checked before
anything reads them, so that a zip bomb (a small file that expands to
gigabytes) is refused without being expanded. PDFs are asked about with
poppler's ``pdfinfo`` in a child process: an encrypted PDF is refused (its
text cannot be indexed nor its pages shown), and so is one poppler cannot read.
"""

from __future__ import annotations

import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from plenary.core.errors import Refusal

# A member expanding more than this many times its compressed size is a bomb (Office XML
# compresses ten to thirty times; images not at all).
MAX_RATIO = 200
# Nothing in an Office file legitimately expands beyond this, all members together, or four
# times the largest upload accepted when that is more (stored media do not shrink at all).
MAX_EXPANDED_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 20_000
PDFINFO_TIMEOUT_SECONDS = 60
PDFINFO = "pdfinfo"  # poppler-utils

# The part that tells an Office Open XML package's kind.
_OOXML_MAIN_PART = {
    "word/document.xml": "docx",
    "xl/workbook.xml": "xlsx",
    "ppt/presentation.xml": "pptx",
}
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NAMES = {"pdf": "PDF", "docx": "DOCX", "xlsx": "XLSX", "pptx": "PPTX"}


@dataclass(frozen=True)
class Sniffed:
    kind: str  # a FileVersion.Kind value
    pages: int = 0  # PDFs only; Office files have pages once converted


def sniff(path: Path, name: str) -> Sniffed:
    """The kind of the file at ``path`` uploaded as ``name``, or a translated refusal."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"PK\x03\x04"):
        kind = _ooxml_kind(path)
    elif head.startswith(_OLE_MAGIC):
        raise Refusal(
            _(
                "This is a password-protected or old-format Office file (.doc, .xls, .ppt). "
                "Save it without a password as DOCX, XLSX, PPTX or PDF and upload it again."
            ),
            code="ole_file",
            field="file",
        )
    else:
        raise Refusal(
            _("Upload a PDF, DOCX, XLSX or PPTX file; this file is none of these."),
            code="file_type",
            field="file",
        )
    extension = Path(name).suffix.lower().lstrip(".")
    if extension != kind:
        raise Refusal(
            _("The file is named .%(extension)s but its content is %(kind)s. Check the file.")
            % {"extension": extension or "?", "kind": _NAMES[kind]},
            code="file_type_mismatch",
            field="file",
        )
    if kind == "pdf":
        return Sniffed(kind, pages=pdf_pages(path))
    return Sniffed(kind)


def _ooxml_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise Refusal(
            _("The file is damaged: it cannot be opened."), code="damaged", field="file"
        ) from None
    check_expansion(members)
    names = {member.filename for member in members}
    for part, kind in _OOXML_MAIN_PART.items():
        if part in names:
            return kind
    raise Refusal(
        _("Upload a PDF, DOCX, XLSX or PPTX file; this file is none of these."),
        code="file_type",
        field="file",
    )


def check_expansion(members: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive that would expand beyond the limits (read from its directory)."""
    bomb = Refusal(
        _("The file expands to far more than its size (a “zip bomb”) and is refused."),
        code="zip_bomb",
        field="file",
    )
    if len(members) > MAX_MEMBERS:
        raise bomb
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > 1024 * 1024 and member.file_size > MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise bomb
    if total > max(MAX_EXPANDED_BYTES, 4 * settings.DOCUMENT_MAX_BYTES):
        raise bomb


def pdf_pages(path: Path) -> int:
    try:
        result = subprocess.run(  # noqa: S603 - a fixed program, the path is ours
            [PDFINFO, str(path)],
            capture_output=True,
            timeout=PDFINFO_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise Refusal(
            _("The PDF could not be read in time."), code="damaged", field="file"
        ) from None
    output = result.stdout.decode("utf-8", "replace")
    error = result.stderr.decode("utf-8", "replace")
    if "Incorrect password" in error or _field(output, "Encrypted").startswith("yes"):
        raise Refusal(
            _("The PDF is encrypted. Upload it without a password or restrictions."),
            code="encrypted",
            field="file",
        )
    if result.returncode != 0:
        raise Refusal(_("The file is damaged: it cannot be opened."), code="damaged", field="file")
    try:
        return int(_field(output, "Pages"))
    except ValueError:
        return 0


def _field(pdfinfo_output: str, name: str) -> str:
    for line in pdfinfo_output.splitlines():
        key, _sep, value = line.partition(":")
        if key.strip() == name:
            return value.strip()
    return ""
