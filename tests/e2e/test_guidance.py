"""The practice room and the self-test in Chromium with a fake microphone."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from plenary.accounts.tests.factories import DelegateFactory
from plenary.guidance.models import TrainingCompletion, TrainingModule

pytestmark = pytest.mark.e2e


def _signed_in(page: Any, live_url: str) -> Any:
    user = DelegateFactory.create()
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": cookie, "url": live_url}])
    return user


def test_self_test_measures_microphone_speakers_and_network(live_url: str, page: Any) -> None:
    user = _signed_in(page, live_url)
    page.goto(live_url + "/guidance/self-test/")
    page.get_by_role("button", name="Test the microphone").click()
    page.wait_for_function(
        "() => document.getElementById('mic-result').textContent.includes('microphone works')"
    )
    page.get_by_role("button", name="Play a test tone").click()
    page.get_by_role("button", name="Yes").click()
    page.get_by_role("button", name="Test the connection").click()
    page.wait_for_function(
        "() => document.getElementById('net-result').textContent.includes('kbit/s')"
    )
    page.get_by_role("button", name="Finish and save the results").click()
    page.wait_for_function(
        "() => document.getElementById('self-test-summary').textContent.includes('Recorded')"
    )
    completion = TrainingCompletion.objects.get(user=user)
    assert completion.module == TrainingModule.SELF_TEST
    assert completion.results["microphone_ok"] is True
    assert completion.results["speaker_ok"] is True
    assert completion.results["throughput_kbps"] > 0


def test_practice_room_echoes_locally_and_records(live_url: str, page: Any) -> None:
    user = _signed_in(page, live_url)
    page.goto(live_url + "/guidance/practice/")
    page.get_by_role("button", name="Start the echo").click()
    page.wait_for_function("() => document.getElementById('practice').dataset.echo === 'on'")
    page.wait_for_function("() => document.getElementById('mic-level').value > 0")
    assert page.get_by_role("button", name="Stop").is_enabled()
    page.get_by_role("button", name="Stop").click()
    assert page.locator("#practice-status").inner_text() == "Echo stopped."
    assert TrainingCompletion.objects.filter(
        user=user, module=TrainingModule.PRACTICE_ROOM
    ).exists()
