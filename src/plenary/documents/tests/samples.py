"""Real files for the documents tests, made here (python-docx, python-pptx, openpyxl)."""

from __future__ import annotations

import http.client
import io
import os
import re
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


def large_docx(path: Path, megabytes: int) -> None:
    """A real DOCX carrying ``megabytes`` of incompressible media, stored (not a bomb)."""
    small = zipfile.ZipFile(io.BytesIO(docx_bytes("A large contribution.")))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
        for item in small.infolist():
            archive.writestr(item, small.read(item.filename))
        with archive.open("word/media/filler.bin", "w", force_zip64=True) as part:
            block = os.urandom(1024 * 1024)
            for _ in range(megabytes):
                part.write(block)


def post_submission(port: int, cookie: str, code: str, series_id: int, path: Path) -> int:
    """The submission form posted as a browser would, the file streamed from disk in
    1 MB chunks (never whole in this process's memory); the reply's HTTP status."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    form = f"/meetings/{code}/documents/submit/"
    connection.request("GET", form, headers={"Cookie": cookie})
    reply = connection.getresponse()
    page = reply.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    csrf = re.search(r"csrftoken=([^;]+)", reply.getheader("Set-Cookie") or "")
    if reply.status != 200 or token is None or csrf is None:
        raise RuntimeError(f"submission form: HTTP {reply.status}")
    boundary = "----plenary-upload"
    fields = {"csrfmiddlewaretoken": token.group(1), "series": str(series_id)}
    fields |= {"title": "Large", "language": "en", "access": "accredited"}
    head = "".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'
        for k, v in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="large.docx"'
        "\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    tail = f"\r\n--{boundary}--\r\n".encode()
    connection.putrequest("POST", form)
    headers = {
        "Cookie": f"{cookie}; csrftoken={csrf.group(1)}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
        "Content-Length": str(len(head.encode()) + path.stat().st_size + len(tail)),
        "Origin": f"http://127.0.0.1:{port}",
        "Referer": f"http://127.0.0.1:{port}{form}",
    }
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    connection.send(head.encode())
    with path.open("rb") as handle:
        while chunk := handle.read(1024 * 1024):
            connection.send(chunk)
    connection.send(tail)
    status = connection.getresponse().status
    connection.close()
    return status
