"""Speech fixtures: each model loads once per test session (2 cores are slow)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from plenary.core.tests.live import serving
from plenary.speech.engines import catalog, loader
from plenary.speech.engines.base import Recognizer
from plenary.speech.tests.speechdata import ENGLISH, Utterance, speak
from plenary.speech.tests.tinymt import build_tiny_mt_model


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An operator folder with a tiny CTranslate2 model (en<->es, en->fr) and an Argos package."""
    folder = tmp_path_factory.mktemp("models")
    tiny = build_tiny_mt_model(folder, pairs=[("en", "es"), ("es", "en"), ("en", "fr")])
    metadata = {"package_version": "1.0", "from_code": "fr", "to_code": "en"}
    with zipfile.ZipFile(folder / "translate-fr_en-1_0.argosmodel", "w") as package:
        package.writestr("translate-fr_en-1_0/metadata.json", json.dumps(metadata))
        package.write(tiny / "sentencepiece.model", "translate-fr_en-1_0/sentencepiece.model")
        for file in (tiny / "model").iterdir():
            package.write(file, f"translate-fr_en-1_0/model/{file.name}")
    return folder


@pytest.fixture
def speech_models(settings: Any, model_dir: Path) -> Iterator[Path]:
    settings.SPEECH_MODEL_DIRS = [str(model_dir)]
    yield model_dir


@pytest.fixture(scope="session")
def tiny_en() -> Recognizer:
    return loader.recognizer(catalog.pick_asr("en"))


@pytest.fixture(scope="session")
def whisper_base() -> Recognizer:
    return loader.recognizer(catalog.pick_asr("es"))


@pytest.fixture(scope="session")
def piper_english() -> Utterance:
    return speak(ENGLISH, "en")


@pytest.fixture
def live_server_url(transactional_db: None) -> Iterator[str]:
    """The project served by uvicorn (HTTP and WebSockets, Plenary's protocol) in a
    thread of this process, against the test database, as ``tests/conftest.py``'s
    ``live_url`` for the browser tests; real worker processes connect to it."""
    with serving() as url:
        yield url
