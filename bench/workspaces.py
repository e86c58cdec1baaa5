"""./scripts/bench workspaces: a big workspace's pages and search, live fan-out, digests.

Four parts, each with its baseline measured in the same run:

- ``pages``: a workspace with 1,000,000 messages (``--messages``) in 20,000 topics
  (``--topics``) of 20 channels, in the six languages, written in batches (the
  FTS triggers run as for any message). A topic page (its latest 100 messages,
  reactions, the reader's marker) for random topics through Django's test
  client, as a member; p50/p95 of ``--requests``. Baseline: the topic of a
  workspace with one message.
- ``search``: searches of that workspace (a Latin word, an Arabic word, a
  Chinese word, two words, a word and an author) through the search page;
  p50/p95. Baseline: the same searches in the one-message workspace.
- ``fanout``: 2,000 members' sockets (``--clients``) on the workspace socket of a
  server in a child process (clients in ``--client-processes`` processes, the
  harness of ``./scripts/bench floor``); a member posts through the page's form
  (HTTP, as the page's script does) ``--rounds`` times; p50/p99 from the POST to
  each socket's ``workspace.message``. Baseline: one socket.
- ``digest``: 10,000 members (``--members``) each with notices of a followed
  topic; the time ``send_digests`` takes to compose and send all digests (to
  Django's in-memory mail backend: the SMTP server is not what this measures).
  Baseline: the digest of one member.

Options: ``--parts pages,search,fanout,digest``.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

import floor as harness
from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.test import Client
from django.utils import timezone
from documents import WORDS, p95

from plenary.accounts.models import Entity, User
from plenary.workspaces import markup
from plenary.workspaces.models import Channel, Membership, Message, Notification, Topic, Workspace
from plenary.workspaces.search import INDEX
from plenary.workspaces.services import digests, setup
from plenary.workspaces.services import messages as posting
from plenary.workspaces.services.access import place_of

BENCH = "workspaces"
LANGUAGES = list(WORDS)
SEARCHES = [{"q": "spectrum"}, {"q": "الطيف"}, {"q": "频谱"}, {"q": "quantum protocol"}]
WARM_UP = 5
BATCH = 5000


def emit(metric: str, value: float, unit: str, baseline: float | None = None) -> None:
    harness.figure(BENCH, metric, value, unit, baseline)


def workspace(slug: str, owner: User) -> Workspace:
    return setup.do_create_workspace(
        owner, slug=slug, names={"en": slug}, kind=Workspace.Kind.STUDY_GROUP
    )


def populate(ws: Workspace, topics: int, messages: int, authors: list[User]) -> list[int]:
    """``topics`` topics in 20 channels with ``messages`` messages in all, in batches."""
    rng = random.Random(16)
    channels = [ws.channels.get()] + [
        Channel.objects.create(workspace=ws, slug=f"c{n}", name=f"Channel {n}", position=n)
        for n in range(1, 20)
    ]
    now = timezone.now()
    created = Topic.objects.bulk_create(
        Topic(
            channel=channels[n % 20],
            title=f"Topic {n}",
            key=f"topic {n}",
            created_by=authors[0],
            last_message_at=now,
        )
        for n in range(topics)
    )
    ids = [t.pk for t in created]
    per_topic = messages // topics
    written = 0
    while written < messages:
        rows = []
        for _ in range(min(BATCH, messages - written)):
            language = rng.choice(LANGUAGES)
            text = " ".join(rng.choice(WORDS[language] + WORDS["en"][:3]) for _ in range(30))
            author = rng.choice(authors)
            rows.append(
                Message(
                    topic_id=ids[(written // per_topic) % topics],
                    author=author,
                    author_entity_id=author.entity_id,
                    text=text,
                    html=markup.render(text).html,
                    search=INDEX.stored(ws.pk, text),
                    language=language,
                )
            )
            written += 1
        with transaction.atomic():
            Message.objects.bulk_create(rows)
        print(f"# {written} messages", file=sys.stderr, flush=True)
    for topic in created:  # the counters the services keep
        topic.message_count = per_topic
    last = dict(Message.objects.values_list("topic_id").annotate(last=Max("id")))
    for topic in created:
        topic.last_message_id = last.get(topic.pk, 0)
    Topic.objects.bulk_update(created, ["message_count", "last_message_id"], batch_size=2000)
    return ids


def timed_gets(client: Client, urls: list[str]) -> list[float]:
    for url in urls[:WARM_UP]:
        client.get(url)
    times = []
    for url in urls:
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
    return times


def topic_urls(ws: Workspace, topic_ids: list[int], count: int) -> list[str]:
    rng = random.Random(3)
    chosen = Topic.objects.filter(pk__in=rng.sample(topic_ids, min(count, len(topic_ids))))
    return [
        f"/workspaces/{ws.slug}/c/{t.channel.slug}/{t.pk}/"
        for t in chosen.select_related("channel")
    ]


def search_urls(ws: Workspace, author: User, count: int) -> list[str]:
    queries = [*SEARCHES, {"q": "network", "author": author.username}]
    return [
        f"/workspaces/{ws.slug}/search/?{urlencode(queries[n % len(queries)])}"
        for n in range(count)
    ]


def run_pages_and_search(args: argparse.Namespace, parts: set[str]) -> None:
    owner = User.objects.create(username="bench-owner", staff_role="secretariat")
    entity = Entity.objects.create(code="BENCH", name="Bench", category="member_state")
    authors = [User.objects.create(username=f"author{n}", entity=entity) for n in range(50)]
    reader = authors[0]
    empty = workspace("empty", owner)
    empty.entities.add(entity)
    first = posting.do_start_topic(
        reader, place_of(reader, empty), empty.channels.get().pk, "One", "network"
    )
    big = workspace("big", owner)
    big.entities.add(entity)
    started = time.perf_counter()
    topic_ids = populate(big, args.topics, args.messages, authors)
    print(f"# populated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    client = Client(SERVER_NAME="localhost")
    client.force_login(reader)
    if "pages" in parts:
        base = timed_gets(
            client, [f"/workspaces/empty/c/general/{first.topic_id}/"] * args.requests
        )
        big_times = timed_gets(client, topic_urls(big, topic_ids, args.requests))
        emit(
            f"topic_page_p50_{args.messages}_messages",
            statistics.median(big_times),
            "ms",
            statistics.median(base),
        )
        emit(f"topic_page_p95_{args.messages}_messages", p95(big_times), "ms", p95(base))
    if "search" in parts:
        base = timed_gets(client, search_urls(empty, reader, args.requests))
        big_times = timed_gets(client, search_urls(big, reader, args.requests))
        emit(
            f"search_p50_{args.messages}_messages",
            statistics.median(big_times),
            "ms",
            statistics.median(base),
        )
        emit(f"search_p95_{args.messages}_messages", p95(big_times), "ms", p95(base))


# --- fan-out to the members' sockets -----------------------------------------------------


def fanout_workspace(clients: int) -> tuple[Workspace, Topic, User, list[User]]:
    owner = User.objects.create(username="fan-owner", staff_role="secretariat")
    ws = workspace("fanout", owner)
    people = User.objects.bulk_create(User(username=f"member{n}") for n in range(clients))
    Membership.objects.bulk_create(Membership(workspace=ws, user=p) for p in people)
    poster = people[0]
    first = posting.do_start_topic(
        poster, place_of(poster, ws), ws.channels.get().pk, "Live", "Hello"
    )
    return ws, first.topic, poster, people


def csrf_session(port: int, cookie: str, path: str) -> tuple[str, str]:
    """The poster's cookies and CSRF token, as the page gives them."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Cookie": cookie})
    response = conn.getresponse()
    response.read()
    token = ""
    for header, value in response.getheaders():
        if header.lower() == "set-cookie" and value.startswith(settings.CSRF_COOKIE_NAME + "="):
            token = value.split(";", 1)[0].split("=", 1)[1]
    conn.close()
    return f"{cookie}; {settings.CSRF_COOKIE_NAME}={token}", token


