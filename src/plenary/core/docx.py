"""The one DOCX writer (python-docx), with one treatment of right-to-left text.

Every generated Word file (PMS exports, the annual report, transcripts) is
made with :func:`new` and written with :func:`save`. In a right-to-left
language (Arabic) ``save`` sets every paragraph, in the body and in tables,
right to left (``w:bidi``) and every run of it as right-to-left text
(``w:rtl``), so Word lays out and shapes it properly, numbers and Latin names
included. A paragraph in another direction than the document's (an
untranslated English proposal in an Arabic export) is set with
:func:`set_direction` first and left as it is.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from plenary.core.languages import is_rtl

Document = Any  # python-docx's Document has no public type


def new(language: str, title: str = "") -> Document:
    """An empty document in ``language`` (its core properties say so)."""
    document = docx.Document()
    document.core_properties.language = language
    if title:
        document.core_properties.title = title
    return document


def run_element(tag: str, text: str, rtl: bool) -> Any:
    """A ``w:r`` holding ``text`` as ``tag`` (``w:t``, ``w:delText``), for callers that
    build runs themselves (tracked changes)."""
    run = OxmlElement("w:r")
    if rtl:
        properties = OxmlElement("w:rPr")
        properties.append(OxmlElement("w:rtl"))
        run.append(properties)
    node = OxmlElement(tag)
    node.set(qn("xml:space"), "preserve")
    node.text = text
    run.append(node)
    return run


def set_direction(paragraph: Any, rtl: bool) -> None:
    """Set ``paragraph``'s direction, and its runs', whatever the document's."""
    properties = paragraph._p.get_or_add_pPr()
    for old in properties.findall(qn("w:bidi")):
        properties.remove(old)
    bidi = OxmlElement("w:bidi")
    bidi.set(qn("w:val"), "1" if rtl else "0")
    properties.append(bidi)
    if rtl:
        for run in paragraph._p.iter(qn("w:r")):
            run_properties = run.find(qn("w:rPr"))
            if run_properties is None:
                run_properties = OxmlElement("w:rPr")
                run.insert(0, run_properties)
            if run_properties.find(qn("w:rtl")) is None:
                run_properties.append(OxmlElement("w:rtl"))


def _paragraphs(document: Document) -> Iterator[Any]:
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def save(document: Document, language: str) -> bytes:
    """The file's bytes; in a right-to-left ``language`` every paragraph whose
    direction was not set is set right to left first."""
    if is_rtl(language):
        for paragraph in _paragraphs(document):
            properties = paragraph._p.pPr
            if properties is None or properties.find(qn("w:bidi")) is None:
                set_direction(paragraph, rtl=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
