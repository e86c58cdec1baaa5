"""Video in the meeting room, in Chromium with a fake camera, through a real Janus.

The floor holder's camera (three simulcast layers, from a generated y4m) is
forwarded into the session's mountpoint and decoded by another participant
(frames counted, the size checked); a delegate without the floor cannot
publish; a presenter's screen reaches viewers, a second share is refused and
the secretariat can stop the first; audio only carries no video packet and
stays under 32 kbit/s; a viewer whose connection cannot carry the video (Janus's
packets squeezed through 56 kbit/s by a traffic shaper in the namespace) falls
back to audio only by itself. The screen
picker is the one thing not tested: the page's ``getDisplayMedia`` is given
a canvas's stream (the operating system's dialog cannot run headless).
Like the other media tests this runs inside a private network namespace.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.a11y import LAPTOP, PHONE, screenshot
from tests.e2e.a11y import translated as _t
from tests.e2e.netns import IN_NAMESPACE, reporting

pytestmark = pytest.mark.e2e

SCENARIOS = [
    "test_the_floor_holders_camera_is_seen_and_nobody_elses",
    "test_a_shared_screen_is_seen_a_second_is_refused_and_audio_only_carries_no_video",
    "test_on_a_phone_the_speaker_is_seen_and_a_starved_viewer_falls_back_to_audio_only",
]


if not IN_NAMESPACE:
    namespace_results, test_in_private_network = reporting(__file__, SCENARIOS)

else:
    from plenary.media import probes, services
    from plenary.media.rooms import FLOOR
    from tests.e2e.webrtc import (  # noqa: F401 (the fixtures are bound by importing them)
        aio,
        janus,
        launch_chromium,
        off_loop,
        served,
        signed_in_page,
        speak,
    )

    # The page's screen picker gives a canvas's stream (a slide whose text changes).
    FAKE_SCREEN = """
        navigator.mediaDevices.getDisplayMedia = async () => {
            const canvas = document.createElement("canvas");
            canvas.width = 1280; canvas.height = 720;
            const draw = canvas.getContext("2d");
            let n = 0;
            setInterval(() => {
                draw.fillStyle = "#fff"; draw.fillRect(0, 0, 1280, 720);
                draw.fillStyle = "#000"; draw.font = "64px sans-serif";
                draw.fillText("Slide " + (++n), 100, 200);
            }, 200);
            return canvas.captureStream(5);
        };
    """

    @pytest.fixture
    def chromium(tmp_path: Path) -> Iterator[Any]:
        from playwright.sync_api import sync_playwright

        camera = probes.camera_y4m(tmp_path / "camera.y4m")
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright, f"--use-file-for-fake-video-capture={camera}")
            yield browser
            browser.close()

    def _session_with(*roles: str) -> tuple[Any, list[Any]]:
        """An open session with a public webcast, and a participant in each of ``roles``."""
        from plenary.media.tests.fixtures import public_webcast_session
        from plenary.meetings.tests.factories import ParticipationFactory

        session = public_webcast_session()
        users = [ParticipationFactory.create(meeting=session.meeting, role=r).user for r in roles]
        return session, users

    def _give_floor(session_id: int, to: frozenset[int]) -> None:
        from plenary.live.signals import floor_changed
        from plenary.meetings.models import Session

        off_loop(
            lambda: floor_changed.send(
                sender=Session,
                session_id=session_id,
                speaker_user_id=None,
                unmuted_user_ids=to,
                stage_user_ids=to,
            )
        )

    def _room(
        browser: Any,
        served: str,
        user: Any,
        session_id: int,
        *,
        language: str = "en",
        size: dict[str, int] = LAPTOP,
    ) -> Any:
        page = signed_in_page(browser, served, user, language)
        page.set_viewport_size(size)
        page.add_init_script(FAKE_SCREEN)
        page.goto(f"{served}/live/sessions/{session_id}/")
        return page

    def _watch(page: Any, language: str = "en") -> None:
        # On a phone, the bottom bar's button (the panel's twin) is the one in reach.
        start = page.get_by_role("button", name=_t(language, "Start listening"), exact=True)
        start.locator("visible=true").first.click()
        page.wait_for_function("() => window.plenaryMediaState.listening")

    def _frames(page: Any, mid: str, seconds: float = 2.0) -> tuple[int, dict[str, int]]:
        """Frames of ``mid`` decoded on ``page`` during the next ``seconds``, and its stats."""
        before = page.evaluate("window.plenaryVideo.stats()").get(mid, {}).get("frames", 0)
        page.wait_for_timeout(seconds * 1000)
        after = page.evaluate("window.plenaryVideo.stats()").get(mid, {})
        return after.get("frames", 0) - before, after

    def _seen(page: Any, mid: str) -> dict[str, int]:
        """Wait (up to 20 s) until ``mid`` has pictures on ``page``; its stats."""
        for _ in range(10):
            frames, stats = _frames(page, mid)
            if frames > 5:
                return stats
        raise AssertionError(f"no {mid} video on the page: {stats}")

    def _forced_publish(page: Any, kind: str) -> str:
        """What the server answers a page that publishes ``kind`` past its buttons."""
        return str(
            page.evaluate(
                """async (kind) => {
                    const link = window.plenaryListener.link;
                    const stream = kind === "camera"
                        ? await navigator.mediaDevices.getUserMedia({video: true})
                        : await navigator.mediaDevices.getDisplayMedia({video: true});
                    const p = new PlenaryMedia.Publisher(link, kind);
                    try { await p.start(stream); return "published"; }
                    catch (e) { return e.code || e.message; }
                }""",
                kind,
            )
        )

    def test_the_floor_holders_camera_is_seen_and_nobody_elses(served: str, chromium: Any) -> None:
        session, (delegate, other, observer) = _session_with("delegate", "delegate", "observer")
        speaking = _room(chromium, served, delegate, session.pk)
        camera = speaking.get_by_role("button", name="Turn on my camera", exact=True)
        assert camera.is_disabled()  # nobody has the floor
        watching = _room(chromium, served, observer, session.pk)
        _watch(watching)

        _give_floor(session.pk, frozenset({delegate.pk}))
        speaking.wait_for_function("() => !document.getElementById('camera-start').disabled")
        camera.click()
        speaking.get_by_text("Your camera is on: everyone sees you.").wait_for()
        stats = _seen(watching, "stage")
        # A simulcast layer of the 1280x720 camera: full, half or quarter size.
        assert (stats["width"], stats["height"]) in {(1280, 720), (640, 360), (320, 180)}
        watching.locator("[data-video=stage]").wait_for(state="visible")  # the page shows it
        screenshot(watching, "room-observer-sees-the-speaker-laptop", full_page=False)
        screenshot(speaking, "room-speaker-on-camera-laptop", full_page=False)
        # The public webcast shows the same stage to a viewer who is not signed in.
        public = chromium.new_context().new_page()
        public.goto(f"{served}/services/webcast/public-token/")
        _watch(public)
        _seen(public, "stage")

        # Another delegate, without the floor, is refused even past the disabled button.
        intruder = _room(chromium, served, other, session.pk)
        assert _forced_publish(intruder, "camera") == "may_not_publish"

        # The floor moves on: the server removes the camera, the page says why.
        _give_floor(session.pk, frozenset())
        speaking.get_by_text("Your camera is off: you no longer have the floor.").wait_for()
        watching.wait_for_timeout(1500)
        assert _frames(watching, "stage")[0] == 0

    def test_a_shared_screen_is_seen_a_second_is_refused_and_audio_only_carries_no_video(
        served: str, chromium: Any, aio: Callable[[Coroutine[Any, Any, Any]], Any], tmp_path: Path
    ) -> None:
        session, (chair, secretary, observer) = _session_with("chair", "secretariat", "observer")
        # Speech on the floor, so that the audio only figure is that of speech, not silence.
        voice, _ = probes.speech("Thank you, Chair. Ghana supports the proposal.", tmp_path)
        off_loop(services.set_heard, session.pk, FLOOR, frozenset({1}))
        speaker = aio(speak("floor-voice", 1, services.layout_for(session), FLOOR, voice))
        presenting = _room(chromium, served, chair, session.pk)
        watching = _room(chromium, served, observer, session.pk)
        _watch(watching)
        presenting.get_by_role("button", name="Share my screen", exact=True).click()
        presenting.get_by_text("You are sharing your screen.").wait_for()
        stats = _seen(watching, "screen")
        watching.locator("[data-video=screen]").wait_for(state="visible")
        screenshot(watching, "room-observer-sees-the-screen-laptop", full_page=False)
        assert (stats["width"], stats["height"]) == (1280, 720)  # one full-size layer

        second = _room(chromium, served, secretary, session.pk)
        assert _forced_publish(second, "screen") == "screen_in_use"
        assert _frames(watching, "screen")[0] > 0  # the first share goes on
        # The secretariat stops the chair's share (the chair's page says so), then shares.
        second.get_by_role("button", name="Stop the shared screen", exact=True).click()
        presenting.get_by_text("The chair or the secretariat stopped your screen share.").wait_for()
        assert _forced_publish(second, "screen") == "published"
        _seen(watching, "screen")

        # Audio only: no video packet arrives, and the audio fits in 32 kbit/s.
        watching.get_by_label("Audio only: no video, the least data").check()
        watching.wait_for_timeout(1500)
        before = watching.evaluate("window.plenaryVideo.bytes()")
        packets = watching.evaluate("window.plenaryVideo.stats()")
        watching.wait_for_timeout(5000)
        after = watching.evaluate("window.plenaryVideo.bytes()")
        assert after["video"] == before["video"]
        assert watching.evaluate("window.plenaryVideo.stats()") == packets
        kbits = (after["audio"] - before["audio"]) * 8 / 5 / 1000
        assert 5 < kbits <= 32, kbits
        aio(speaker.pc.close())

    def _port_prefixes(low: int, high: int) -> list[tuple[int, int]]:
        """``low``..``high`` as (value, mask) pairs, which tc's u32 filter matches."""
        prefixes = []
        while low <= high:
            size = low & -low or 1 << 16
            while size > high - low + 1:
                size //= 2
            prefixes.append((low, 0xFFFF & ~(size - 1)))
            low += size
        return prefixes

    @contextmanager
    def _squeezed(kbits: int) -> Iterator[None]:
        """Every UDP packet Janus sends (from its RTP ports) through ``kbits`` kbit/s with a
        short queue, as a weak connection carries it; the browsers' own ports are kept
        out of Janus's range, so only what they receive is squeezed."""
        from django.conf import settings

        low, high = (int(port) for port in settings.JANUS_RTP_PORTS.split("-"))
        commands = [
            "qdisc add dev lo root handle 1: htb default 10",
            "class add dev lo parent 1: classid 1:10 htb rate 10gbit",
            f"class add dev lo parent 1: classid 1:20 htb rate {kbits}kbit ceil {kbits}kbit",
            "qdisc add dev lo parent 1:20 handle 20: pfifo limit 4",
        ] + [
            f"filter add dev lo parent 1: protocol ip prio 1 u32 match ip protocol 17 0xff"
            f" match ip sport {value} {mask:#06x} flowid 1:20"
            for value, mask in _port_prefixes(low, high)
        ]
        for command in commands:
            subprocess.run(["tc", *command.split()], check=True)  # noqa: S603, S607
        try:
            yield
        finally:
            subprocess.run(["tc", "qdisc", "del", "dev", "lo", "root"], check=True)  # noqa: S607

    def test_on_a_phone_the_speaker_is_seen_and_a_starved_viewer_falls_back_to_audio_only(
        served: str, chromium: Any
    ) -> None:
        session, (delegate, observer) = _session_with("delegate", "observer")
        speaking = _room(chromium, served, delegate, session.pk, language="fr", size=PHONE)
        watching = _room(chromium, served, observer, session.pk, language="ar", size=PHONE)
        assert watching.locator("html").get_attribute("dir") == "rtl"
        _watch(watching, "ar")
        _give_floor(session.pk, frozenset({delegate.pk}))
        speaking.wait_for_function("() => !document.getElementById('camera-start').disabled")
        speaking.locator("#camera-start").click()
        speaking.get_by_text(_t("fr", "Your camera is on: everyone sees you.")).wait_for()
        stats = _seen(watching, "stage")
        assert (stats["width"], stats["height"]) == (320, 180)  # a phone gets the lowest layer
        watching.locator("[data-video=stage]").wait_for(state="visible")
        box = watching.locator("[data-video=stage]").bounding_box()
        assert box is not None and box["y"] < PHONE["height"]  # in the first screen
        screenshot(speaking, "room-speaker-on-camera-fr-phone", full_page=False)
        screenshot(watching, "room-observer-sees-the-speaker-ar-phone", full_page=False)

        with _squeezed(kbits=56):
            watching.wait_for_function(
                "() => document.getElementById('audio-only').checked", timeout=60_000
            )
            watching.get_by_text(
                _t(
                    "ar",
                    "Your connection cannot carry video now: switched to audio only."
                    " You can turn video back on.",
                )
            ).wait_for()
            screenshot(watching, "room-observer-falls-back-to-audio-ar-phone", full_page=False)
            watching.wait_for_timeout(1500)
            before = watching.evaluate("window.plenaryVideo.bytes()")
            watching.wait_for_timeout(3000)
            after = watching.evaluate("window.plenaryVideo.bytes()")
        assert after["video"] == before["video"]  # the server sends no more video
        assert after["audio"] > before["audio"]  # and the channel goes on
