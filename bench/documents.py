"""./scripts/bench documents: the register and search at scale, conversion, the screen, uploads.

Four parts, each with its baseline measured in the same run:

- ``register``: 50,000 documents (``--documents``) with extracted text in the six
  languages, in one meeting. The register's first page, the register filtered
  by an agenda item, and full-text searches (a Latin word, an Arabic word, a
  Chinese word, two words) through Django's test client, as an anonymous
  reader; p50/p95 of ``--requests`` each. Baseline: the same requests on a
  meeting with no documents.
- ``conversion``: a 50-page DOCX through the whole background processing
  (text extraction, LibreOffice to PDF, 50 page images and the thumbnail),
  median and max of three. Baseline: a one-page DOCX.
- ``screen``: 2,000 delegates' sockets (``--clients``) in a session whose chair
  turns the document on screen (``documents.page`` on the chair's socket)
  ``--rounds`` times; p50/p99 from the command to each client's
  ``document.page`` event. Clients run in ``--client-processes`` processes, as
  in ``./scripts/bench floor`` (whose harness this reuses). Baseline: one client.
- ``upload``: a 1 GB DOCX (``--upload-mb``; a real document with 1 GB of stored
  random media) posted to the submission form of a server in a child process;
  the server's peak resident memory during the upload. Baseline: the same for
  a 1 MB file. LibreOffice is replaced by ``/bin/false`` in that server: the
  conversion of such a file is not what this measures.

Options: ``--parts register,conversion,screen,upload``.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent))

import floor as harness

from plenary.accounts.models import Entity, User
from plenary.documents.models import Document, FileVersion, LanguageVersion, SearchText, Series
from plenary.documents.search import searchable
from plenary.documents.services import processing, secretariat, submission
from plenary.documents.tests import samples
from plenary.floor import services as floor
from plenary.meetings.models import AgendaItem, Meeting, Participation, Sector
from plenary.meetings.tests.factories import MeetingFactory

BENCH = "documents"
ROOT = Path(__file__).resolve().parent.parent
# Words of each language for the synthetic extracted texts (and the searched ones).
WORDS = {
    "en": [
        "network",
        "spectrum",
        "standard",
        "security",
        "quantum",
        "protocol",
        "interference",
        "satellite",
        "numbering",
        "tariff",
        "broadband",
        "emergency",
        "accessibility",
    ],
    "fr": [
        "réseau",
        "spectre",
        "norme",
        "sécurité",
        "quantique",
        "protocole",
        "brouillage",
        "satellite",
        "numérotation",
        "tarif",
        "haut",
        "débit",
        "urgence",
        "accessibilité",
    ],
    "es": [
        "red",
        "espectro",
        "norma",
        "seguridad",
        "cuántica",
        "protocolo",
        "interferencia",
        "satélite",
        "numeración",
        "tarifa",
        "banda",
        "ancha",
        "emergencia",
        "accesibilidad",
    ],
    "ru": [
        "сеть",
        "спектр",
        "стандарт",
        "безопасность",
        "квантовый",
        "протокол",
        "помехи",
        "спутник",
        "нумерация",
        "тариф",
        "широкополосный",
        "авария",
        "доступность",
    ],
    "ar": [
        "الشبكة",
        "الطيف",
        "المعيار",
        "الأمن",
        "الكمومي",
        "البروتوكول",
        "التداخل",
        "الساتل",
        "الترقيم",
        "التعريفة",
        "النطاق",
        "العريض",
        "الطوارئ",
        "النفاذ",
    ],
    "zh-hans": [
        "网络",
        "频谱",
        "标准",
        "安全",
        "量子",
        "协议",
        "干扰",
        "卫星",
        "编号",
        "资费",
        "宽带",
        "应急",
        "无障碍",
    ],
}
WARM_UP = 5
SEARCHES = ["spectrum", "الطيف", "频谱", "quantum protocol", "numérotation"]


def emit(metric: str, value: float, unit: str, baseline: float | None = None) -> None:
    harness.figure(BENCH, metric, value, unit, baseline)


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[18] if len(samples) > 1 else samples[0]


# --- register and search --------------------------------------------------------------


def synthetic_text(rng: random.Random, language: str, words: int = 250) -> str:
    vocabulary = WORDS[language] + WORDS["en"][:3]
    return " ".join(rng.choice(vocabulary) for _ in range(words))


def populate(meeting: Meeting, count: int) -> AgendaItem:
    """``count`` published public documents with text, in batches (the FTS triggers run)."""
    rng = random.Random(17)
    series = Series.objects.create(meeting=meeting, code="C", prefix="SG17-C-")
    items = [
        AgendaItem.objects.create(meeting=meeting, number=str(n), titles={"en": f"Item {n}"})
        for n in range(1, 21)
    ]
    entities = [
        Entity.objects.get_or_create(
            code=f"BE{n}", defaults={"name": f"Bench entity {n}", "category": "member_state"}
        )[0]
        for n in range(50)
    ]
    languages = list(WORDS)
    through = Document.agenda_items.through
    for start in range(0, count, 1000):
        batch, texts = [], {}
        for number in range(start + 1, min(start + 1000, count) + 1):
            language = languages[number % len(languages)]
            texts[number] = synthetic_text(rng, language)
            title = " ".join(rng.choice(WORDS[language]) for _ in range(6))
            batch.append(
                Document(
                    series=series,
                    number=number,
                    reference=series.format_number(number),
                    titles={language: title},
                    original_language=language,
                    source="member_state",
                    entity=entities[number % len(entities)],
                    access="public",
                    state="published",
                    published_at=meeting.created_at,
                )
            )
        created = Document.objects.bulk_create(batch)
        SearchText.objects.bulk_create(
            SearchText(
                document=d, text=searchable(f"{d.titles[d.original_language]}\n{texts[d.number]}")
            )
            for d in created
        )
        LanguageVersion.objects.bulk_create(
            LanguageVersion(document=d, language=d.original_language, translation="original")
            for d in created
        )
        through.objects.bulk_create(
            through(document_id=d.pk, agendaitem_id=items[d.number % len(items)].pk)
            for d in created
        )
    return items[3]


def register_figures(
    port: int, meeting: Meeting, item: AgendaItem | None, requests: int
) -> dict[str, float]:
    """Latencies of the register's pages from a server in a child process, over HTTP (one
    keep-alive connection, as one reader's browser): p50 and p95 after five warm-up requests
    (a server that has served a few pages; the first request of a fresh process compiles
    templates and fills SQLite's cache)."""
    base = f"/meetings/{meeting.code}/documents/"
    cases: dict[str, list[str]] = {
        "register_first_page": [base],
        "register_by_agenda_item": [f"{base}?agenda={item.pk}" if item else base],
        "search": [f"{base}?q={quote(q)}" for q in SEARCHES],
        "search_second_page": [f"{base}?q=spectrum&page=2"],
    }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    figures = {}
    for name, urls in cases.items():
        samples_ms: list[float] = []
        for attempt in range(requests + WARM_UP):
            url = urls[attempt % len(urls)]
            start = time.perf_counter()
            connection.request("GET", url)
            reply = connection.getresponse()
            reply.read()
            elapsed = (time.perf_counter() - start) * 1000
            if reply.status != 200:
                raise RuntimeError(f"{url}: HTTP {reply.status}")
            if attempt >= WARM_UP:
                samples_ms.append(elapsed)
        figures[f"{name}_p50"] = statistics.median(samples_ms)
        figures[f"{name}_p95"] = p95(samples_ms)
    connection.close()
    return figures


async def run_register(count: int, requests: int) -> None:
    sector = await asyncio.to_thread(Sector.objects.get, code=Sector.Code.STANDARDIZATION)
    empty = await asyncio.to_thread(MeetingFactory.create, sector=sector)
    full = await asyncio.to_thread(MeetingFactory.create, sector=sector)
    started = time.perf_counter()
    item = await asyncio.to_thread(populate, full, count)
    print(
        f"# {count} documents stored and indexed in {time.perf_counter() - started:.0f} s",
        file=sys.stderr,
    )
    port = harness.free_port()
    server = await harness.start_server(port, ["--log-level", "warning"])
    try:
        baseline = await asyncio.to_thread(register_figures, port, empty, None, requests)
        figures = await asyncio.to_thread(register_figures, port, full, item, requests)
    finally:
        server.terminate()
        server.wait(timeout=30)
    for name, value in figures.items():
        emit(f"{name}_{count}_documents", value, "ms", baseline[name])


# --- conversion -------------------------------------------------------------------------


def conversion_seconds(pages: int, runs: int) -> list[float]:
    sector = Sector.objects.get(code=Sector.Code.STANDARDIZATION)
    meeting = MeetingFactory.create(sector=sector)
    series = Series.objects.create(meeting=meeting, code=f"P{pages}", prefix=f"P{pages}-")
    staff = User.objects.create(username=f"bench-staff-{pages}", staff_role="secretariat")
    paragraph = " ".join(WORDS["en"] * 12)
    content = samples.docx_bytes(paragraph, pages=pages)  # a paragraph fills most of a page
    seconds = []
    for _ in range(runs):
        document = submission.submit(
            staff,
            series,
            submission.Submission(title=f"{pages} pages", language="en"),
            samples.upload("bench.docx", content),
        )
        file = FileVersion.objects.get(language_version__document=document)
        start = time.perf_counter()
        processing.process_file.call(file.pk)
        seconds.append(time.perf_counter() - start)
        file.refresh_from_db()
        if file.processing != "done" or file.page_count != pages:
            raise RuntimeError(f"conversion: {file.processing} {file.page_count} {file.error}")
    return seconds


def run_conversion() -> None:
    one = conversion_seconds(1, 3)
    fifty = conversion_seconds(50, 3)
    emit("conversion_50_pages_median", statistics.median(fifty), "s", statistics.median(one))
    emit("conversion_50_pages_max", max(fifty), "s", max(one))


# --- the screen: a page change to every socket --------------------------------------------


async def page_rounds(
    chair: harness.Tab, pipes: list[Any], session_id: int, rounds: int
) -> list[float]:
    latencies: list[float] = []
    for round_ in range(rounds):
        version, _state = await asyncio.to_thread(floor.current_state, session_id)
        started = time.perf_counter()  # CLOCK_MONOTONIC: the same in every process
        chair.send({"v": 1, "type": "documents.page", "page": 2 + round_ % 2})
        times = [
            t
            for share in await harness.ask(pipes, "collect", [version + 1] * len(pipes))
            for t in share
        ]
        times = times or await harness.arrivals([chair], version + 1)
        latencies.extend((t - started) * 1000 for t in times)
    return latencies


def screen_document(session: Any, chair: User) -> Document:
    """A published four-page document, converted, in the session's meeting."""
    series = Series.objects.create(meeting=session.meeting, code="TD", prefix="TD-")
    staff = User.objects.create(username="bench-secretariat", staff_role="secretariat")
    document = submission.submit(
        staff,
        series,
        submission.Submission(title="Draft Recommendation", language="en"),
        samples.upload("td.docx", samples.docx_bytes("Clause", pages=4)),
    )
    processing.process_file.call(FileVersion.objects.get(language_version__document=document).pk)
    return secretariat.publish(staff, document)


async def run_screen(clients: int, rounds: int, pipes: list[Any]) -> None:
    session, chair_user, people = await asyncio.to_thread(harness.build, clients)
    document = await asyncio.to_thread(screen_document, session, chair_user)
    cookies = await asyncio.to_thread(
        lambda: [harness.cookie_for(u) for u in [chair_user, *people]]
    )
    port = harness.free_port()
    server = await harness.start_server(port, ["--log-level", "warning"])
    try:
        chair = await harness.open_tab(port, session.pk, cookies[0])
        chair.send({"v": 1, "type": "documents.show", "document_id": document.pk, "page": 1})
        await harness.arrivals([chair], 1)
        single = await page_rounds(chair, [], session.pk, rounds)
        shares = [(port, session.pk, cookies[1 + i :: len(pipes)]) for i in range(len(pipes))]
        await harness.ask(pipes, "open", shares)
        await asyncio.sleep(1)
        latencies = await page_rounds(chair, pipes, session.pk, rounds)
        baseline_p99 = statistics.quantiles(single, n=100)[98] if len(single) > 1 else single[0]
        emit(
            f"page_change_p50_{clients}_clients",
            statistics.median(latencies),
            "ms",
            statistics.median(single),
        )
        emit(
            f"page_change_p99_{clients}_clients",
            statistics.quantiles(latencies, n=100)[98],
            "ms",
            baseline_p99,
        )
        await harness.ask(pipes, "close", [None] * len(pipes))
        chair.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- uploads: the server's memory ----------------------------------------------------------


class Peak(threading.Thread):
    """Samples a process's resident memory every 20 ms; ``peak`` in KiB."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, harness.rss_kib(self.pid))
            time.sleep(0.02)


def uploading_delegate() -> tuple[Meeting, Series, User]:
    sector = Sector.objects.get(code=Sector.Code.STANDARDIZATION)
    meeting = MeetingFactory.create(sector=sector)
    series = Series.objects.create(meeting=meeting, code="C", prefix="C-")
    entity = Entity.objects.create(name="Uploading", code="UPLOAD", category="member_state")
    user = User.objects.create(username="bench-uploader", entity=entity)
    Participation.objects.create(meeting=meeting, user=user, role="delegate", entity=entity)
    return meeting, series, user


async def run_upload(megabytes: int) -> None:
    meeting, series, user = await asyncio.to_thread(uploading_delegate)
    cookie = await asyncio.to_thread(harness.cookie_for, user)
    folder = Path(tempfile.mkdtemp(prefix="plenary-bench-upload-"))
    small, large = folder / "small.docx", folder / "large.docx"
    await asyncio.to_thread(samples.large_docx, small, 1)
    await asyncio.to_thread(samples.large_docx, large, megabytes)
    os.environ["PLENARY_DOCUMENT_MAX_BYTES"] = str((megabytes + 100) * 1024 * 1024)
    os.environ["PLENARY_SOFFICE"] = "/bin/false"
    port = harness.free_port()
    server = await harness.start_server(port, ["--log-level", "warning"])
    try:
        figures = {}
        for name, path in (("small", small), ("large", large)):
            await asyncio.sleep(1)
            peak = Peak(server.pid)
            before = harness.rss_kib(server.pid)
            peak.start()
            started = time.perf_counter()
            status = await asyncio.to_thread(
                samples.post_submission, port, cookie, meeting.code, series.pk, path
            )
            seconds = time.perf_counter() - started
            peak.running = False
            peak.join()
            if status != 302:
                raise RuntimeError(f"upload of {path.name}: HTTP {status}")
            figures[name] = ((peak.peak - before) / 1024, seconds, before / 1024)
        emit(
            f"server_memory_growth_uploading_{megabytes}_mb",
            figures["large"][0],
            "MiB",
            figures["small"][0],
        )
        emit(f"upload_{megabytes}_mb_seconds", figures["large"][1], "s", figures["small"][1])
        emit("server_memory_before_upload", figures["large"][2], "MiB", figures["small"][2])
    finally:
        server.terminate()
        server.wait(timeout=30)
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parts", default="register,conversion,screen,upload")
    parser.add_argument("--documents", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--client-processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--upload-mb", type=int, default=1024)
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    harness.raise_open_files()
    print(f"# load average {os.getloadavg()}", file=sys.stderr)
    pipes, processes = harness.start_clients(args.client_processes if "screen" in parts else 0)
    harness.call_command("migrate", verbosity=0)
    try:
        if "register" in parts:
            asyncio.run(run_register(args.documents, args.requests))
        if "conversion" in parts:
            run_conversion()
        if "screen" in parts:
            asyncio.run(run_screen(args.clients, args.rounds, pipes))
        if "upload" in parts:
            asyncio.run(run_upload(args.upload_mb))
    finally:
        for process in processes:
            process.terminate()
    print(f"# load average {os.getloadavg()}", file=sys.stderr)


if __name__ == "__main__":
    main()
