# ruff: noqa: E402 - Django is set up before the models are imported.
"""PMS benchmark: 20,000 proposals across 3,000 documents.

Measures the compilation page for one agenda item, the by-provision page and
a DOCX export of 1,000 proposals. Each baseline is the same operation on an
empty conference (framework and template overhead), measured in this run.
Run with ``./scripts/bench pms`` (a fresh SQLite database in a temp folder).
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plenary.config.settings")

import django

django.setup()

from django.core.management import call_command
from django.test import Client
from django.test.utils import setup_test_environment
from django.utils import timezone

from plenary.accounts.models import Entity, User
from plenary.proposals import exports
from plenary.proposals.demo import load_demo
from plenary.proposals.models import (
    AgendaItem,
    Conference,
    Proposal,
    ProposalDocument,
    Provision,
    Sponsorship,
)
from plenary.proposals.services import search_text_for

DOCUMENTS = 3_000
PROPOSALS = 20_000
AGENDA_ITEMS = 30
PROVISIONS = 500
ENTITIES = 150
RUNS = 5


def emit(metric: str, value: float, unit: str, baseline: float | None) -> None:
    line = {"bench": "pms", "metric": metric, "value": round(value, 1), "unit": unit}
    line["baseline"] = None if baseline is None else round(baseline, 1)
    print(json.dumps(line), flush=True)


def timed(action: Callable[[], object], runs: int = RUNS) -> float:
    """Median wall time in milliseconds, after one warm-up run."""
    action()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def populate(conference: Conference) -> None:
    start = time.perf_counter()
    edition = conference.editions.get(instrument__code="RR")
    section = edition.provisions.get(pid="ART5-SIV")
    last = edition.provisions.order_by("-position").first()
    assert last is not None
    Provision.objects.bulk_create(
        Provision(
            edition=edition,
            pid=f"5.{400 + i}",
            kind="footnote",
            number=f"5.{400 + i}",
            parent=section,
            position=last.position + 1 + i,
            texts={
                "en": f"In the band {1000 + i}-{1010 + i} MHz, stations of the fixed service "
                "shall not claim protection from stations of the mobile service.",
                "fr": f"Dans la bande {1000 + i}-{1010 + i} MHz, les stations du service fixe "
                "ne doivent pas prétendre à une protection vis-à-vis du service mobile.",
            },
        )
        for i in range(PROVISIONS - 1)
    )
    # 5.338A and the new footnotes: 40 proposals on each provision.
    provisions = [
        edition.provisions.get(pid="5.338A"),
        *edition.provisions.filter(position__gt=last.position),
    ]
    items = list(conference.agenda_items.all())
    AgendaItem.objects.bulk_create(
        AgendaItem(
            conference=conference,
            number=f"1.{10 + i}",
            position=100 + i,
            titles={"en": f"Item 1.{10 + i}"},
        )
        for i in range(AGENDA_ITEMS - len(items))
    )
    items = list(conference.agenda_items.all())
    Entity.objects.bulk_create(
        Entity(name=f"Administration {i}", code=f"X{i}", category="member_state")
        for i in range(ENTITIES)
    )
    entities = list(Entity.objects.filter(code__startswith="X"))
    author = User.objects.create(username="bench")
    now = timezone.now()
    documents = ProposalDocument.objects.bulk_create(
        ProposalDocument(
            conference=conference,
            entity=entities[n % ENTITIES],
            title=f"Proposals {n + 1}",
            status="published",
            number=n + 1,
            created_by=author,
            submitted_at=now,
            published_at=now,
        )
        for n in range(DOCUMENTS)
    )
    documents = list(
        ProposalDocument.objects.filter(conference=conference).select_related("entity")
    )
    through = ProposalDocument.agenda_items.through
    through.objects.bulk_create(
        through(proposaldocument_id=d.pk, agendaitem_id=items[i % AGENDA_ITEMS].pk)
        for i, d in enumerate(documents)
    )
    Sponsorship.objects.bulk_create(
        Sponsorship(document=d, entity=d.entity, role="originator", state="signed", signed_at=now)
        for d in documents
    )
    proposals = []
    for n in range(PROPOSALS):
        document = documents[n % DOCUMENTS]
        provision = provisions[n % len(provisions)]
        base = provision.texts["en"]
        proposal = Proposal(
            document=document,
            seq=n // DOCUMENTS + 1,
            action="MOD",
            edition=edition,
            provision=provision,
            agenda_item=items[(n % DOCUMENTS) % AGENDA_ITEMS],
            texts={"en": base.replace("shall not", "may").replace("applies", f"applies ({n % 3})")},
            reasons={"en": "Alignment with the studies of ITU-R."},
            status="submitted",
        )
        proposal.search_text = search_text_for(proposal)
        proposals.append(proposal)
    Proposal.objects.bulk_create(proposals, batch_size=2_000)
    emit("populate", time.perf_counter() - start, "s", None)


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    conference = load_demo()
    client = Client()
    busiest = conference.agenda_items.get(number="1.2")

    def compilation() -> None:
        assert client.get(f"/pms/WRC-27/agenda/{busiest.pk}/").status_code == 200

    def by_provision() -> None:
        assert client.get("/pms/WRC-27/provisions/5.338A/").status_code == 200

    def docx_export() -> None:
        proposals = Proposal.objects.filter(document__conference=conference).select_related(
            "document__entity", "provision", "edition__instrument"
        )[:1_000]
        exports.proposals_docx("Compilation", proposals, "en")

    empty = {
        "compilation": timed(compilation),
        "provision": timed(by_provision),
        "docx": timed(docx_export, 1),
    }
    populate(conference)
    count = Proposal.objects.filter(agenda_item=busiest).count()
    emit("compilation_one_agenda_item_ms", timed(compilation), "ms", empty["compilation"])
    emit("proposals_on_that_agenda_item", count, "proposals", None)
    emit("by_provision_5.338A_ms", timed(by_provision), "ms", empty["provision"])
    emit(
        "proposals_on_5.338A",
        Proposal.objects.filter(provision__pid="5.338A").count(),
        "proposals",
        None,
    )
    emit("docx_export_1000_proposals_s", timed(docx_export, 2) / 1000, "s", empty["docx"] / 1000)


if __name__ == "__main__":
    main()
