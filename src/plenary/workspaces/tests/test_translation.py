"""Reading a message in one's language: the author's translation first, a cached machine one
next (through the speech plane's MT path and its tiny test model: meaningless output, the
routing is what is checked), the original always kept and one click away."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from plenary.core.errors import PermissionRefusal, Refusal
from plenary.workspaces.models import Message, MessageTranslation
from plenary.workspaces.services import messages as posting
from plenary.workspaces.services import translation
from plenary.workspaces.tests.helpers import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(cast: Cast) -> Message:
    return posting.do_start_topic(
        cast.brazilian,
        cast.place(cast.brazilian),
        cast.general.pk,
        "Work plan",
        "Thank you for the draft.",
        language="en",
    )


@pytest.fixture
def en_fr_model(tmp_path: Path, settings: Any) -> None:
    from plenary.speech.tests.tinymt import build_tiny_mt_model

    build_tiny_mt_model(tmp_path, pairs=[("en", "fr")])
    settings.SPEECH_MODEL_DIRS = [str(tmp_path)]


def test_a_machine_translation_is_made_once_labelled_and_kept_apart(
    cast: Cast, english: Message, en_fr_model: None
) -> None:
    place = cast.place(cast.french)
    shown = translation.read_in(place, english.pk, "fr")
    assert (shown.kind, shown.language) == ("machine", "fr") and shown.html
    again = translation.read_in(place, english.pk, "fr")
    assert again == shown and MessageTranslation.objects.count() == 1
    english.refresh_from_db()
    assert english.text == "Thank you for the draft."  # the original is untouched
    assert translation.read_in(place, english.pk, "en").kind == "original"


def test_no_model_for_the_pair_says_so_and_the_original_stays(cast: Cast, english: Message) -> None:
    with pytest.raises(Refusal) as refused:
        translation.read_in(cast.place(cast.french), english.pk, "ru")
    assert refused.value.code == "no_translation"
    assert not MessageTranslation.objects.exists()


def test_the_authors_translation_comes_first_and_is_stale_after_an_edit(
    cast: Cast, english: Message, en_fr_model: None
) -> None:
    author = cast.place(cast.brazilian)
    translation.do_translate_own(cast.brazilian, author, english.pk, "fr", "Merci pour le projet.")
    shown = translation.read_in(cast.place(cast.french), english.pk, "fr")
    assert (shown.kind, shown.html) == ("human", "<p>Merci pour le projet.</p>\n")
    posting.do_edit(cast.brazilian, author, english.pk, "Thank you for the second draft.")
    assert translation.read_in(cast.place(cast.french), english.pk, "fr").kind == "machine"
    assert translation.own_translations(Message.objects.get(pk=english.pk)) == {}


def test_only_the_author_gives_a_translation_and_into_another_language(
    cast: Cast, english: Message
) -> None:
    with pytest.raises(PermissionRefusal):
        translation.do_translate_own(
            cast.french, cast.place(cast.french), english.pk, "fr", "Merci."
        )
    with pytest.raises(Refusal):
        translation.do_translate_own(
            cast.brazilian, cast.place(cast.brazilian), english.pk, "en", "Thanks."
        )
    with pytest.raises(Refusal):
        translation.do_translate_own(
            cast.brazilian, cast.place(cast.brazilian), english.pk, "xx", "Thanks."
        )
    assert not MessageTranslation.objects.exists()


def test_the_page_asks_for_it_as_json_in_the_readers_language(
    client: Client, cast: Cast, english: Message, en_fr_model: None
) -> None:
    client.force_login(cast.french)
    url = f"/workspaces/sg17/messages/{english.pk}/in/fr/"
    reply = client.get(url, HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="fr").json()
    assert reply["kind"] == "machine"
    assert reply["label"] == "Traduction automatique — l’original est à un clic"  # noqa: RUF001
    topic = client.get(
        f"/workspaces/sg17/c/general/{english.topic_id}/", HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert f'href="/workspaces/sg17/messages/{english.pk}/in/fr/"' in topic
    refused = client.get(
        f"/workspaces/sg17/messages/{english.pk}/in/ru/", HTTP_ACCEPT="application/json"
    )
    assert refused.status_code == 400 and refused.json()["error"]["code"] == "no_translation"
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
