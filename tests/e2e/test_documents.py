"""Documents in real browsers: a delegate submits, the secretariat publishes, the register
lists it, the secretariat puts it on the room's screen and a delegate follows page 3.

A French delegate on a phone uploads a contribution (a real DOCX, converted by
LibreOffice in a background job); the secretariat, on a laptop,
publishes it; an Arabic delegate on a phone finds it in the register, by
search. In the room, the secretariat shows it and turns to page 3: the Arabic
delegate's screen follows, detaches to read page 4 alone and comes back.
Every page passes axe-core's WCAG 2.1 AA rules and fits the phone's width.
Screenshots go to ``/tmp/shots/walk/``.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from plenary.accounts.tests.factories import StaffFactory
from plenary.accounts.tests.helpers import verified_session_cookie
from plenary.core.tasks import run_queued
from plenary.documents import screen
from plenary.documents.models import Document, FileVersion, Series
from plenary.documents.services import secretariat, submission
from plenary.documents.tests import samples
from plenary.documents.tests.factories import SeriesFactory
from plenary.floor.tests.factories import cast
from tests.e2e.a11y import LAPTOP, PHONE, browser_for, checked, screenshot
from tests.e2e.a11y import translated as _t

pytestmark = pytest.mark.e2e


def submitted_by_a_french_delegate(
    new_page: Any, live_url: str, c: Any, axe_script: Path, tmp_path: Path
) -> Document:
    """A French delegate on a phone submits a six-page contribution; LibreOffice converts it."""
    delegate = browser_for(new_page, live_url, c.delegate, language="fr", size=PHONE)
    delegate.goto(f"{live_url}/meetings/{c.session.meeting.code}/documents/submit/")
    checked(delegate, "documents-submit-fr-phone", axe_script)
    contribution = tmp_path / "contribution.docx"
    contribution.write_bytes(samples.docx_bytes("Réseaux quantiques sûrs", pages=6))
    delegate.get_by_label(_t("fr", "Title")).fill("Réseaux quantiques sûrs")
    delegate.get_by_label(_t("fr", "File (PDF, DOCX, XLSX or PPTX)")).set_input_files(
        str(contribution)
    )
    delegate.get_by_role("button", name=_t("fr", "Submit"), exact=True).click()
    expect(delegate.locator(".message-success")).to_contain_text("SG17-C-1")
    document = Document.objects.get()
    run_queued()  # LibreOffice converts it, as the task worker does
    file = FileVersion.objects.get(language_version__document=document)
    assert (file.processing, file.page_count) == ("done", 6), file.error
    delegate.reload()
    checked(delegate, "documents-detail-fr-phone", axe_script)
    delegate.locator(f"a[href='/documents/{document.pk}/fr/v1/pages/']").click()
    expect(delegate.locator(".doc-page img")).to_have_count(6)
    delegate.wait_for_function("() => document.querySelector('.doc-page img').naturalWidth > 0")
    checked(delegate, "documents-viewer-fr-phone", axe_script)
    return document


def found_by_an_arabic_delegate(reader: Any, live_url: str, code: str, axe_script: Path) -> None:
    """The register on a phone in Arabic, searched by a word of the document's text."""
    reader.goto(f"{live_url}/meetings/{code}/documents/?q=quantiques")
    expect(reader.locator("html")).to_have_attribute("dir", "rtl")
    expect(reader.locator("#register .doc-entry")).to_have_count(1)
    expect(reader.locator("#register")).to_contain_text("SG17-C-1")
    checked(reader, "documents-register-ar-phone", axe_script)
    reader.goto(f"{live_url}/meetings/{code}/documents/?q=absent")
    expect(reader.locator("#register .doc-entry")).to_have_count(0)


def room_of(page: Any, live_url: str, session_id: int, language: str) -> None:
    page.goto(f"{live_url}/live/sessions/{session_id}/")
    expect(page.locator("[data-connection]")).to_have_text(_t(language, "Connected"))