def post_message(port: int, path: str, cookie: str, token: str, text: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = urlencode({"text": text})
    conn.request(
        "POST",
        path,
        body=body,
        headers={
            "Cookie": cookie,
            "X-CSRFToken": token,
            "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"http://127.0.0.1:{port}",
            "Referer": f"http://127.0.0.1:{port}{path}",
        },
    )
    response = conn.getresponse()
    data = response.read()
    conn.close()
    if response.status != 200:
        raise RuntimeError(f"posting failed: {response.status} {data[:200]!r}")
    return int(json.loads(data)["id"])


async def post_rounds(
    port: int, topic: Topic, login: tuple[str, str], tab: Any, pipes: list[Any], *, rounds: int
) -> list[float]:
    cookie, token = login
    path = f"/workspaces/fanout/c/general/{topic.pk}/post/"
    latencies: list[float] = []
    for round_ in range(rounds):
        started = time.perf_counter()
        message_id = await asyncio.to_thread(
            post_message, port, path, cookie, token, f"Round {round_}"
        )
        times = [
            t
            for share in await harness.ask(pipes, "collect", [message_id] * len(pipes))
            for t in share
        ]
        times = times or await harness.arrivals([tab], message_id)
        latencies.extend((t - started) * 1000 for t in times)
    return latencies


async def run_fanout(clients: int, rounds: int, pipes: list[Any]) -> None:
    ws, topic, _poster, people = await asyncio.to_thread(fanout_workspace, clients)
    cookies = await asyncio.to_thread(lambda: [harness.cookie_for(u) for u in people])
    port = harness.free_port()
    server = await harness.start_server(port, ["--log-level", "warning"])
    socket_path = f"/ws/workspaces/{ws.pk}/"
    try:
        login = await asyncio.to_thread(
            csrf_session, port, cookies[0], f"/workspaces/fanout/c/general/{topic.pk}/"
        )
        tab = await harness.open_tab(port, socket_path, cookies[0])
        single = await post_rounds(port, topic, login, tab, [], rounds=rounds)
        shares = [(port, socket_path, cookies[1 + i :: len(pipes)]) for i in range(len(pipes))]
        await harness.ask(pipes, "open", shares)
        await asyncio.sleep(1)
        latencies = await post_rounds(port, topic, login, tab, pipes, rounds=rounds)
        base_p99 = statistics.quantiles(single, n=100)[98] if len(single) > 1 else single[0]
        emit(
            f"new_message_p50_{clients}_members",
            statistics.median(latencies),
            "ms",
            statistics.median(single),
        )
        emit(
            f"new_message_p99_{clients}_members",
            statistics.quantiles(latencies, n=100)[98],
            "ms",
            base_p99,
        )
        await harness.ask(pipes, "close", [None] * len(pipes))
        tab.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


# --- digests ---------------------------------------------------------------------------------


def digest_seconds(members: int, slug: str) -> float:
    """Seconds to send the digests of ``members`` people with two notices each."""
    owner = User.objects.create(username=f"{slug}-owner", staff_role="secretariat")
    ws = workspace(slug, owner)
    people = User.objects.bulk_create(
        User(
            username=f"{slug}{n}",
            email=f"{slug}{n}@example.org",
            preferred_language=LANGUAGES[n % 6],
        )
        for n in range(members)
    )
    Membership.objects.bulk_create(Membership(workspace=ws, user=p) for p in people)
    first = posting.do_start_topic(owner, place_of(owner, ws), ws.channels.get().pk, "Plan", "One")
    second = posting.do_post(owner, place_of(owner, ws), first.topic_id, "Two")
    Notification.objects.bulk_create(
        Notification(user=p, message=m, reason="followed") for p in people for m in (first, second)
    )
    started = time.perf_counter()
    sent = digests.send_digests()
    seconds = time.perf_counter() - started
    if sent != members:
        raise RuntimeError(f"{sent} digests sent for {members} members")
    return seconds


def run_digest(members: int) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    one = digest_seconds(1, "solo")
    many = digest_seconds(members, "many")
    emit(f"daily_digest_{members}_members", many, "s", one)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--parts", default="pages,search,fanout,digest")
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--topics", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--clients", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--client-processes", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--members", type=int, default=10_000)
    args = parser.parse_args()
    parts = set(args.parts.split(","))
    harness.raise_open_files()
    print(f"# load average {os.getloadavg()}", file=sys.stderr)
    pipes, processes = harness.start_clients(args.client_processes if "fanout" in parts else 0)
    harness.call_command("migrate", verbosity=0)
    # The poster posts every round: the flood guard is not what this measures.
    os.environ["PLENARY_WORKSPACE_MESSAGES_PER_MINUTE"] = "100000"
    settings.WORKSPACE_MESSAGES_PER_MINUTE = 100_000
    try:
        if parts & {"pages", "search"}:
            run_pages_and_search(args, parts)
        if "fanout" in parts:
            asyncio.run(run_fanout(args.clients, args.rounds, pipes))
        if "digest" in parts:
            run_digest(args.members)
    finally:
        for process in processes:
            process.terminate()
    print(f"# load average {os.getloadavg()}", file=sys.stderr)


if __name__ == "__main__":
    main()
