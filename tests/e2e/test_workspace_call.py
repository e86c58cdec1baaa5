"""A call started from a workspace topic, in two Chromium browsers through a real Janus.

Jean (French) starts a call in a topic: he lands in the call's meeting room as its
chair, connects his microphone (a fake one that speaks) and is heard. Ana, a member
reading the topic in Arabic, sees "Join the call" appear on her page without a
reload, joins, listens and hears him. A call this small has open microphones: Ana
connects hers from her phone's bottom bar and Jean hears her, nobody having given her
the floor. Jean ends the call from the topic: the summary
(who took part, the transcript) is posted there. Runs inside a private network
namespace, as the other media tests (``tests.e2e.netns``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.a11y import LAPTOP, PHONE, screenshot
from tests.e2e.a11y import translated as _t
from tests.e2e.netns import IN_NAMESPACE, reporting

pytestmark = pytest.mark.e2e

SCENARIOS = ["test_a_call_from_a_topic_connects_two_members_and_posts_its_summary"]


if not IN_NAMESPACE:
    namespace_results, test_in_private_network = reporting(__file__, SCENARIOS)

else:
    from plenary.media import probes
    from tests.e2e.webrtc import (  # noqa: F401 (the fixtures are bound by importing them)
        floor_energy,
        janus,
        launch_chromium,
        served,
        signed_in_page,
    )

    @pytest.fixture
    def chromium(tmp_path: Path) -> Iterator[Any]:
        """Chromium whose fake microphone plays synthesised speech (in a loop)."""
        from playwright.sync_api import sync_playwright

        _, wav = probes.speech("Colleagues, shall we agree the work plan today?", tmp_path)
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright, f"--use-file-for-fake-audio-capture={wav}")
            yield browser
            browser.close()

    # Keeps the page's WebSockets, so that the test knows when the topic's is open.
    OPEN_SOCKETS = """
        window.plenarySockets = [];
        const Native = window.WebSocket;
        window.WebSocket = class extends Native {
            constructor(...args) { super(...args); window.plenarySockets.push(this); }
        };
    """

    def test_a_call_from_a_topic_connects_two_members_and_posts_its_summary(
        served: str, chromium: Any
    ) -> None:
        from plenary.live.standing import display_name
        from plenary.workspaces.models import Call
        from plenary.workspaces.tests.helpers import make_cast

        cast = make_cast()
        jean = signed_in_page(chromium, served, cast.french, "fr")
        jean.set_viewport_size(LAPTOP)
        jean.goto(f"{served}/workspaces/sg17/c/general/")
        jean.get_by_label(_t("fr", "Topic")).fill("Plan de travail")
        jean.get_by_label(_t("fr", "Message")).fill("Un appel rapide ?")
        jean.get_by_role("button", name=_t("fr", "Start the topic")).click()
        jean.locator(".ws-message").first.wait_for()
        topic_url = jean.url.split("#")[0]

        ana = signed_in_page(chromium, served, cast.brazilian, "ar")
        ana.set_viewport_size(PHONE)
        ana.add_init_script(OPEN_SOCKETS)
        ana.goto(topic_url)
        ana.wait_for_function("() => window.plenarySockets.some((s) => s.readyState === 1)")
        join = ana.get_by_role("button", name=_t("ar", "Join the call"))
        assert not join.is_visible()

        jean.get_by_role("button", name=_t("fr", "Start a call in this topic")).click()
        jean.wait_for_url(f"{served}/live/sessions/*/")
        jean.get_by_role("button", name=_t("fr", "Connect my microphone"), exact=True).click()
        jean.get_by_text(_t("fr", "On air: you are heard")).wait_for()  # the chair of an open call

        join.wait_for(state="visible")  # through the workspace socket, without a reload
        screenshot(ana, "workspaces-call-on-ar-phone")
        join.click()
        ana.wait_for_url(f"{served}/live/sessions/*/")
        start = ana.get_by_role("button", name=_t("ar", "Start listening"), exact=True)
        start.locator("visible=true").first.click()
        ana.wait_for_function("() => window.plenaryMediaState.listening")
        assert floor_energy(ana) > 1e-3  # Ana hears Jean through Janus

        # A small call has open microphones: Ana speaks without asking for the floor,
        # from the phone's bottom bar; Jean, his own microphone disconnected, hears her.
        jean.get_by_role("button", name=_t("fr", "Disconnect my microphone"), exact=True).click()
        jean.get_by_role("button", name=_t("fr", "Start listening"), exact=True).locator(
            "visible=true"
        ).first.click()
        jean.wait_for_function("() => window.plenaryMediaState.listening")
        microphone = ana.locator("[data-bar-microphone]")
        assert microphone.inner_text() == _t("ar", "Connect my microphone")
        microphone.click()
        ana.get_by_text(_t("ar", "On air: you are heard")).wait_for()
        assert microphone.inner_text() == _t("ar", "Disconnect my microphone")
        assert floor_energy(jean) > 1e-3  # Ana is heard through Janus, without the floor
        screenshot(ana, "workspaces-call-room-ar-phone", full_page=False)

        jean.goto(topic_url)
        jean.get_by_role("button", name=_t("fr", "End the call and post its summary")).click()
        summary = jean.locator(".ws-message").last
        summary.get_by_role("link", name=_t("fr", "Transcript")).wait_for()
        text = summary.inner_text()
        assert display_name(cast.french) in text and display_name(cast.brazilian) in text
        call = Call.objects.get()
        assert call.ended_at is not None and call.summary is not None
        screenshot(jean, "workspaces-call-summary-fr-laptop")
