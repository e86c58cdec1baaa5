"""The text of a document file, for full-text search.

Office files are read from their XML parts with defusedxml (no entity
expansion), each part through a bounded reader, so a part whose directory
entry lies about its size still cannot grow beyond ``MAX_PART_BYTES``.
PDFs go through poppler's ``pdftotext`` in a child process with a time limit.
Text beyond ``MAX_TEXT_CHARS`` is not indexed.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from defusedxml import ElementTree

MAX_TEXT_CHARS = 2_000_000
MAX_PART_BYTES = 256 * 1024 * 1024
PDFTOTEXT_TIMEOUT_SECONDS = 300
PDFTOTEXT = "pdftotext"  # poppler-utils

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"

# The parts that carry text, and per kind the element whose text is kept and the one
# that ends a line.
_PARTS = {
    "docx": re.compile(r"word/(document|footnotes|endnotes|header\d*|footer\d*)\.xml"),
    "pptx": re.compile(r"ppt/(slides/slide\d+|notesSlides/notesSlide\d+)\.xml"),
    "xlsx": re.compile(r"xl/(sharedStrings|worksheets/sheet\d+)\.xml"),
}
_TEXT_TAG = {"docx": _W + "t", "pptx": _A + "t", "xlsx": _S + "t"}
_LINE_TAG = {"docx": _W + "p", "pptx": _A + "p", "xlsx": _S + "si"}


class TooLarge(Exception):
    pass


class _Bounded:
    """A read-only view of a stream that refuses to yield more than ``limit`` bytes."""

    def __init__(self, stream: IO[bytes], limit: int):
        self._stream = stream
        self._left = limit

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(65536 if size is None or size < 0 else size)
        self._left -= len(chunk)
        if self._left < 0:
            raise TooLarge
        return chunk


def extract_text(path: Path, kind: str) -> str:
    """The file's text, lines separated by newlines (possibly empty, never raises on content)."""
    if kind == "pdf":
        return _pdf_text(path)
    return "\n".join(_office_lines(path, kind))[:MAX_TEXT_CHARS]


def _office_lines(path: Path, kind: str) -> Iterator[str]:
    pattern, text_tag, line_tag = _PARTS[kind], _TEXT_TAG[kind], _LINE_TAG[kind]
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            names = sorted(
                (n for n in archive.namelist() if pattern.fullmatch(n)), key=_natural_key
            )
            for name in names:
                with archive.open(name) as stream:
                    line: list[str] = []
                    for _event, element in ElementTree.iterparse(
                        _Bounded(stream, MAX_PART_BYTES), events=("end",)
                    ):
                        if element.tag == text_tag and element.text:
                            line.append(element.text)
                        elif element.tag == line_tag:
                            if line:
                                text = "".join(line)
                                total += len(text)
                                yield text
                                line = []
                            element.clear()
                        if total > MAX_TEXT_CHARS:
                            return
                    if line:
                        yield "".join(line)
    except (TooLarge, zipfile.BadZipFile, ElementTree.ParseError, OSError, ValueError):
        return


def _natural_key(name: str) -> list[object]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", name)]


def _pdf_text(path: Path) -> str:
    try:
        result = subprocess.run(  # noqa: S603 - a fixed program, the path is ours
            [PDFTOTEXT, "-enc", "UTF-8", "-q", str(path), "-"],
            capture_output=True,
            timeout=PDFTOTEXT_TIMEOUT_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return ""
    return result.stdout.decode("utf-8", "replace").replace("\f", "\n")[:MAX_TEXT_CHARS]
