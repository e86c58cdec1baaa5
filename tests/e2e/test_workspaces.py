"""Workspaces in real browsers: two members post, reply, mention, react and read, live.

Jean, a French delegate on a phone, starts a topic that mentions Ana; Ana,
a Brazilian delegate on a laptop in Arabic, sees the notice in the header,
opens the topic and replies; her reply reaches Jean's page through the
workspace socket without a reload, and so does her reaction. Jean's
unfinished draft survives a reload. A moderator hides a message. Every page
passes axe-core's WCAG 2.1 AA rules and fits the phone's width; screenshots go
to ``/tmp/shots/walk/``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from plenary.documents.models import LibraryFile
from plenary.documents.tests import samples
from plenary.workspaces.models import Message, Notification, ReadMarker
from plenary.workspaces.tests.helpers import make_cast
from tests.e2e.a11y import LAPTOP, PHONE, browser_for, checked
from tests.e2e.a11y import translated as _t

pytestmark = pytest.mark.e2e


def test_two_members_post_reply_mention_react_and_read(
    live_url: str, new_page: Any, settings: Any, axe_script: Path
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    c = make_cast()
    channel_url = f"{live_url}/workspaces/sg17/c/general/"

    jean = browser_for(new_page, live_url, c.french, language="fr", size=PHONE)
    jean.goto(f"{live_url}/workspaces/")
    checked(jean, "workspaces-index-fr-phone", axe_script)
    jean.goto(channel_url)
    checked(jean, "workspaces-channel-fr-phone", axe_script)
    jean.get_by_label(_t("fr", "Topic")).fill("Plan de travail 2027")
    jean.get_by_label(_t("fr", "Message")).fill("Bonjour @ana, voici le **projet**.")
    jean.get_by_role("button", name=_t("fr", "Start the topic")).click()
    expect(jean.locator(".ws-message")).to_have_count(1)
    expect(jean.locator(".ws-message .ws-body strong")).to_have_text("projet")
    topic_url = jean.url.split("#")[0]
    checked(jean, "workspaces-topic-fr-phone", axe_script)

    ana = browser_for(new_page, live_url, c.brazilian, language="ar", size=LAPTOP)
    ana.goto(f"{live_url}/workspaces/sg17/")
    expect(ana.locator("html")).to_have_attribute("dir", "rtl")
    expect(ana.locator("[data-notice-count]")).to_have_text("1")  # the mention
    checked(ana, "workspaces-home-ar-laptop", axe_script)
    ana.goto(topic_url)
    expect(ana.locator(".ws-message .mention")).to_have_text("@ana")
    ana.get_by_label(_t("ar", "Message")).fill("شكراً @jean، سأرسل تعليقاتي.")
    ana.get_by_role("button", name=_t("ar", "Send"), exact=True).click()

    # Ana's reply appears on both pages through the socket (Jean's page is not reloaded).
    for page in (ana, jean):
        expect(page.locator(".ws-message")).to_have_count(2)
        expect(page.locator(".ws-message").nth(1)).to_contain_text("سأرسل تعليقاتي")
    expect(ana.get_by_label(_t("ar", "Message"))).to_have_value("")
    # Ana mentioned Jean: he has a notice, already read, since his page showed the message.
    assert Notification.objects.get(user=c.french).reason == "mention"

    # Ana reacts to Jean's message; Jean sees it live.
    first = ana.locator(".ws-message").first
    first.locator(".ws-react summary").click()
    first.locator(".ws-emoji button", has_text="👍").click()
    expect(jean.locator(".ws-message").first.locator(".ws-reaction")).to_have_text("👍 1")
    checked(ana, "workspaces-topic-ar-laptop", axe_script)

    # Jean's unfinished draft survives a reload.
    jean.get_by_label(_t("fr", "Message")).fill("Brouillon pas encore envoyé")
    jean.reload()
    expect(jean.get_by_label(_t("fr", "Message"))).to_have_value("Brouillon pas encore envoyé")
    checked(jean, "workspaces-topic-draft-fr-phone", axe_script)

    # Both have read everything: their markers stand at the last message.
    last = Message.objects.order_by("pk").last()
    assert last is not None
    for person in (c.french, c.brazilian):
        expect_marker(person, last.pk)

    # A moderator hides Ana's reply: it leaves Jean's page.
    moderator = browser_for(new_page, live_url, c.moderator, language="fr", size=LAPTOP)
    moderator.goto(topic_url)
    moderator.locator(".ws-message").nth(1).get_by_role(
        "button", name=_t("fr", "Hide"), exact=True
    ).click()
    expect(jean.locator(".ws-message")).to_have_count(1)
    expect(moderator.locator(".ws-message.is-hidden")).to_have_count(1)
    checked(moderator, "workspaces-topic-moderator-fr-laptop", axe_script)


def expect_marker(person: Any, message_id: int) -> None:
    """The person's read marker reaches ``message_id`` (the page reports it by socket)."""
    import time

    for _ in range(50):
        marker = ReadMarker.objects.filter(user=person).first()
        if marker is not None and marker.last_read_id >= message_id:
            return
        time.sleep(0.1)
    pytest.fail(f"{person} did not read up to {message_id}")


