"""Searching a workspace's messages in six languages, with filters, on the database's index."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from plenary.core.search import split_stored
from plenary.workspaces import search
from plenary.workspaces.models import Message
from plenary.workspaces.services import messages as posting
from plenary.workspaces.tests.helpers import Cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(cast: Cast) -> dict[str, Message]:
    def say(who: object, title: str, text: str) -> Message:
        return posting.do_start_topic(who, cast.place(who), cast.general.pk, title, text)

    return {
        "ar": say(cast.french, "الاتصالات", "نناقش أمن الاتصالات الكمومية في الاجتماع."),
        "zh": say(cast.brazilian, "术语", "建议统一使用抗量子一词。"),
        "fr": say(cast.french, "Réseaux", "Les Réseaux à sécurité quantique, révision."),
        "en": say(cast.brazilian, "Plan", "The work plan for quantum-safe networks."),
    }


def found(cast: Cast, who: object, **filters: object) -> set[int]:
    place = cast.place(who)
    return set(search.messages(place, search.Filters(**filters)).values_list("pk", flat=True))  # type: ignore[arg-type]


def test_arabic_is_found_without_its_article_and_across_letter_variants(
    cast: Cast, corpus: dict[str, Message]
) -> None:
    assert found(cast, cast.french_too, query="اتصالات") == {corpus["ar"].pk}
    assert found(cast, cast.french_too, query="والاتصالات") == {corpus["ar"].pk}


def test_chinese_is_found_by_a_run_of_characters_side_by_side(
    cast: Cast, corpus: dict[str, Message]
) -> None:
    assert found(cast, cast.french_too, query="抗量子") == {corpus["zh"].pk}
    assert found(cast, cast.french_too, query="子量抗") == set()


def test_accents_and_case_are_folded_and_every_word_must_match(
    cast: Cast, corpus: dict[str, Message]
) -> None:
    assert found(cast, cast.french_too, query="reseaux REVISION") == {corpus["fr"].pk}
    assert found(cast, cast.french_too, query="quantum plan") == {corpus["en"].pk}


def test_filters_by_author_entity_channel_and_date(cast: Cast, corpus: dict[str, Message]) -> None:
    everything = {m.pk for m in corpus.values()}
    assert found(cast, cast.french_too) == everything
    assert found(cast, cast.french_too, author_id=cast.brazilian.pk) == {
        corpus["zh"].pk,
        corpus["en"].pk,
    }
    assert found(cast, cast.french_too, entity_id=cast.france.pk) == {
        corpus["ar"].pk,
        corpus["fr"].pk,
    }
    today = timezone.localdate()
    assert found(cast, cast.french_too, since=today) == everything
    assert found(cast, cast.french_too, until=today - dt.timedelta(days=1)) == set()
    assert found(cast, cast.french_too, channel_id=cast.general.pk) == everything


def test_a_hidden_message_is_found_by_moderators_and_its_author_only(
    cast: Cast, corpus: dict[str, Message]
) -> None:
    posting.do_hide(cast.moderator, cast.place(cast.moderator), corpus["fr"].pk)
    assert found(cast, cast.french_too, query="reseaux") == set()
    assert found(cast, cast.french, query="reseaux") == {corpus["fr"].pk}
    assert found(cast, cast.moderator, query="reseaux") == {corpus["fr"].pk}


def test_an_edit_is_searched_by_its_new_words(cast: Cast, corpus: dict[str, Message]) -> None:
    posting.do_edit(cast.brazilian, cast.place(cast.brazilian), corpus["en"].pk, "Spectrum sharing")
    assert found(cast, cast.french_too, query="quantum plan") == set()
    assert found(cast, cast.french_too, query="spectrum") == {corpus["en"].pk}


def test_the_search_page_lists_and_refuses_outsiders(
    client: Client, cast: Cast, corpus: dict[str, Message]
) -> None:
    client.force_login(cast.french_too)
    html = client.get("/workspaces/sg17/search/", {"q": "抗量子"}).content.decode()
    assert "建议统一使用抗量子一词" in html and "Les Réseaux" not in html
    bad = client.get("/workspaces/sg17/search/", {"since": "not a date", "channel": "x"})
    assert bad.status_code == 200  # the form says what is wrong
    client.force_login(cast.outsider)
    assert client.get("/workspaces/sg17/search/", {"q": "x"}).status_code == 404


def test_a_document_symbol_is_found_whole_on_either_engine(cast: Cast) -> None:
    place = cast.place(cast.french)
    symbol = posting.do_start_topic(
        cast.french, place, cast.general.pk, "Symbols", "Voir X.1234 et TD-12/rev.1."
    )
    assert found(cast, cast.french_too, query="x.1234") == {symbol.pk}
    assert found(cast, cast.french_too, query="TD-12/rev.1") == {symbol.pk}
    assert found(cast, cast.french_too, query="x.1235") == set()


def test_forms_stored_before_symbols_were_split_are_split_by_the_migration_step(
    cast: Cast,
) -> None:
    place = cast.place(cast.french)
    message = posting.do_start_topic(cast.french, place, cast.general.pk, "Old", "See it")
    old_form = f"inworkspace{cast.workspace.pk} see x.1234-projet"
    Message.objects.filter(pk=message.pk).update(search=old_form)
    split_stored(Message.objects, "search")
    message.refresh_from_db()
    assert message.search == f"inworkspace{cast.workspace.pk} see x 1234 projet"
    assert found(cast, cast.french_too, query="X.1234") == {message.pk}
