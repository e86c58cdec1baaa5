"""The structured import format ``plenary-pms/1`` (JSON), documented in docs/guide-pms.md.

Validation is strict (unknown keys, languages, kinds and duplicate ids are
refused) and errors name the bad path, e.g.
``instruments[0].editions[0].provisions[2].children[0].texts.xx``. Loading
is one transaction: a refused file stores nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Annotated, Any, Final, Literal

from django.db import transaction
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from plenary.core.errors import Refusal
from plenary.core.languages import UN_LANGUAGES
from plenary.proposals.consolidation import Node, store_nodes
from plenary.proposals.models import (
    AgendaItem,
    Committee,
    Conference,
    Deadline,
    Edition,
    Instrument,
    ProvisionKind,
)

FORMAT: Final = "plenary-pms/1"
Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\s/]+$")]
Texts = dict[str, Annotated[str, Field(max_length=20_000)]]


def _check_languages(texts: dict[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(texts) - set(UN_LANGUAGES))
    if unknown:
        raise ValueError(f"unknown language code(s): {', '.join(unknown)}")
    return texts


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ProvisionData(Strict):
    id: Code
    kind: Literal["article", "section", "provision", "footnote", "table"]
    number: str = Field(default="", max_length=64)
    headings: Texts = {}
    texts: Texts = {}
    children: list[ProvisionData] = []

    _languages = field_validator("headings", "texts")(_check_languages)


class EditionData(Strict):
    label: Annotated[str, Field(min_length=1, max_length=32)]
    date: dt.date
    languages: list[str]
    provisions: list[ProvisionData]

    @field_validator("languages")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        _check_languages(dict.fromkeys(value))
        return value


class InstrumentData(Strict):
    code: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
    kind: Literal["constitution", "convention", "regulations", "resolution"]
    titles: Texts
    editions: list[EditionData]

    _languages = field_validator("titles")(_check_languages)


class AgendaItemData(Strict):
    number: Annotated[str, Field(min_length=1, max_length=16)]
    titles: Texts
    children: list[AgendaItemData] = []

    _languages = field_validator("titles")(_check_languages)


class CommitteeData(Strict):
    code: Annotated[str, Field(min_length=1, max_length=16)]
    kind: Literal["plenary", "committee", "working_group"]
    names: Texts
    groups: list[CommitteeData] = []

    _languages = field_validator("names")(_check_languages)


class DeadlineData(Strict):
    kind: Literal["proposals", "basic_texts"]
    # Wall-clock time in the conference's time zone, without an offset.
    closes_at: dt.datetime


class ConferenceData(Strict):
    code: Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
    titles: Texts
    time_zone: str
    languages: list[str]
    editions: list[str] = Field(description="Base editions as INSTRUMENT@LABEL")
    agenda: list[AgendaItemData] = []
    committees: list[CommitteeData] = []
    deadlines: list[DeadlineData] = []

    _languages = field_validator("titles")(_check_languages)

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        if value not in zoneinfo.available_timezones():
            raise ValueError(f"unknown time zone {value!r}")
        return value


class ImportFile(Strict):
    format: Literal["plenary-pms/1"]
    instruments: list[InstrumentData] = []
    conferences: list[ConferenceData] = []


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(file)"


def parse(raw: str | bytes) -> ImportFile:
    """Parse and validate; raise :class:`Refusal` naming the first bad path."""
    try:
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise Refusal(_("The file is not valid JSON: %(error)s") % {"error": error}) from None
    try:
        data = ImportFile.model_validate(document)
    except ValidationError as error:
        first = error.errors()[0]
        raise Refusal(
            _("Invalid import at %(path)s: %(error)s")
            % {"path": _path(tuple(first["loc"])), "error": first["msg"]},
            code="invalid_import",
        ) from None
    _check_unique_ids(data)
    return data


def _check_unique_ids(data: ImportFile) -> None:
    """Provision ids are unique within an edition; the second use is reported."""

    def walk(items: list[ProvisionData], path: str, seen: set[str]) -> None:
        for k, provision in enumerate(items):
            where = f"{path}[{k}]"
            if provision.id in seen:
                raise Refusal(
                    _("Invalid import at %(path)s: the provision id “%(id)s” is used twice.")
                    % {"path": f"{where}.id", "id": provision.id},
                    code="invalid_import",
                )
            seen.add(provision.id)
            walk(provision.children, f"{where}.children", seen)

    for i, instrument in enumerate(data.instruments):
        for j, edition in enumerate(instrument.editions):
            walk(edition.provisions, f"instruments[{i}].editions[{j}].provisions", set())


def nodes_of(edition: EditionData) -> list[Node]:
    nodes: list[Node] = []

    def walk(items: list[ProvisionData], parent: str | None) -> None:
        for item in items:
            nodes.append(
                Node(item.id, item.kind, item.number, parent, dict(item.headings), dict(item.texts))
            )
            walk(item.children, item.id)

    walk(edition.provisions, None)
    return nodes


def edition_data(edition: Edition) -> EditionData:
    """The stored edition in the import structure (used by exports and round-trip tests)."""
    provisions = list(edition.provisions.order_by("position"))
    items: dict[int, ProvisionData] = {}
    roots: list[ProvisionData] = []
    for provision in provisions:
        item = ProvisionData(
            id=provision.pid,
            kind=ProvisionKind(provision.kind).value,  # type: ignore[arg-type]
            number=provision.number,
            headings=provision.headings,
            texts=provision.texts,
        )
        items[provision.pk] = item
        (items[provision.parent_id].children if provision.parent_id else roots).append(item)
    return EditionData(
        label=edition.label, date=edition.date, languages=edition.languages, provisions=roots
    )


def store_edition(instrument: Instrument, data: EditionData, path: str) -> Edition:
    if Edition.objects.filter(instrument=instrument, label=data.label).exists():
        raise Refusal(
            _("Invalid import at %(path)s: edition “%(label)s” of %(code)s already exists.")
            % {"path": f"{path}.label", "label": data.label, "code": instrument.code},
            code="invalid_import",
        )
    edition = Edition.objects.create(
        instrument=instrument, label=data.label, date=data.date, languages=data.languages
    )
    store_nodes(edition, nodes_of(data))
    return edition


@transaction.atomic
def load(data: ImportFile) -> dict[str, int]:
    """Store everything in ``data``; counts of what was created."""
    counts = {"instruments": 0, "editions": 0, "conferences": 0}
    for i, item in enumerate(data.instruments):
        instrument, created = Instrument.objects.get_or_create(
            code=item.code, defaults={"kind": item.kind, "titles": item.titles}
        )
        counts["instruments"] += created
        for j, edition in enumerate(item.editions):
            store_edition(instrument, edition, f"instruments[{i}].editions[{j}]")
            counts["editions"] += 1
    for i, conference in enumerate(data.conferences):
        _store_conference(conference, f"conferences[{i}]")
        counts["conferences"] += 1
    return counts


def _store_conference(data: ConferenceData, path: str) -> Conference:
    if Conference.objects.filter(code=data.code).exists():
        raise Refusal(
            _("Invalid import at %(path)s: conference “%(code)s” already exists.")
            % {"path": f"{path}.code", "code": data.code},
            code="invalid_import",
        )
    conference = Conference.objects.create(
        code=data.code, titles=data.titles, time_zone=data.time_zone, languages=data.languages
    )
    for k, reference in enumerate(data.editions):
        code, _sep, label = reference.partition("@")
        edition = Edition.objects.filter(instrument__code=code, label=label).first()
        if edition is None:
            raise Refusal(
                _("Invalid import at %(path)s: no edition “%(ref)s”.")
                % {"path": f"{path}.editions[{k}]", "ref": reference},
                code="invalid_import",
            )
        conference.editions.add(edition)
    position = 0
    seen: set[str] = set()

    def unique(key: str, where: str) -> None:
        if key in seen:
            raise Refusal(
                _("Invalid import at %(path)s: “%(key)s” is used twice.")
                % {"path": where, "key": key.partition(":")[2]},
                code="invalid_import",
            )
        seen.add(key)

    def agenda(items: list[AgendaItemData], parent: AgendaItem | None, where: str) -> None:
        nonlocal position
        for k, item in enumerate(items):
            unique(f"agenda:{item.number}", f"{where}[{k}].number")
            position += 1
            node = AgendaItem.objects.create(
                conference=conference,
                number=item.number,
                parent=parent,
                position=position,
                titles=item.titles,
            )
            agenda(item.children, node, f"{where}[{k}].children")

    def committees(items: list[CommitteeData], parent: Committee | None, where: str) -> None:
        for k, item in enumerate(items):
            unique(f"committee:{item.code}", f"{where}[{k}].code")
            node = Committee.objects.create(
                conference=conference,
                code=item.code,
                kind=item.kind,
                parent=parent,
                names=item.names,
            )
            committees(item.groups, node, f"{where}[{k}].groups")

    agenda(data.agenda, None, f"{path}.agenda")
    committees(data.committees, None, f"{path}.committees")
    for deadline in data.deadlines:
        closes = deadline.closes_at
        if closes.tzinfo is None:
            closes = closes.replace(tzinfo=conference.tzinfo)
        Deadline.objects.update_or_create(
            conference=conference, kind=deadline.kind, defaults={"closes_at": closes}
        )
    return conference


def import_file(raw: str | bytes) -> dict[str, int]:
    return load(parse(raw))
