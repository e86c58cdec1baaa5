"""The media plane with a real Janus and real WebRTC peers.

Outside a network namespace, :func:`test_in_private_network` re-runs this
module inside one (``tests.e2e.netns``; this needs root, as in CI) and reports
each scenario; inside, the scenarios run for real against a Janus started by
the process manager. The services' rules are tested on both databases in
``plenary.media.tests``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import pytest
from asgiref.sync import sync_to_async

from tests.e2e.netns import IN_NAMESPACE, reporting

pytestmark = pytest.mark.e2e

T = TypeVar("T")
SCENARIOS = [
    "test_floor_holder_is_heard_and_a_delegate_without_the_floor_is_not",
    "test_interpreter_is_heard_on_its_language_channel_only_and_switching_changes_it",
    "test_janus_killed_mid_session_recovers",
    "test_a_browser_delegate_is_heard_only_once_given_the_floor",
    "test_an_interpreter_console_is_heard_on_its_channel_until_the_cough_key",
    "test_a_browser_listener_reconnects_by_itself_after_a_language_or_its_socket_is_lost",
    "test_a_channel_chosen_on_the_room_page_changes_what_is_heard",
]


if not IN_NAMESPACE:
    namespace_results, test_in_private_network = reporting(__file__, SCENARIOS)

else:
    from plenary.media import engine, probes, services
    from plenary.media.janus.process import JanusProcess
    from plenary.media.rooms import FLOOR, SessionLayout
    from tests.e2e.webrtc import (  # noqa: F401 (the fixtures are bound by importing them)
        Peer,
        aio,
        floor_energy,
        janus,
        launch_chromium,
        listen,
        media,
        off_loop,
        served,
        signed_in_page,
        speak,
    )

    def rms(samples: probes.Signal) -> float:
        return float(np.sqrt((samples**2).mean())) if len(samples) else 0.0

    def share(samples: probes.Signal, hz: float) -> float:
        """Fraction of the spectral energy within 30 Hz of ``hz``."""
        spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples)))) ** 2
        freqs = np.fft.rfftfreq(len(samples), 1 / probes.RATE)
        return float(spectrum[np.abs(freqs - hz) < 30].sum() / (spectrum.sum() + 1e-12))

    async def test_floor_holder_is_heard_and_a_delegate_without_the_floor_is_not(
        media: JanusProcess, tmp_path: Path
    ) -> None:
        layout = SessionLayout(101, ("fr",))
        voice, _ = probes.speech("Distinguished delegates, the floor is given to Ghana.", tmp_path)
        await sync_to_async(services.set_heard)(101, FLOOR, frozenset({1}))
        listener = await listen("listener", layout, FLOOR)
        holder = await speak("holder", 1, layout, FLOOR, voice)
        other = await speak("other", 2, layout, FLOOR, probes.tone(5000, 2))
        heard = await listener.hear(2 * len(voice) / probes.RATE)
        assert probes.correlation(voice, heard) > 0.3  # unrelated audio scores below 0.05
        assert share(heard, 5000) < 0.01

        await sync_to_async(services.set_heard)(101, FLOOR, frozenset({2}))
        heard = await listener.hear()
        assert abs(probes.dominant_hz(heard) - 5000) < 10
        for peer in (listener, holder, other):
            await peer.pc.close()

    async def test_interpreter_is_heard_on_its_language_channel_only_and_switching_changes_it(
        media: JanusProcess,
    ) -> None:
        layout = SessionLayout(102, ("fr", "es"))
        await sync_to_async(services.set_heard)(102, FLOOR, frozenset({1}))
        await sync_to_async(services.set_heard)(102, "fr", frozenset({3}))
        floor = await speak("floor", 1, layout, FLOOR, probes.tone(440, 2))
        booth = await speak("booth", 3, layout, "fr", probes.tone(880, 2))
        listener = await listen("listener2", layout, FLOOR)
        heard = await listener.hear()
        assert abs(probes.dominant_hz(heard) - 440) < 10
        assert share(heard, 880) < 0.01

        await services.do_switch("listener2", layout, "fr", underneath=False)
        heard = await listener.hear()
        assert abs(probes.dominant_hz(heard) - 880) < 10
        assert share(heard, 440) < 0.01

        await services.do_switch("listener2", layout, "fr", underneath=True)
        heard = await listener.hear()
        assert share(heard, 440) > 0.1
        assert share(heard, 880) > 0.1
        for peer in (listener, floor, booth):
            await peer.pc.close()

    async def test_janus_killed_mid_session_recovers(media: JanusProcess) -> None:
        layout = SessionLayout(103, ())
        restarted: list[list[int]] = []

        async def note(session_ids: list[int]) -> None:
            restarted.append(session_ids)

        engine.on_restart(note)
        await sync_to_async(services.set_heard)(103, FLOOR, frozenset({1}))
        first = await listen("listener3", layout, FLOOR)
        media.kill()
        with pytest.raises(services.MediaUnavailable):
            await listen("listener3", layout, FLOOR)
        media.start()
        async with asyncio.timeout(10):
            while not restarted:
                await asyncio.sleep(0.2)
        assert restarted == [[103]]
        await services.forget_session_legs([103])
        listener = await listen("listener3", layout, FLOOR)
        speaker = await speak("speaker3", 1, layout, FLOOR, probes.tone(660, 2))
        heard = await listener.hear()
        assert abs(probes.dominant_hz(heard) - 660) < 10
        for peer in (first, listener, speaker):
            await peer.pc.close()

    @pytest.fixture
    def voice(tmp_path: Path) -> tuple[probes.Signal, Path]:
        """What the browsers' fake microphone says: the samples and the WAV file."""
        return probes.speech("Thank you, Chair. Ghana supports the proposal.", tmp_path)

    @pytest.fixture
    def chromium(voice: tuple[probes.Signal, Path]) -> Iterator[Any]:
        """Chromium whose fake microphone plays synthesised speech (in a loop)."""
        from playwright.sync_api import sync_playwright

        _, wav = voice
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright, f"--use-file-for-fake-audio-capture={wav}")
            yield browser
            browser.close()

    def _english_and_french_session() -> Any:
        """An open session of a meeting in English and French (a French booth)."""
        from plenary.meetings.models import Sector
        from plenary.meetings.tests.factories import SessionFactory

        for code in Sector.Code.values:  # a data migration's rows, gone after a flush
            Sector.objects.get_or_create(code=code)
        return SessionFactory.create(meeting__languages=["en", "fr"])

    def test_a_browser_delegate_is_heard_only_once_given_the_floor(
        served: str, chromium: Any
    ) -> None:
        from plenary.live.signals import floor_changed
        from plenary.meetings.models import Participation, Session
        from plenary.meetings.tests.factories import ParticipationFactory

        session = _english_and_french_session()
        delegate = ParticipationFactory.create(meeting=session.meeting).user
        observer = ParticipationFactory.create(
            meeting=session.meeting, role=Participation.Role.OBSERVER
        ).user
        # Both on the meeting room, where the audio plays on the page itself.
        speaking = signed_in_page(chromium, served, delegate)
        speaking.goto(f"{served}/live/sessions/{session.pk}/")
        speaking.get_by_role("button", name="Connect my microphone", exact=True).click()
        speaking.get_by_text("Microphone connected; waiting for the floor.").wait_for()

        listening = signed_in_page(chromium, served, observer)
        listening.goto(f"{served}/live/sessions/{session.pk}/")
        listening.get_by_role("button", name="Start listening", exact=True).click()
        listening.wait_for_function("() => window.plenaryMediaState.listening")
        assert floor_energy(listening) < 1e-4  # sending, but not given the floor

        def give_floor(to: frozenset[int]) -> None:
            off_loop(
                lambda: floor_changed.send(
                    sender=Session,
                    session_id=session.pk,
                    speaker_user_id=None,
                    unmuted_user_ids=to,
                    stage_user_ids=to,
                )
            )

        give_floor(frozenset({delegate.pk}))
        speaking.get_by_text("On air: you are heard").wait_for()
        assert floor_energy(listening) > 1e-3

        give_floor(frozenset())
        listening.wait_for_timeout(500)
        assert floor_energy(listening) < 1e-4

        # A page that connects its microphone while its user has the floor
        # (a reload, a reconnect) is on air at once, not after the next change.
        give_floor(frozenset({delegate.pk}))
        speaking.reload()
        speaking.get_by_role("button", name="Connect my microphone", exact=True).click()
        speaking.get_by_text("On air: you are heard").wait_for()
        assert floor_energy(listening) > 1e-3

    def test_an_interpreter_console_is_heard_on_its_channel_until_the_cough_key(
        served: str,
        chromium: Any,
        voice: tuple[probes.Signal, Path],
        aio: Callable[[Coroutine[Any, Any, Any]], Any],
    ) -> None:
        from plenary.meetings.models import Participation
        from plenary.meetings.tests.factories import ParticipationFactory

        session = _english_and_french_session()
        interpreter = ParticipationFactory.create(
            meeting=session.meeting, role=Participation.Role.INTERPRETER, language="fr"
        ).user
        layout = services.layout_for(session)
        samples, _ = voice
        listener: Peer = aio(listen("booth-listener", layout, "fr"))

        console = signed_in_page(chromium, served, interpreter)
        sockets: list[str] = []
        console.on("websocket", lambda socket: sockets.append(socket.url.split("?")[0]))
        console.goto(f"{served}/interpretation/sessions/{session.pk}/console/")
        console.get_by_role("button", name="Connect microphone", exact=True).click()
        console.get_by_text("Microphone connected.").wait_for()
        console.get_by_role("button", name="Go on air", exact=True).click()
        console.get_by_text("ON AIR", exact=True).wait_for()
        heard = aio(listener.hear(2 * len(samples) / probes.RATE))
        assert probes.correlation(samples, heard) > 0.3  # unrelated audio scores below 0.05

        aio(services.do_switch("booth-listener", layout, FLOOR, underneath=False))
        assert rms(aio(listener.hear())) < 1e-3  # the booth is not on the floor
        aio(services.do_switch("booth-listener", layout, "fr", underneath=False))

        cough = console.get_by_role("button", name="Cough (hold)", exact=True)
        cough.focus()
        console.keyboard.down(" ")
        console.get_by_text("Cough key: muted", exact=True).wait_for()
        assert rms(aio(listener.hear())) < 1e-3
        console.keyboard.up(" ")
        console.get_by_text("ON AIR", exact=True).wait_for()
        assert rms(aio(listener.hear())) > 1e-2
        # Microphone, booth and cough commands all went over the tab's one session socket.
        assert sockets == [f"{served.replace('http', 'ws', 1)}/ws/sessions/{session.pk}/"]
        aio(listener.pc.close())

    # Keeps the page's WebSockets reachable, to cut one as a network drop would.
    KEEP_SOCKETS = """
        window.plenarySockets = [];
        window.WebSocket = class extends window.WebSocket {
            constructor(...args) { super(...args); window.plenarySockets.push(this); }
        };
    """

    def _heard_again(page: Any) -> bool:
        """Whether the floor is heard on the page again within a few seconds."""
        page.wait_for_timeout(1000)  # the old connection is gone; the new one comes up
        return any(floor_energy(page, 1.0) > 1e-3 for _ in range(8))

    async def grow(layout: SessionLayout) -> None:
        """Janus work for ``layout``, by this loop's room manager (as a new booth's first offer)."""
        await engine.manager().ensure_session(layout)

    def test_a_browser_listener_reconnects_by_itself_after_a_language_or_its_socket_is_lost(
        served: str, chromium: Any, aio: Callable[[Coroutine[Any, Any, Any]], Any]
    ) -> None:
        from plenary.meetings.models import Participation
        from plenary.meetings.tests.factories import ParticipationFactory

        session = _english_and_french_session()
        observer = ParticipationFactory.create(
            meeting=session.meeting, role=Participation.Role.OBSERVER
        ).user
        off_loop(services.set_heard, session.pk, FLOOR, frozenset({1}))
        speaker: Peer = aio(
            speak("reset-floor", 1, services.layout_for(session), FLOOR, probes.tone(440, 2))
        )
        page = signed_in_page(chromium, served, observer)
        page.add_init_script(KEEP_SOCKETS)
        page.goto(f"{served}/media/sessions/{session.pk}/listen/")
        page.get_by_role("button", name="Start listening", exact=True).click()
        page.wait_for_function("() => window.plenaryMediaState.listening")
        assert floor_energy(page) > 1e-3

        # A Spanish booth is added: the next Janus work rebuilds the mountpoint and
        # tells the page (media.reset), which listens again through the new one.
        session.meeting.languages = ["en", "fr", "es"]
        session.meeting.save()
        aio(grow(services.layout_for(session)))
        assert _heard_again(page)

        # The socket drops (the server then hangs up its legs): the page reconnects
        # it with backoff, then listens again.
        page.evaluate("window.plenarySockets[0].close()")
        page.wait_for_function("() => window.plenarySockets.length === 2")
        assert _heard_again(page)
        aio(speaker.pc.close())

    # The pitch that dominates what the page's listening leg plays (Hz), over ``seconds``.
    PITCH = """async (seconds) => {
        const ctx = new AudioContext();
        const analyser = ctx.createAnalyser();
        analyser.fftSize = 8192;
        const tracks = window.plenaryListener.pc.getReceivers()
            .map((r) => r.track).filter((t) => t && t.kind === "audio");
        tracks.forEach((t) => ctx.createMediaStreamSource(new MediaStream([t])).connect(analyser));
        const sum = new Float32Array(analyser.frequencyBinCount);
        const data = new Float32Array(analyser.frequencyBinCount);
        for (let t = 0; t < seconds * 10; t++) {
            await new Promise((done) => setTimeout(done, 100));
            analyser.getFloatFrequencyData(data);
            data.forEach((v, i) => { sum[i] += Math.pow(10, v / 10); });
        }
        let best = 1;
        for (let i = 2; i < sum.length; i++) if (sum[i] > sum[best]) best = i;
        await ctx.close();
        return best * ctx.sampleRate / analyser.fftSize;
    }"""

    def test_a_channel_chosen_on_the_room_page_changes_what_is_heard(
        served: str, chromium: Any, aio: Callable[[Coroutine[Any, Any, Any]], Any]
    ) -> None:
        from plenary.meetings.models import Participation
        from plenary.meetings.tests.factories import ParticipationFactory

        session = _english_and_french_session()
        delegate = ParticipationFactory.create(
            meeting=session.meeting, role=Participation.Role.DELEGATE
        ).user
        layout = services.layout_for(session)
        off_loop(services.set_heard, session.pk, FLOOR, frozenset({1}))
        off_loop(services.set_heard, session.pk, "fr", frozenset({2}))
        floor = aio(speak("room-floor", 1, layout, FLOOR, probes.tone(440, 2)))
        booth = aio(speak("room-booth", 2, layout, "fr", probes.tone(660, 2)))
        page = signed_in_page(chromium, served, delegate)
        page.goto(f"{served}/live/sessions/{session.pk}/")
        page.locator("#listen-start").click()
        page.wait_for_function("() => window.plenaryMediaState.listening")
        assert abs(page.evaluate(PITCH, 2) - 440) < 15  # the floor

        page.get_by_role("radio", name="French").check()  # on the room page itself
        page.wait_for_function("() => window.plenaryMediaState.channel === 'fr'")
        page.wait_for_timeout(500)
        assert abs(page.evaluate(PITCH, 2) - 660) < 15  # the French booth, the floor gone
        aio(floor.pc.close())
        aio(booth.pc.close())