def test_a_file_posted_in_a_topic_lands_in_the_library_with_its_versions(
    live_url: str, new_page: Any, settings: Any, axe_script: Path, tmp_path: Path
) -> None:
    """Jean (French, phone) posts a draft with a file; Ana (Arabic, laptop) sees it arrive
    live, downloads it, finds it in the library and adds a named version."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    c = make_cast()
    draft = tmp_path / "X.1234-projet.docx"
    draft.write_bytes(samples.docx_bytes("Recommandation sur l'agilité cryptographique"))

    jean = browser_for(new_page, live_url, c.french, language="fr", size=PHONE)
    jean.goto(f"{live_url}/workspaces/sg17/c/general/")
    jean.get_by_label(_t("fr", "Topic")).fill("Projet X.1234")
    jean.get_by_label(_t("fr", "Message")).fill("Premier jet")
    jean.get_by_role("button", name=_t("fr", "Start the topic")).click()
    expect(jean.locator(".ws-message")).to_have_count(1)
    topic_url = jean.url.split("#")[0]
    ana = browser_for(new_page, live_url, c.brazilian, language="ar", size=LAPTOP)
    ana.goto(topic_url)
    jean.get_by_label(_t("fr", "Message")).fill("Voici le projet révisé.")
    jean.get_by_label(_t("fr", "Attach a file (PDF, DOCX, XLSX or PPTX)")).set_input_files(draft)
    jean.get_by_role("button", name=_t("fr", "Send"), exact=True).click()
    for page in (jean, ana):  # Ana's page gets it through the socket, not a reload
        attached = page.locator(".ws-message").nth(1).locator(".ws-attachments a")
        expect(attached).to_have_text("X.1234-projet")
    expect(jean.get_by_label(_t("fr", "Attach a file (PDF, DOCX, XLSX or PPTX)"))).to_have_value("")
    checked(jean, "workspaces-topic-file-fr-phone", axe_script)
    with ana.expect_download() as download:
        ana.locator(".ws-message").nth(1).locator(".ws-attachments a").click()
    assert Path(download.value.path()).read_bytes() == draft.read_bytes()

    # The library lists it; Ana adds a named version.
    ana.goto(f"{live_url}/workspaces/sg17/")
    ana.get_by_role("link", name=_t("ar", "Library"), exact=True).click()
    expect(ana.locator("html")).to_have_attribute("dir", "rtl")
    checked(ana, "workspaces-library-ar-laptop", axe_script)
    ana.get_by_role("link", name="X.1234-projet").click()
    ana.get_by_label(_t("ar", "Version name")).fill("بعد اجتماع المقرر")
    ana.get_by_label(_t("ar", "File (PDF, DOCX, XLSX or PPTX)")).set_input_files(draft)
    ana.get_by_role("button", name=_t("ar", "Add the version")).click()
    expect(ana.locator(".ws-versions > li")).to_have_count(2)
    expect(ana.locator(".ws-versions > li").first).to_contain_text("بعد اجتماع المقرر")
    checked(ana, "workspaces-library-document-ar-laptop", axe_script)
    assert [f.label for f in LibraryFile.objects.order_by("number")] == ["", "بعد اجتماع المقرر"]

    # Jean finds it by searching the workspace: the library above the messages.
    jean.goto(f"{live_url}/workspaces/sg17/search/?q=X.1234")
    expect(jean.locator(".ws-shelved a")).to_have_text("X.1234-projet")
    checked(jean, "workspaces-search-library-fr-phone", axe_script)
    jean.goto(f"{live_url}/workspaces/sg17/library/")
    checked(jean, "workspaces-library-fr-phone", axe_script)


def test_a_moderator_makes_a_group_on_a_phone_and_its_mention_reaches_its_members(
    live_url: str, new_page: Any, settings: Any, axe_script: Path
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    c = make_cast()
    groups_url = f"{live_url}/workspaces/sg17/groups/"
    moderator = browser_for(new_page, live_url, c.moderator, language="ar", size=PHONE)
    moderator.goto(groups_url)
    expect(moderator.locator("html")).to_have_attribute("dir", "rtl")
    moderator.get_by_text(_t("ar", "Make a group")).click()
    moderator.get_by_label(_t("ar", "Handle")).fill("rapporteurs")
    moderator.locator("#id_name").fill("المقررون")
    moderator.get_by_label(_t("ar", "Members")).fill("jean wanjiru")  # Wanjiru is no member
    moderator.get_by_role("button", name=_t("ar", "Make the group")).click()
    refusal = _t("ar", "%(person)s is not a member of this workspace.")
    expect(moderator.locator(".errorlist")).to_contain_text(refusal.split("%(person)s")[1].strip())
    checked(moderator, "workspaces-groups-refused-ar-phone", axe_script)
    moderator.get_by_label(_t("ar", "Members")).fill("jean")
    moderator.get_by_role("button", name=_t("ar", "Make the group")).click()
    expect(moderator.locator(".ws-group h2")).to_contain_text("@rapporteurs")

    checked(moderator, "workspaces-groups-ar-phone", axe_script)

    ana = browser_for(new_page, live_url, c.brazilian, language="fr", size=LAPTOP)
    ana.goto(groups_url)
    expect(ana.locator(".ws-group-members")).to_contain_text("Jean Dupont")
    expect(ana.get_by_text(_t("fr", "Make a group"))).to_have_count(0)  # members read only
    checked(ana, "workspaces-groups-fr-laptop", axe_script)
    ana.goto(f"{live_url}/workspaces/sg17/c/general/")
    ana.get_by_label(_t("fr", "Topic")).fill("Relecture")
    ana.get_by_label(_t("fr", "Message")).fill("@rapporteurs, pouvez-vous relire ?")
    ana.get_by_role("button", name=_t("fr", "Start the topic")).click()
    expect(ana.locator(".ws-message .mention")).to_have_text("@rapporteurs")
    assert list(Notification.objects.values_list("user__username", "reason")) == [
        ("jean", Notification.Reason.MENTION)
    ]


def test_an_organiser_makes_a_workspace_and_changes_its_settings(
    live_url: str, new_page: Any, settings: Any, axe_script: Path
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    c = make_cast()
    # A long name (cut with an ellipsis) beside the organiser's menu still fits the page.
    c.organiser.first_name, c.organiser.last_name = "Marie-Christine", "Abdelrahman-Vasconcelos"
    c.organiser.save(update_fields=["first_name", "last_name"])
    organiser = browser_for(new_page, live_url, c.organiser, language="fr", size=LAPTOP)
    organiser.goto(f"{live_url}/workspaces/new/")
    checked(organiser, "workspaces-new-fr-laptop", axe_script)
    organiser.get_by_label(_t("fr", "Address")).fill("kenya-q1")
    organiser.locator("#id_name").fill("Question 1 (Kenya)")
    organiser.get_by_label(_t("fr", "Member entities")).select_option(label="Kenya")
    organiser.get_by_role("button", name=_t("fr", "Create the workspace")).click()
    expect(organiser).to_have_url(f"{live_url}/workspaces/kenya-q1/")

    organiser = browser_for(new_page, live_url, c.organiser, language="ar", size=PHONE)
    organiser.goto(f"{live_url}/workspaces/kenya-q1/")
    organiser.get_by_role("link", name=_t("ar", "Settings")).click()
    expect(organiser.locator("html")).to_have_attribute("dir", "rtl")
    checked(organiser, "workspaces-settings-ar-phone", axe_script)
    organiser.locator("#id_name").fill("السؤال 1")
    organiser.get_by_label(_t("ar", "Language of the name")).select_option("ar")
    organiser.get_by_role("button", name=_t("ar", "Save")).click()
    expect(organiser.locator("h1")).to_have_text("السؤال 1")
    wanjiru = browser_for(new_page, live_url, c.outsider, language="fr", size=PHONE)
    wanjiru.goto(f"{live_url}/workspaces/")
    expect(wanjiru.get_by_role("link", name="Question 1 (Kenya)")).to_be_visible()  # by entity
