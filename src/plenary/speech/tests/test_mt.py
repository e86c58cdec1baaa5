"""MT through the real CTranslate2 path, with a tiny model built at test time."""

from __future__ import annotations

from pathlib import Path

import pytest

from plenary.speech import mt


def test_available_pairs_lists_operator_models(speech_models: Path) -> None:
    assert {("en", "es"), ("es", "en"), ("en", "fr"), ("fr", "en")} <= mt.available_pairs()


def test_no_pairs_without_operator_models(settings: object) -> None:
    assert mt.available_pairs() == set()


def test_translate_texts_returns_one_text_per_input(speech_models: Path) -> None:
    texts = ["The meeting is called to order.", "Thank you, Chair."]
    translated = mt.translate_texts(texts, "en", "es")
    assert len(translated) == 2
    assert all(isinstance(text, str) and text for text in translated)
    assert translated != texts


def test_argos_package_translates(speech_models: Path) -> None:
    assert mt.translate_texts(["La séance est ouverte."], "fr", "en")[0]


def test_missing_pair_raises_model_missing(speech_models: Path) -> None:
    with pytest.raises(mt.ModelMissing):
        mt.translate_texts(["Спасибо"], "ru", "ar")


def test_same_language_is_returned_unchanged(speech_models: Path) -> None:
    assert mt.translate_texts(["Hello"], "en", "en") == ["Hello"]


def test_glossary_terms_are_forced_before_translation() -> None:
    glossary = {"radio regulations": "Reglamento de Radiocomunicaciones", "ITU": "UIT"}
    forced = mt._force_terms("The ITU amends the Radio Regulations.", glossary)
    assert forced == "The UIT amends the Reglamento de Radiocomunicaciones."
