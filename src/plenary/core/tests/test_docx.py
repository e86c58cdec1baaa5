"""The one DOCX writer: right-to-left everywhere in Arabic, a paragraph's own direction kept."""

from __future__ import annotations

import io
import zipfile

from plenary.core import docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _body(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()


def _paragraphs(data: bytes) -> list[tuple[str, str | None, bool]]:
    """Each paragraph's text, its ``w:bidi`` value and whether all its runs are RTL."""
    import xml.etree.ElementTree as ET

    root = ET.fromstring(_body(data))  # noqa: S314 - a file we just wrote
    found = []
    for paragraph in root.iter(f"{W}p"):
        text = "".join(t.text or "" for t in paragraph.iter(f"{W}t"))
        bidi = paragraph.find(f"{W}pPr/{W}bidi")
        runs = list(paragraph.iter(f"{W}r"))
        rtl = bool(runs) and all(run.find(f"{W}rPr/{W}rtl") is not None for run in runs)
        found.append((text, None if bidi is None else bidi.get(f"{W}val"), rtl))
    return found


def _sample(language: str, *, english_paragraph: bool = False) -> bytes:
    document = docx.new(language, "عنوان")
    document.add_heading("تقرير سنوي", level=1)
    document.add_paragraph("عدد الاجتماعات: 12")
    table = document.add_table(rows=1, cols=1)
    table.rows[0].cells[0].text = "المنطقة"
    if english_paragraph:
        docx.set_direction(document.add_paragraph("Proposal MOD 1 in English"), rtl=False)
    return docx.save(document, language)


def test_every_arabic_paragraph_and_table_cell_is_right_to_left() -> None:
    paragraphs = [p for p in _paragraphs(_sample("ar")) if p[0]]
    assert {text for text, _, _ in paragraphs} == {"تقرير سنوي", "عدد الاجتماعات: 12", "المنطقة"}
    assert all(bidi == "1" and rtl for _, bidi, rtl in paragraphs)


def test_a_paragraph_set_left_to_right_stays_so_in_an_arabic_document() -> None:
    paragraphs = {
        text: (bidi, rtl) for text, bidi, rtl in _paragraphs(_sample("ar", english_paragraph=True))
    }
    assert paragraphs["Proposal MOD 1 in English"] == ("0", False)
    assert paragraphs["عدد الاجتماعات: 12"] == ("1", True)


def test_a_left_to_right_language_gets_no_direction_marks() -> None:
    data = _sample("fr")
    assert "w:bidi" not in _body(data)
    assert "<w:rtl/>" not in _body(data)
