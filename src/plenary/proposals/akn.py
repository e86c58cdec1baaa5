"""Akoma Ntoso 3.0 XML for base-text editions: export, and import back (defusedxml).

One file holds one edition in all its languages: multilingual headings and
texts are sibling ``<span xml:lang>`` / ``<p xml:lang>`` elements. Provision
kinds map to ``article``, ``section``, ``paragraph`` and, for footnotes and
tables, ``hcontainer name="footnote|table"``. ``eId`` carries the stable id.
"""

from __future__ import annotations

import datetime as dt
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeET
from django.utils.translation import gettext as _

from plenary.core.errors import Refusal
from plenary.proposals.importer import EditionData, InstrumentData, ProvisionData, edition_data
from plenary.proposals.models import Action, Edition, ProposalDocument

NS = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
TAGS = {"article": "article", "section": "section", "provision": "paragraph"}
KINDS = {"article": "article", "section": "section", "paragraph": "provision"}
EID_PREFIX = "p_"


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def export_edition(edition: Edition) -> bytes:
    instrument = edition.instrument
    data = edition_data(edition)
    root = Element(_q("akomaNtoso"))
    act = SubElement(root, _q("act"), name=instrument.kind)
    identification = SubElement(
        SubElement(act, _q("meta")), _q("identification"), source="#plenary"
    )
    work = SubElement(identification, _q("FRBRWork"))
    SubElement(work, _q("FRBRthis"), value=f"/akn/int/act/{instrument.code}/main")
    SubElement(work, _q("FRBRuri"), value=f"/akn/int/act/{instrument.code}")
    SubElement(work, _q("FRBRalias"), value=instrument.code, name="code")
    for code, title in instrument.titles.items():
        SubElement(work, _q("FRBRname"), {"value": title, XML_LANG: code})
    expression = SubElement(identification, _q("FRBRExpression"))
    SubElement(expression, _q("FRBRthis"), value=f"/akn/int/act/{instrument.code}/{data.label}")
    SubElement(expression, _q("FRBRdate"), date=data.date.isoformat(), name=data.label)
    for code in data.languages:
        SubElement(expression, _q("FRBRlanguage"), language=code)
    body = SubElement(act, _q("body"))
    for provision in data.provisions:
        _export_provision(body, provision)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode()


# How each proposal action reads as an Akoma Ntoso textual modification.
MOD_TYPES = {
    Action.ADD: "insertion",
    Action.MOD: "substitution",
    Action.EDITORIAL: "substitution",
    Action.SUP: "repeal",
}


def export_document(document: ProposalDocument) -> bytes:
    """A proposal document as an Akoma Ntoso ``amendment``: one ``mod`` per proposal,
    described by ``activeModifications`` (NOC proposals carry no modification)."""
    reference = f"{document.conference.code}/{document.number or 'draft-' + str(document.pk)}"
    root = Element(_q("akomaNtoso"))
    amendment = SubElement(root, _q("amendment"), name="proposal")
    meta = SubElement(amendment, _q("meta"))
    identification = SubElement(meta, _q("identification"), source="#plenary")
    work = SubElement(identification, _q("FRBRWork"))
    SubElement(work, _q("FRBRthis"), value=f"/akn/int/amendment/{reference}/main")
    SubElement(work, _q("FRBRalias"), value=document.reference, name="reference")
    SubElement(work, _q("FRBRauthor"), href=f"#{document.entity.code}")
    expression = SubElement(identification, _q("FRBRExpression"))
    SubElement(expression, _q("FRBRlanguage"), language=document.original_language)
    modifications = SubElement(
        SubElement(meta, _q("analysis"), source="#plenary"), _q("activeModifications")
    )
    body = SubElement(amendment, _q("amendmentBody"))
    proposals = document.proposals.select_related(
        "provision", "edition__instrument", "document__entity"
    )
    for proposal in proposals:
        eid = f"prop_{proposal.seq}"
        mod = SubElement(body, _q("mod"), eId=eid)
        SubElement(mod, _q("num")).text = proposal.identifier
        SubElement(mod, _q("span"), {"class": "action"}).text = proposal.action
        for code, text in proposal.texts.items():
            SubElement(mod, _q("quotedText"), {XML_LANG: code, "eId": f"{eid}_{code}"}).text = text
        for code, text in proposal.reasons.items():
            SubElement(mod, _q("p"), {XML_LANG: code, "class": "reasons"}).text = text
        kind = MOD_TYPES.get(Action(proposal.action))
        if kind is None:
            continue
        edition = proposal.edition
        textual = SubElement(modifications, _q("textualMod"), type=kind, eId=f"{eid}_mod")
        SubElement(textual, _q("source"), href=f"#{eid}")
        act = f"/akn/int/act/{edition.instrument.code}/{edition.label}"
        SubElement(textual, _q("destination"), href=f"{act}/~{EID_PREFIX}{proposal.target_pid}")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(root, encoding="unicode").encode()


