"""Real files for the documents tests, made here (python-docx, python-pptx, openpyxl)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import openpyxl
import pptx
from django.core.files.uploadedfile import SimpleUploadedFile

DATA = Path(__file__).parent / "data"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes(*paragraphs: str, pages: int = 1) -> bytes:
    document = docx.Document()
    for page in range(pages):
        for paragraph in paragraphs:
            document.add_paragraph(paragraph)
        if page < pages - 1:
            document.add_page_break()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_bytes(*slides: str) -> bytes:
    presentation = pptx.Presentation()
    for text in slides:
        slide = presentation.slides.add_slide(presentation.slide_layouts[1])
        slide.shapes.title.text = text
    out = io.BytesIO()
    presentation.save(out)
    return out.getvalue()


def xlsx_bytes(*cells: str) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row, value in enumerate(cells, 1):
        sheet.cell(row=row, column=1, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bomb_docx() -> bytes:
    """A DOCX whose document part expands a thousand times (64 kB to 64 MB): the shape of a
    zip bomb, which the upload refuses from the directory, without expanding it."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\0" * (64 * 1024 * 1024))
    return out.getvalue()


def docx_carrying_eicar() -> bytes:
    """A DOCX with the EICAR test file embedded as one of its parts, as a macro or an
    embedded object would carry malware; clamd looks into the archive and finds it."""
    source = io.BytesIO(docx_bytes("An innocent-looking contribution."))
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w") as carrier:
        for item in original.infolist():
            carrier.writestr(item, original.read(item.filename))
        carrier.writestr("word/embeddings/oleObject1.bin", EICAR)
    return out.getvalue()


def upload(
    name: str, content: bytes, content_type: str = "application/octet-stream"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def contribution(text: str = "Proposal on quantum-safe networks.") -> SimpleUploadedFile:
    return upload("contribution.docx", docx_bytes(text), DOCX_TYPE)
