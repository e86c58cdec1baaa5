import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from defusedxml import ElementTree
from django.core.management import CommandError, call_command

from plenary.accounts.models import User
from plenary.core.errors import Refusal
from plenary.proposals import akn, exports, importer, services
from plenary.proposals.demo import DEMO_FILE
from plenary.proposals.models import Conference, Edition, Instrument, Proposal
from plenary.proposals.tests.factories import draft_with_mod, rr

pytestmark = pytest.mark.django_db


def _demo() -> dict[str, Any]:
    return json.loads(DEMO_FILE.read_text())


def test_import_error_names_the_bad_path() -> None:
    data = _demo()
    data["instruments"][0]["editions"][0]["provisions"][0]["children"][1]["texts"]["xx"] = "?"
    with pytest.raises(Refusal) as refusal:
        importer.import_file(json.dumps(data))
    assert "instruments[0].editions[0].provisions[0].children[1].texts" in str(refusal.value)
    assert "xx" in str(refusal.value)
    assert not Instrument.objects.exists()


def test_import_refuses_duplicate_provision_ids() -> None:
    data = _demo()
    children = data["instruments"][0]["editions"][0]["provisions"][0]["children"]
    children.append(dict(children[1], children=[]))
    with pytest.raises(Refusal, match=r"provisions\[0\]\.children\[2\]\.id"):
        importer.import_file(json.dumps(data))


def test_import_refuses_unknown_keys_and_bad_json() -> None:
    with pytest.raises(Refusal, match="instrumentz"):
        importer.import_file(json.dumps({"format": "plenary-pms/1", "instrumentz": []}))
    with pytest.raises(Refusal, match="not valid JSON"):
        importer.import_file(b"{nope")


def test_failed_import_stores_nothing(conference: Conference) -> None:
    data = _demo()
    data["conferences"] = []
    data["instruments"][0]["editions"][0]["label"] = "2030"
    data["instruments"][1]["editions"][0]["label"] = "2022"  # exists already
    editions = Edition.objects.count()
    with pytest.raises(Refusal, match=r"instruments\[1\]\.editions\[0\]\.label"):
        importer.import_file(json.dumps(data))
    assert Edition.objects.count() == editions


def test_management_command_imports_and_reports_errors() -> None:
    out = io.StringIO()
    call_command("pms_import", str(DEMO_FILE), stdout=out)
    assert "3 edition(s)" in out.getvalue()
    with pytest.raises(CommandError, match="already exists"):
        call_command("pms_import", str(DEMO_FILE), stdout=out)


def test_akoma_ntoso_export_reimports_to_the_same_structure(conference: Conference) -> None:
    edition = rr(conference)
    xml = akn.export_edition(edition)
    parsed = akn.parse_edition(xml)
    assert parsed.code == "RR" and parsed.kind == "regulations"
    assert parsed.editions[0] == importer.edition_data(edition)
    # Stored again under another code, the tree is identical.
    xml_other = xml.replace(b'value="RR"', b'value="RR-copy"')
    importer.load(
        importer.ImportFile(format=importer.FORMAT, instruments=[akn.parse_edition(xml_other)])
    )
    copy = Edition.objects.get(instrument__code="RR-copy")
    assert importer.edition_data(copy) == importer.edition_data(edition)


def test_akoma_ntoso_import_refuses_malformed_xml() -> None:
    with pytest.raises(Refusal, match="Akoma Ntoso"):
        akn.parse_edition(b"<akomaNtoso><act></akomaNtoso>")
    with pytest.raises(Refusal, match="Akoma Ntoso"):
        akn.parse_edition(b'<!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')


def test_docx_export_uses_word_tracked_changes(conference: Conference, drafter: User) -> None:
    document, _ = draft_with_mod(drafter, conference)
    body = zipfile.ZipFile(io.BytesIO(exports.document_docx(document, "en"))).read(
        "word/document.xml"
    )
    assert b"<w:ins " in body and b"<w:del " in body
    assert b'<w:delText xml:space="preserve">23</w:delText>' in body
    assert b">27</w:t>" in body


def test_pdf_export_renders(conference: Conference, drafter: User) -> None:
    document, _ = draft_with_mod(drafter, conference)
    assert exports.document_pdf(document, "fr").startswith(b"%PDF")


def test_csv_export_lists_proposals(conference: Conference, drafter: User, staff: User) -> None:
    document, _ = draft_with_mod(drafter, conference)
    services.do_submit(drafter, document)
    proposals = Proposal.objects.filter(document=document)
    rows = list(csv.reader(io.StringIO(exports.proposals_csv(proposals, "en"))))
    assert rows[0][:5] == ["identifier", "document", "entity", "action", "provision"]
    assert rows[1][:5] == ["F/1/1", "Document 1", "F", "MOD", "5.338A"]


def test_csv_export_neutralises_formulas(conference: Conference, drafter: User) -> None:
    document, _ = draft_with_mod(drafter, conference, text="=HYPERLINK(1) applies.")
    rows = list(csv.reader(io.StringIO(exports.proposals_csv(document.proposals.all(), "en"))))
    assert rows[1][7] == "'=HYPERLINK(1) applies."


def test_proposal_document_exports_as_an_akoma_ntoso_amendment(
    conference: Conference, drafter: User
) -> None:
    document, _ = draft_with_mod(drafter, conference)
    services.do_add_proposal(
        drafter,
        document,
        services.ProposalInput(action="NOC", edition_id=rr(conference).pk, pid="5.1"),
    )
    root = ElementTree.fromstring(akn.export_document(document))
    ns = {"a": akn.NS}
    assert [n.text for n in root.findall(".//a:mod/a:num", ns)] == [
        f"F/D{document.pk}/1",
        f"F/D{document.pk}/2",
    ]
    (textual,) = root.findall(".//a:textualMod", ns)  # NOC changes nothing
    assert textual.get("type") == "substitution"
    destination = textual.find("a:destination", ns)
    assert destination is not None
    assert destination.get("href") == "/akn/int/act/RR/2024/~p_5.338A"


def test_management_command_imports_akoma_ntoso(conference: Conference, tmp_path: Path) -> None:
    xml = akn.export_edition(rr(conference)).replace(b'value="RR"', b'value="RR-AKN"')
    path = tmp_path / "rr.xml"
    path.write_bytes(xml)
    call_command("pms_import", str(path), stdout=io.StringIO())
    assert Edition.objects.get(instrument__code="RR-AKN").provisions.count() == 6
