"""``plenary models add``: an operator's model is checked before any worker sees it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings

from plenary.speech.engines import catalog, install
from plenary.speech.tests.tinymt import build_tiny_mt_model


@pytest.fixture
def models(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "models"
    with override_settings(SPEECH_MODEL_DIRS=[str(folder)]):
        yield folder


def _installed_names() -> list[str]:
    return [m.name for m in catalog.installed_models() if m.origin == "operator"]


def test_a_model_that_runs_is_installed_with_its_checksum(models: Path, tmp_path: Path) -> None:
    model = build_tiny_mt_model(tmp_path / "incoming", pairs=[("en", "fr")])
    call_command("models", "add", str(model))
    assert _installed_names() == ["tiny-mt"]
    record = install.recorded(models)
    assert record["tiny-mt"]["sha256"] == install.checksum(model)


def test_a_corrupt_model_file_is_refused_and_nothing_is_installed(
    models: Path, tmp_path: Path
) -> None:
    model = build_tiny_mt_model(tmp_path / "incoming", pairs=[("en", "fr")])
    weights = model / "model" / "model.bin"
    weights.write_bytes(weights.read_bytes()[: weights.stat().st_size // 2])  # cut short
    with pytest.raises(CommandError, match="Cannot load translation model"):
        call_command("models", "add", str(model))
    assert _installed_names() == []
    assert not models.exists() or [p.name for p in models.iterdir()] == []


def test_a_corrupt_whisper_folder_is_refused(models: Path, tmp_path: Path) -> None:
    folder = tmp_path / "whisper-large"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"lang_ids": [50259]}), encoding="utf-8")
    (folder / "model.bin").write_bytes(b"not a model" * 100)
    with pytest.raises(CommandError, match="Not installed"):
        call_command("models", "add", str(folder))
    assert _installed_names() == []


def test_a_model_whose_checksum_differs_is_refused(models: Path, tmp_path: Path) -> None:
    model = build_tiny_mt_model(tmp_path / "incoming", pairs=[("en", "fr")])
    with pytest.raises(CommandError, match="SHA-256"):
        call_command("models", "add", str(model), "--sha256", "0" * 64)
    assert _installed_names() == []


def test_an_installed_model_is_replaced_only_when_asked(models: Path, tmp_path: Path) -> None:
    model = build_tiny_mt_model(tmp_path / "incoming", pairs=[("en", "fr")])
    call_command("models", "add", str(model))
    with pytest.raises(CommandError, match="already installed"):
        call_command("models", "add", str(model))
    call_command("models", "add", str(model), "--replace")
    assert _installed_names() == ["tiny-mt"]


def test_something_that_is_no_model_is_refused(models: Path, tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(CommandError, match="not a model Plenary knows"):
        call_command("models", "add", str(text))


def test_the_model_list_shows_what_the_development_set_measured(tmp_path: Path) -> None:
    from io import StringIO

    from plenary.speech.engines import quality

    with override_settings(DATA_DIR=tmp_path):
        asr = catalog.pick_asr("fr").name
        quality.record(asr, "fr", {"live": 12.04, "offline": 9.5, "clips": 5, "metric": "WER"})
        out = StringIO()
        call_command("models", stdout=out)
    line = next(row for row in out.getvalue().splitlines() if row.startswith("fr "))
    assert f"{asr} live WER 12.0% (offline 9.5%, 5 clips)" in line
