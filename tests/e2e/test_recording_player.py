"""A recording played in Chromium: hls.js, one audio rendition per channel, the language
switched without losing the place, subtitles, a link to a moment; walked in French on a laptop and
in Arabic on a phone (axe-core's rules, the phone's width, screenshots).

The recording is packaged by the real ffmpeg from files put where Janus would have
written them (the recording itself is tested against Janus in ``test_recording.py``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings

from plenary.floor.models import SessionEvent
from plenary.meetings.models import Participation
from plenary.meetings.tests.factories import ParticipationFactory, SessionFactory
from plenary.recordings import services
from plenary.recordings.tests.helpers import packaged_recording
from plenary.speech.models import CaptionSegment
from tests.e2e.a11y import LAPTOP, PHONE, browser_for, checked
from tests.e2e.a11y import translated as _t

pytestmark = pytest.mark.e2e

READY = "() => window.plenaryRecording && window.plenaryRecording.tracks().length === 2"


@pytest.fixture
def recording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setattr(django_settings, "DATA_DIR", tmp_path)
    monkeypatch.setattr(services, "SETTLE_SECONDS", 0.01)
    session = SessionFactory.create(meeting__languages=["en", "fr"], title="Plénière 3")
    recording = packaged_recording(session, seconds=30.0)
    # Brazil takes the floor 10 s in and speaks; the captions have its words in French.
    moment = recording.origin + dt.timedelta(seconds=10)
    request = {"kind": "speak", "entity": "Brazil", "name": "Ana Souza"}
    SessionEvent.objects.create(
        session=session, seq=1, kind="floor.given", data={"request": request}, at=moment
    )
    for offset, text in ((0, "Le Brésil remercie la présidence."), (6, "Nous appuyons le texte.")):
        CaptionSegment.objects.create(
            session=session,
            channel="fr",
            language="fr",
            kind="asr",
            starts_at=moment + dt.timedelta(seconds=offset),
            ends_at=moment + dt.timedelta(seconds=offset + 4),
            text=text,
        )
    return recording


def delegate_of(recording: Any) -> Any:
    meeting = recording.session.meeting
    return ParticipationFactory.create(meeting=meeting, role=Participation.Role.DELEGATE).user


def test_a_delegate_switches_language_and_keeps_the_place(
    new_page: Any, live_url: str, recording: Any, axe_script: Path
) -> None:
    page = browser_for(new_page, live_url, delegate_of(recording), language="fr", size=LAPTOP)
    page.goto(f"{live_url}/meetings/{recording.session.meeting.code}/recordings/")
    checked(page, "recordings-archive-fr-laptop", axe_script)
    page.get_by_role("link", name="Plénière 3").click()
    page.wait_for_function(READY)
    assert page.evaluate("window.plenaryRecording.tracks()") == ["mul", "fr"]
    checked(page, "recordings-player-fr-laptop", axe_script)

    page.evaluate("() => { const a = window.plenaryRecording.audio; a.muted = true; a.play(); }")
    page.wait_for_function("() => window.plenaryRecording.audio.currentTime > 3")
    before = page.evaluate("window.plenaryRecording.audio.currentTime")
    page.locator("input[name=track][data-channel=fr]").check()
    page.wait_for_function("() => window.plenaryRecording.track() === 1")
    page.wait_for_timeout(1500)
    after = page.evaluate("window.plenaryRecording.audio.currentTime")
    assert after >= before  # the place is kept: no jump back to the start
    assert not page.locator("#recording-error").is_visible()

    # A speaker's chapter and a line of the transcript each take the player there.
    page.get_by_role("button", name="Brazil").click()
    page.wait_for_function("() => Math.abs(window.plenaryRecording.audio.currentTime - 10) < 1")
    page.get_by_label(_t("fr", "Find in the transcript")).fill("appuyons")
    lines = page.locator("[data-transcript] li")
    assert lines.nth(0).is_hidden() and lines.nth(1).is_visible()
    lines.nth(1).get_by_role("button").click()
    page.wait_for_function("() => Math.abs(window.plenaryRecording.audio.currentTime - 16) < 1")
    checked(page, "recordings-player-chapters-fr-laptop", axe_script)

    # French subtitles: the line being heard is written under the player.
    assert page.evaluate("window.plenaryRecording.subtitles()") == ["fr"]
    page.locator("input[name=subtitles][data-language=fr]").check()
    page.evaluate("window.plenaryRecording.audio.currentTime = 10.5")
    page.wait_for_function("() => window.plenaryRecording.caption().includes('remercie')")
    checked(page, "recordings-player-subtitles-fr-laptop", axe_script)

    page.get_by_label(_t("fr", "Speed")).select_option("1.5")
    assert page.evaluate("window.plenaryRecording.audio.playbackRate") == 1.5
    page.get_by_role("button", name=_t("fr", "Copy a link to this moment")).click()
    link = page.locator("#recording-link").inner_text().split(" ")[0]
    assert "#t=" in link


def test_a_link_to_a_moment_opens_there_on_a_phone_in_arabic(
    new_page: Any, live_url: str, recording: Any, axe_script: Path
) -> None:
    page = browser_for(new_page, live_url, delegate_of(recording), language="ar", size=PHONE)
    page.goto(f"{live_url}/recordings/{recording.pk}/#t=12")
    page.wait_for_function(READY)
    page.wait_for_function("() => window.plenaryRecording.audio.currentTime >= 12")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_label(_t("ar", "Original (floor)")).is_checked()
    checked(page, "recordings-player-ar-phone", axe_script)


def test_someone_outside_the_meeting_finds_no_recording(
    new_page: Any, live_url: str, recording: Any
) -> None:
    from plenary.accounts.tests.factories import DelegateFactory

    page = browser_for(new_page, live_url, DelegateFactory.create(), language="fr", size=PHONE)
    reply = page.goto(f"{live_url}/recordings/{recording.pk}/")
    assert reply is not None and reply.status == 404


def test_the_secretariat_removes_a_recording_on_a_phone_in_arabic(
    new_page: Any, live_url: str, recording: Any, axe_script: Path
) -> None:
    from plenary.accounts.tests.factories import StaffFactory

    page = browser_for(new_page, live_url, StaffFactory.create(), language="ar", size=PHONE)
    page.goto(f"{live_url}/recordings/{recording.pk}/")
    page.get_by_text(_t("ar", "Remove this recording")).click()
    page.locator("#remove-reason").fill("سُجّل جزء مغلق من الجلسة خطأً.")
    checked(page, "recordings-remove-ar-phone", axe_script)
    page.get_by_role("button", name=_t("ar", "Remove the recording")).click()
    page.get_by_text(_t("ar", "The recording has been removed.")).wait_for()
    assert not recording.folder.exists()
    checked(page, "recordings-archive-removed-ar-phone", axe_script)


def test_a_delegate_hears_the_session_live_on_a_phone_in_arabic(
    new_page: Any, live_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, axe_script: Path
) -> None:
    import threading
    import time

    from django.utils import timezone

    from plenary.recordings.live import Origin
    from plenary.recordings.models import Recording
    from plenary.recordings.tests.helpers import GrowingWav

    monkeypatch.setattr(django_settings, "DATA_DIR", tmp_path)
    session = SessionFactory.create(meeting__languages=["en", "fr"], title="Plénière 4")
    recording = Recording.objects.create(session=session, started_at=timezone.now())
    stop = threading.Event()
    origin = Origin(running=lambda: {} if stop.is_set() else {recording.pk: recording.folder})
    halt = threading.Event()
    ticking = threading.Thread(target=origin.run, args=(halt.is_set,), daemon=True)
    start = time.time()
    with (
        GrowingWav(recording.wav_folder("floor"), start, hz=440),
        GrowingWav(recording.wav_folder("fr"), start, hz=880),
    ):
        ticking.start()
        while not (recording.live_folder / "fr" / "index.m3u8").exists():
            time.sleep(0.1)
        page = browser_for(new_page, live_url, delegate_of(recording), language="ar", size=PHONE)
        page.goto(f"{live_url}/recordings/{recording.pk}/")
        page.wait_for_function(READY)
        page.evaluate(
            "() => { const a = window.plenaryRecording.audio; a.muted = true; a.play(); }"
        )
        page.wait_for_function("() => window.plenaryRecording.audio.currentTime > 1")
        page.locator("input[name=track][data-channel=fr]").check()
        page.wait_for_function("() => window.plenaryRecording.track() === 1")
        assert page.get_by_text(_t("ar", "Live now")).is_visible()
        checked(page, "recordings-live-ar-phone", axe_script)

        stop.set()  # the recording stops: the playlists end, the page says where to look
        ended = _t(
            "ar",
            "The session is no longer recorded: it will be in the archive once it has "
            "been prepared for playback.",
        )
        page.get_by_text(ended).wait_for(timeout=60_000)
    halt.set()
    ticking.join()


def test_the_public_follows_the_webcast_page_to_the_live_stream_on_a_phone_in_french(
    new_page: Any, live_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, axe_script: Path
) -> None:
    import threading
    import time

    from plenary.floor import services as floor
    from plenary.floor.tests.factories import cast
    from plenary.provisioning.models import Service, ServiceRequest
    from plenary.recordings.live import Origin
    from plenary.recordings.models import Recording
    from plenary.recordings.tests.helpers import GrowingWav
    from tests.conftest import in_a_thread

    monkeypatch.setattr(django_settings, "DATA_DIR", tmp_path)
    c = cast()
    ServiceRequest.objects.create(
        meeting=c.session.meeting,
        service=Service.WEBCAST,
        public=True,
        status=ServiceRequest.Status.PROVISIONED,
        requested_by=c.session.meeting.organiser,
        webcast_token="public-webcast-walk",
    )
    # The chair opens the session: it is live, and recorded from now (Janus is not
    # running here: its files are put where it would write them).
    version = floor.current_state(c.session.pk)[0]
    # Off Playwright's event loop, as the server would (the floor publishes its change).
    in_a_thread(lambda: floor.do_set_status(c.chair, c.session.pk, "open", version))
    recording = Recording.objects.get(session=c.session, status=Recording.Status.RECORDING)
    halt = threading.Event()
    origin = Origin(running=lambda: {recording.pk: recording.folder})
    ticking = threading.Thread(target=origin.run, args=(halt.is_set,), daemon=True)
    with GrowingWav(recording.wav_folder("floor"), time.time(), hz=440):
        ticking.start()
        try:
            while not (recording.live_folder / "index.m3u8").exists():
                time.sleep(0.1)
            page = new_page(viewport=PHONE, bypass_csp=True)  # anyone: nobody signed in
            page.context.add_cookies(
                [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "fr", "url": live_url}]
            )
            page.goto(f"{live_url}/services/webcast/public-webcast-walk/")
            link = page.get_by_role("link", name=_t("fr", "Listen in a standard player"))
            checked(page, "recordings-webcast-link-fr-phone", axe_script)
            link.click()
            page.wait_for_function(
                "() => window.plenaryRecording && window.plenaryRecording.tracks().length >= 1"
            )
            page.evaluate(
                "() => { const a = window.plenaryRecording.audio; a.muted = true; a.play(); }"
            )
            page.wait_for_function("() => window.plenaryRecording.audio.currentTime > 1")
            assert page.get_by_text(_t("fr", "Live now")).is_visible()
            checked(page, "recordings-live-public-fr-phone", axe_script)
        finally:
            halt.set()
            ticking.join()


@pytest.mark.usefixtures("task_worker")
def test_the_secretariat_cuts_a_closed_part_on_a_laptop_in_french(
    new_page: Any, live_url: str, recording: Any, axe_script: Path
) -> None:
    from plenary.accounts.tests.factories import StaffFactory
    from plenary.recordings.models import Recording

    page = browser_for(new_page, live_url, StaffFactory.create(), language="fr", size=LAPTOP)
    page.goto(f"{live_url}/recordings/{recording.pk}/")
    page.get_by_text(_t("fr", "Cut a part")).click()
    page.get_by_label(_t("fr", "From")).fill("0:00:12")
    page.get_by_label(_t("fr", "To")).fill("0:00:15")
    page.locator("#cut-reason").fill("Partie à huis clos.")
    checked(page, "recordings-cut-fr-laptop", axe_script)
    page.get_by_role("button", name=_t("fr", "Cut this part")).click()
    page.get_by_text(
        _t("fr", "The part is being cut from every language; the recording plays again shortly.")
    ).wait_for()
    for _ in range(60):  # the job runs in the task worker
        if Recording.objects.get(pk=recording.pk).status == Recording.Status.READY:
            break
        page.wait_for_timeout(500)
    page.reload()
    page.wait_for_function(READY)
    page.get_by_text("0:00:12").first.wait_for()
    checked(page, "recordings-player-cut-fr-laptop", axe_script)


@pytest.fixture
def filmed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """A ready recording in which the speaker's camera was on from the second second."""
    monkeypatch.setattr(django_settings, "DATA_DIR", tmp_path)
    monkeypatch.setattr(services, "SETTLE_SECONDS", 0.01)
    session = SessionFactory.create(meeting__languages=["en", "fr"], title="Plénière 5")
    return packaged_recording(session, seconds=30.0, video=True)