def test_submit_publish_register_and_follow_the_screen(
    live_url: str, new_page: Any, settings: Any, axe_script: Path, tmp_path: Path
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    c = cast()
    SeriesFactory.create(meeting=c.session.meeting, prefix="SG17-C-")
    document = submitted_by_a_french_delegate(new_page, live_url, c, axe_script, tmp_path)

    # The secretariat, on a laptop in Arabic, publishes it.
    staff = browser_for(new_page, live_url, c.secretariat, language="ar", size=LAPTOP)
    staff.goto(f"{live_url}/documents/{document.pk}/")
    checked(staff, "documents-detail-secretariat-ar-laptop", axe_script)
    staff.get_by_role("button", name=_t("ar", "Publish"), exact=True).click()
    expect(staff.locator("#document-state")).to_have_text(_t("ar", "Published"))

    reader = browser_for(new_page, live_url, c.onsite, language="ar", size=PHONE)
    found_by_an_arabic_delegate(reader, live_url, c.session.meeting.code, axe_script)

    # In the room, the secretariat shows it from page 2 and turns to page 3.
    room_of(staff, live_url, c.session.pk, "ar")
    room_of(reader, live_url, c.session.pk, "ar")
    expect(reader.locator("#doc-screen")).to_be_hidden()
    staff.locator("#doc-start-page").fill("2")
    staff.get_by_role("button", name=_t("ar", "Show on screen")).click()
    expect(reader.locator("#doc-screen")).to_have_attribute("data-page", "2")
    staff.locator("#doc-screen [data-doc-next]").click()
    expect(reader.locator("#doc-screen")).to_have_attribute("data-page", "3")
    caption = _t("ar", "Page %(page)s of %(count)s") % {"page": 3, "count": 6}
    expect(reader.locator("[data-doc-caption]")).to_have_text(caption)
    image = reader.locator("[data-doc-image]")
    expect(image).to_have_attribute("src", f"/documents/{document.pk}/fr/v1/pages/3.png")
    reader.wait_for_function(
        "() => { const i = document.querySelector('[data-doc-image]'); "
        "return i.complete && i.naturalWidth > 0; }"
    )
    reader.locator("#doc-screen").scroll_into_view_if_needed()
    checked(reader, "documents-screen-ar-phone", axe_script)
    screenshot(staff, "documents-screen-secretariat-ar-laptop")

    # The reader reads page 4 alone; the room stays on 3 and then moves on without them.
    reader.locator("[data-doc-next]").click()
    expect(reader.locator("#doc-screen")).to_have_attribute("data-page", "4")
    staff.locator("#doc-screen [data-doc-prev]").click()  # the room: 3 -> 2
    expect(staff.locator("#doc-screen")).to_have_attribute("data-page", "2")
    expect(reader.locator("#doc-screen")).to_have_attribute("data-page", "4")
    # A template string: its msgid and translations double the percent signs, as the page
    # gets it from {% translate %}.
    detached = _t("ar", "You are reading on your own; the room is on page %%(page)s.")
    expect(reader.locator("[data-doc-mode]")).to_have_text(
        detached.replace("%%", "%") % {"page": 2}
    )
    reader.locator("[data-doc-follow]").click()
    expect(reader.locator("#doc-screen")).to_have_attribute("data-page", "2")

    # A late joiner gets the room's page in the snapshot; clearing hides it everywhere.
    late = browser_for(new_page, live_url, c.vice_chair, language="fr", size=LAPTOP)
    room_of(late, live_url, c.session.pk, "fr")
    expect(late.locator("#doc-screen")).to_have_attribute("data-page", "2")
    staff.locator("[data-doc-clear]").click()
    expect(reader.locator("#doc-screen")).to_be_hidden()
    kinds = list(document.events.values_list("kind", flat=True))
    assert kinds == ["submitted", "published", "shown"]


def resident_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def test_a_200_mb_upload_keeps_the_servers_memory_flat(
    live_url: str, settings: Any, tmp_path: Path
) -> None:
    """The server (uvicorn in this process) receives 200 MB streamed from disk: its
    resident memory grows by far less than the file (Django spools the body and the file
    to disk); the file is stored whole. LibreOffice is left out (``/bin/false``): the
    conversion of 200 MB of media is not what this checks."""
    settings.SOFFICE = "/bin/false"
    c = cast()
    series = SeriesFactory.create(meeting=c.session.meeting, prefix="SG17-C-")
    large = tmp_path / "large.docx"
    samples.large_docx(large, 200)
    cookie = verified_session_cookie(c.delegate, live_url)
    port = int(live_url.rsplit(":", 1)[1])
    peak, before, done = [0], resident_kib(), threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], resident_kib())
            time.sleep(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        status = samples.post_submission(
            port, f"{cookie['name']}={cookie['value']}", c.session.meeting.code, series.pk, large
        )
    finally:
        done.set()
        sampler.join()
    run_queued()
    assert status == 302
    stored = FileVersion.objects.get()
    assert stored.size == large.stat().st_size
    growth_mib = (peak[0] - before) / 1024
    assert growth_mib < 64, f"the server's memory grew by {growth_mib:.0f} MiB for 200 MB"


def published_in(meeting: Any, title: str, access: str) -> Document:
    """A converted, published two-page document of ``meeting`` (by the secretariat)."""
    staff = StaffFactory.create()
    series = Series.objects.filter(meeting=meeting).first() or SeriesFactory.create(
        meeting=meeting, code="TD", prefix="TD-"
    )
    document = submission.submit(
        staff,
        series,
        submission.Submission(title=title, language="en", access=access),
        samples.upload("td.docx", samples.docx_bytes(title, pages=2)),
    )
    run_queued()
    return secretariat.publish(staff, document)


@pytest.mark.parametrize(("language", "size"), [("fr", PHONE), ("ar", LAPTOP)])
def test_the_public_webcast_shows_the_public_document_on_screen(
    live_url: str, new_page: Any, axe_script: Path, language: str, size: dict[str, int]
) -> None:
    from plenary.media.tests.fixtures import (
        WEBCAST_TOKEN,
        outside_any_event_loop,
        public_webcast_session,
    )

    session = public_webcast_session()
    chair = session.meeting.organiser
    public = published_in(session.meeting, "Draft agenda", Document.Access.PUBLIC)
    restricted = published_in(session.meeting, "Draft liaison", Document.Access.ACCREDITED)
    page = new_page(viewport=size, bypass_csp=True)
    page.context.add_cookies(
        [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_url}]
    )
    page.goto(f"{live_url}/services/webcast/{WEBCAST_TOKEN}/")
    expect(page.locator("[data-connection]")).to_have_text(_t(language, "Connected"))
    outside_any_event_loop(screen.do_show, chair, session.pk, public.pk, "en", 2)
    expect(page.locator("#doc-screen")).to_have_attribute("data-page", "2")
    page.wait_for_function(
        "() => { const i = document.querySelector('[data-doc-image]'); "
        "return i.complete && i.naturalWidth > 0; }"
    )
    assert page.locator("#doc-present").count() == 0  # nothing to control on a webcast
    page.locator("#doc-screen").scroll_into_view_if_needed()
    checked(
        page, f"documents-webcast-{language}-{'phone' if size is PHONE else 'laptop'}", axe_script
    )
    # A document for the participants only: the public is told, and sees neither it nor its pages.
    outside_any_event_loop(screen.do_show, chair, session.pk, restricted.pk, "en", 1)
    not_public = _t(
        language, "A document for the meeting\u2019s participants is on screen; it is not public."
    )
    expect(page.locator("[data-doc-mode]")).to_have_text(not_public)
    expect(page.locator("[data-doc-image]")).to_be_hidden()
    expect(page.locator("[data-doc-title]")).to_be_hidden()
