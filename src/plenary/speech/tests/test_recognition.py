"""Recognition with the packaged Whisper models on speech synthesised at test time."""

from __future__ import annotations

import pytest

from plenary.speech.engines import catalog, loader
from plenary.speech.engines.base import ModelMissing, Recognizer
from plenary.speech.tests.speechdata import ENGLISH, SPANISH, Utterance, speak, word_error_rate


def _text(recognizer: Recognizer, audio: object, language: str, beam: int = 1) -> str:
    return "".join(w.text for w in recognizer.transcribe(audio, language=language, beam_size=beam))  # type: ignore[arg-type]


def test_tiny_en_recognises_piper_english(tiny_en: Recognizer, piper_english: Utterance) -> None:
    spoken = piper_english
    assert word_error_rate(spoken.text, _text(tiny_en, spoken.audio, "en")) <= 0.15


def test_tiny_en_recognises_espeak_english(tiny_en: Recognizer) -> None:
    spoken = speak(ENGLISH, "en", engine="espeak-ng")
    assert word_error_rate(spoken.text, _text(tiny_en, spoken.audio, "en")) <= 0.3


def test_base_recognises_espeak_spanish(whisper_base: Recognizer) -> None:
    # espeak-ng's Spanish is robotic; the reference measured 15 % on longer text.
    spoken = speak(SPANISH, "es", engine="espeak-ng")
    assert word_error_rate(spoken.text, _text(whisper_base, spoken.audio, "es", beam=5)) <= 0.5


def test_english_gets_the_english_only_model() -> None:
    assert catalog.pick_asr("en").name == "whisper-tiny.en"
    assert catalog.pick_asr("fr").name == "whisper-base"


def test_whisper_base_is_assembled_to_its_full_size() -> None:
    folder = catalog.assemble_whisper_base()
    assert (folder / "model.bin").stat().st_size == catalog.WHISPER_BASE_SIZE
    assert {"config.json", "tokenizer.json", "vocabulary.txt"} <= {p.name for p in folder.iterdir()}


def test_unknown_language_has_no_recogniser() -> None:
    with pytest.raises(ModelMissing):
        catalog.pick_asr("xx")


def test_loader_returns_the_same_model_twice(tiny_en: Recognizer) -> None:
    assert loader.recognizer(catalog.pick_asr("en")) is tiny_en


def test_chinese_captions_are_written_in_simplified_characters() -> None:
    """Whisper writes Chinese in either script; the UN's Chinese is simplified."""
    from plenary.speech.engines.whisper import _written

    assert _written("國際電信聯盟會議", "zh") == "国际电信联盟会议"
    assert _written("Союз", "ru") == "Союз"  # other languages untouched
