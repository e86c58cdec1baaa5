"""WebRTC test peers for the media tests, which run inside a private network namespace.

Imported only there (``tests.e2e.netns``): the embedded Janus, aiortc peers
that speak to a channel or listen to a session, headless Chromium with fake
capture devices, signed-in pages, and an event loop of their own for aiortc
beside Playwright's. Test modules bind the fixtures they use by importing them.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
import pytest
from aiortc import RTCPeerConnection, RTCSessionDescription

from plenary.media import engine, probes, services
from plenary.media.janus.process import JanusProcess
from plenary.media.rooms import SessionLayout

T = TypeVar("T")


@pytest.fixture(scope="module")
def janus(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JanusProcess]:
    process = JanusProcess(engine.embedded_config(), tmp_path_factory.mktemp("janus"))
    process.start()
    yield process
    process.stop()


@pytest.fixture
async def media(janus: JanusProcess, transactional_db: None) -> AsyncIterator[JanusProcess]:
    # The database is used only for publishing events after commit.
    yield janus
    await engine.shutdown()


class Peer:
    """A browser stand-in: sends ``samples`` (if any), records every track it gets."""

    def __init__(self, samples: probes.Signal | None = None):
        self.pc = RTCPeerConnection()
        self.recorders: list[probes.Recorder] = []
        self.pc.on("track", lambda track: self.recorders.append(probes.Recorder(track)))
        if samples is not None:
            self.pc.addTrack(probes.ArrayTrack(samples, loop=True))

    async def offer(self) -> str:
        await self.pc.setLocalDescription(await self.pc.createOffer())
        return str(self.pc.localDescription.sdp)

    async def accept(self, answer: str) -> None:
        await self.pc.setRemoteDescription(RTCSessionDescription(answer, "answer"))

    async def answer(self, offer: str) -> str:
        await self.pc.setRemoteDescription(RTCSessionDescription(offer, "offer"))
        await self.pc.setLocalDescription(await self.pc.createAnswer())
        return str(self.pc.localDescription.sdp)

    async def hear(self, seconds: float = 1.5) -> probes.Signal:
        """What the peer hears (all its tracks mixed) during the next ``seconds``."""
        await asyncio.sleep(0.6)  # let a change take effect
        marks = [recorder.mark() for recorder in self.recorders]
        await asyncio.sleep(seconds)
        parts = [r.since(m) for r, m in zip(self.recorders, marks, strict=True)]
        mixed = np.zeros(max((len(p) for p in parts), default=0), np.float32)
        for part in parts:
            mixed[: len(part)] += part
        return mixed


async def speak(
    name: str, user_id: int, layout: SessionLayout, target: str, samples: probes.Signal
) -> Peer:
    peer = Peer(samples)
    answer = await services.do_speak(name, user_id, layout, target, await peer.offer())
    await peer.accept(answer)
    return peer


async def listen(name: str, layout: SessionLayout, channel: str, underneath: bool = False) -> Peer:
    peer = Peer()
    offer = await services.do_listen(name, None, layout, channel, underneath)
    await services.do_listen_answer(name, layout, await peer.answer(offer))
    return peer


def launch_chromium(playwright: Any, *capture: str) -> Any:
    """Headless Chromium that grants media access at once, with ``capture`` flags
    (``--use-file-for-fake-audio-capture=…``, ``--use-file-for-fake-video-capture=…``)."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return playwright.chromium.launch(
        executable_path=os.environ.get("PLENARY_CHROMIUM", "/usr/bin/chromium"),
        headless=True,
        args=[
            "--no-sandbox",
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            *capture,
            "--autoplay-policy=no-user-gesture-required",
            "--disable-features=WebRtcHideLocalIpsWithMdns",
            "--no-first-run",
            "--disable-background-networking",
        ],
    )


@pytest.fixture
def served(janus: JanusProcess, live_url: str) -> Iterator[str]:
    """The live server, whose Janus connections are closed before it stops."""
    yield live_url
    engine.shutdown_all()


def off_loop(call: Any, *args: Any) -> None:
    """Run synchronous project code outside Playwright's event loop (as a request would)."""
    with ThreadPoolExecutor(1) as pool:
        pool.submit(call, *args).result()


def floor_energy(page: Any, seconds: float = 2.0) -> float:
    """The floor channel's audio energy a room page received during the next ``seconds``."""
    before = page.evaluate("window.plenaryMediaEnergy()").get("floor", 0)
    page.wait_for_timeout(seconds * 1000)
    return float(page.evaluate("window.plenaryMediaEnergy()").get("floor", 0) - before)


def signed_in_page(browser: Any, live_url: str, user: Any, language: str = "en") -> Any:
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.set_default_timeout(15_000)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_url},
        ]
    )
    return context.new_page()


async def _cancel_the_rest() -> None:
    """Cancel the loop's other tasks and let them finish, so that none is left to be
    collected after the loop is closed (pytest reports that as an error)."""
    tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


@pytest.fixture
def aio() -> Iterator[Callable[[Coroutine[Any, Any, T]], T]]:
    """Run coroutines on an event loop of their own, in a thread (aiortc peers live there).

    The browser tests' own thread runs Playwright's loop, so the aiortc
    listener and its room manager need another.
    """
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    def run(coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, loop).result(30)

    yield run
    run(engine.shutdown())
    run(_cancel_the_rest())  # a recorder still reading its track, for one
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()