def test_a_delegate_watches_the_speaker_then_goes_sound_only_on_a_laptop_in_french(
    new_page: Any, live_url: str, filmed: Any, axe_script: Path
) -> None:
    page = browser_for(new_page, live_url, delegate_of(filmed), language="fr", size=LAPTOP)
    page.goto(f"{live_url}/recordings/{filmed.pk}/#t=6")
    page.wait_for_function(READY)
    page.wait_for_function("() => window.plenaryRecording.video() === 1280")
    page.locator("input[name=track][data-channel=fr]").check()
    page.wait_for_function("() => window.plenaryRecording.track() === 1")
    page.evaluate("() => { const a = window.plenaryRecording.audio; a.muted = true; a.play(); }")
    page.wait_for_function("() => window.plenaryRecording.audio.currentTime > 7")
    checked(page, "recordings-video-fr-laptop", axe_script)
    before = page.evaluate("window.plenaryRecording.audio.currentTime")
    page.get_by_label(_t("fr", "Sound only (for a weak connection)")).check()
    page.wait_for_function(READY)
    page.wait_for_function("() => window.plenaryRecording.video() === 0")
    page.wait_for_function(f"() => window.plenaryRecording.audio.currentTime >= {before}")
    assert page.evaluate("window.plenaryRecording.track()") == 1  # still in French
    assert not page.evaluate("window.plenaryRecording.audio.paused")  # still playing
    page.get_by_label(_t("fr", "Sound and picture")).check()
    page.wait_for_function("() => window.plenaryRecording.video() === 1280")
    assert page.evaluate("window.plenaryRecording.audio.currentTime") >= before


def test_the_speaker_is_seen_on_a_phone_in_arabic(
    new_page: Any, live_url: str, filmed: Any, axe_script: Path
) -> None:
    page = browser_for(new_page, live_url, delegate_of(filmed), language="ar", size=PHONE)
    page.goto(f"{live_url}/recordings/{filmed.pk}/#t=10")
    page.wait_for_function(READY)
    page.wait_for_function("() => window.plenaryRecording.video() === 1280")
    page.wait_for_function("() => window.plenaryRecording.audio.readyState >= 2")
    box = page.locator("#recording-audio").bounding_box()
    assert box is not None and box["width"] <= 390 and box["height"] > 100
    assert page.get_by_label(_t("ar", "Sound and picture")).is_checked()
    checked(page, "recordings-video-ar-phone", axe_script)