def _export_provision(parent: Element, provision: ProvisionData) -> None:
    tag = TAGS.get(provision.kind)
    attributes = {"eId": EID_PREFIX + provision.id}
    if tag is None:
        tag, attributes["name"] = "hcontainer", provision.kind
    node = SubElement(parent, _q(tag), attributes)
    if provision.number:
        SubElement(node, _q("num")).text = provision.number
    if provision.headings:
        heading = SubElement(node, _q("heading"))
        for code, text in provision.headings.items():
            SubElement(heading, _q("span"), {XML_LANG: code}).text = text
    if provision.texts:
        content = SubElement(node, _q("content"))
        for code, text in provision.texts.items():
            SubElement(content, _q("p"), {XML_LANG: code}).text = text
    for child in provision.children:
        _export_provision(node, child)


def _invalid(message: str) -> Refusal:
    return Refusal(
        _("Invalid Akoma Ntoso file: %(error)s") % {"error": message}, code="invalid_import"
    )


def parse_edition(raw: bytes) -> InstrumentData:
    """Parse an exported edition back into the import structure (one instrument, one edition)."""
    try:
        root = SafeET.fromstring(raw)
    except (SafeET.ParseError, ValueError) as error:
        raise _invalid(str(error)) from None
    act = root.find(_q("act"))
    work = root.find(f".//{_q('FRBRWork')}")
    expression = root.find(f".//{_q('FRBRExpression')}")
    body = act.find(_q("body")) if act is not None else None
    if act is None or work is None or expression is None or body is None:
        raise _invalid("akomaNtoso/act with meta/identification and body expected")
    alias, date = work.find(_q("FRBRalias")), expression.find(_q("FRBRdate"))
    if alias is None or date is None:
        raise _invalid("FRBRalias and FRBRdate expected")
    try:
        edition = EditionData(
            label=date.get("name", ""),
            date=dt.date.fromisoformat(date.get("date", "")),
            languages=[e.get("language", "") for e in expression.findall(_q("FRBRlanguage"))],
            provisions=[_parse_provision(child) for child in body],
        )
        return InstrumentData(
            code=alias.get("value", ""),
            kind=act.get("name", ""),
            titles={e.get(XML_LANG, ""): e.get("value", "") for e in work.findall(_q("FRBRname"))},
            editions=[edition],
        )
    except ValueError as error:
        raise _invalid(str(error).splitlines()[0]) from None


def _parse_provision(node: Element) -> ProvisionData:
    tag = node.tag.removeprefix(f"{{{NS}}}")
    kind = node.get("name", "") if tag == "hcontainer" else KINDS.get(tag, "")
    eid = node.get("eId", "")
    if not kind or not eid.startswith(EID_PREFIX):
        raise ValueError(f"unexpected element <{tag} eId={eid!r}>")
    number = node.find(_q("num"))
    heading = node.find(_q("heading"))
    content = node.find(_q("content"))
    structural = {_q("num"), _q("heading"), _q("content")}
    return ProvisionData(
        id=eid.removeprefix(EID_PREFIX),
        kind=kind,  # type: ignore[arg-type]
        number=(number.text or "") if number is not None else "",
        headings={s.get(XML_LANG, ""): s.text or "" for s in heading}
        if heading is not None
        else {},
        texts={p.get(XML_LANG, ""): p.text or "" for p in content} if content is not None else {},
        children=[_parse_provision(child) for child in node if child.tag not in structural],
    )
