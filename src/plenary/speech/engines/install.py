"""Installing an operator's model (``plenary models add PATH``).

A model is recognised as the catalog would find it (a CTranslate2 Whisper
folder, a CTranslate2 MT folder with its ``plenary-mt.json``, an Argos
``.argosmodel``, a Piper ``.onnx`` with its ``.onnx.json``), its SHA-256 is
computed (and compared when the operator gives one), it is loaded and run
once (a second of silence recognised, a sentence translated, a word spoken),
and only then copied into the first model folder (``PLENARY_SPEECH_MODEL_DIRS``),
under a temporary name first and renamed in one step: a model that fails any
check is never seen by a worker, and an interrupted copy leaves nothing that
looks like a model. Each installed model's checksum is kept in the folder's
``installed.json``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings
from django.utils import timezone

from plenary.speech.engines import catalog
from plenary.speech.engines.base import ASR_SAMPLE_RATE, EngineError
from plenary.speech.engines.catalog import ModelInfo

RECORD = "installed.json"


@dataclass(frozen=True)
class Installed:
    info: ModelInfo
    sha256: str


def model_folder() -> Path:
    """Where ``add`` installs: the first configured model folder."""
    if not settings.SPEECH_MODEL_DIRS:
        raise EngineError("No model folder is configured (PLENARY_SPEECH_MODEL_DIRS).")
    return Path(settings.SPEECH_MODEL_DIRS[0])


def _files(source: Path) -> list[Path]:
    """The files that make the model: a folder's files, or a voice and its config."""
    if source.is_dir():
        return sorted(p for p in source.rglob("*") if p.is_file())
    if source.suffix == ".onnx":
        return [source, source.with_suffix(".onnx.json")]
    return [source]


def checksum(source: Path) -> str:
    """SHA-256 over the model's files: their paths relative to it and their bytes."""
    digest = hashlib.sha256()
    base = source if source.is_dir() else source.parent
    for path in _files(source):
        digest.update(str(path.relative_to(base)).encode() + b"\0")
        with path.open("rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def identify(source: Path) -> ModelInfo:
    try:
        info = catalog.identify(source)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EngineError(f"{source.name} cannot be read as a model: {exc}") from exc
    if info is None:
        raise EngineError(
            f"{source.name} is not a model Plenary knows (a CTranslate2 Whisper or MT folder, "
            "an .argosmodel, or a Piper .onnx with its .onnx.json)."
        )
    return info


def smoke_test(info: ModelInfo) -> None:
    """Load the model and run it once; any failure is an ``EngineError``."""
    from plenary.speech.engines.ctranslate import CTranslate2Translator, argos_translator
    from plenary.speech.engines.piper import PiperSynthesizer
    from plenary.speech.engines.whisper import WhisperRecognizer

    assert info.path is not None  # noqa: S101 - operator models have a path
    try:
        if info.task == "asr":
            recognizer = WhisperRecognizer(info.path, threads=1)
            silence = np.zeros(ASR_SAMPLE_RATE, dtype=np.float32)
            recognizer.transcribe(silence, language=info.languages[0])
        elif info.task == "mt":
            source, target = info.pairs[0]
            if info.engine == "argos":
                translator = argos_translator(catalog.extract_argos(info.path))
                translator.translate(["Test."], source=source, target=target)
            else:
                CTranslate2Translator(
                    info.path / info.options["model"],
                    source_spm=info.path / info.options["source_spm"],
                    target_spm=info.path / info.options["target_spm"],
                    language_tokens=info.options["language_tokens"],
                ).translate(["Test."], source=source, target=target)
        elif not len(PiperSynthesizer(info.path).synthesize("Test.").samples):
            raise EngineError("The voice spoke nothing.")
    except EngineError:
        raise
    except Exception as exc:
        raise EngineError(f"{info.name} does not run: {exc}") from exc


def install(source: Path, *, sha256: str | None = None, replace: bool = False) -> Installed:
    """Check ``source`` and install a copy of it; ``EngineError`` says why not."""
    source = source.resolve()
    if not source.exists():
        raise EngineError(f"{source} does not exist.")
    info = identify(source)
    digest = checksum(source)
    if sha256 is not None and digest != sha256.strip().lower():
        raise EngineError(f"{source.name}: SHA-256 is {digest}, not the one given.")
    smoke_test(info)
    folder = model_folder()
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / path.name for path in _files(source)] if source.is_file() else []
    target = folder / source.name
    if (target.exists() or any(t.exists() for t in targets)) and not replace:
        raise EngineError(f"{source.name} is already installed (--replace to replace it).")
    staging = Path(tempfile.mkdtemp(dir=folder, prefix=f".{source.name}.installing."))
    try:
        if source.is_dir():
            shutil.copytree(source, staging / source.name)
        else:
            for path in _files(source):
                shutil.copy2(path, staging / path.name)
        if checksum(staging / source.name) != digest:
            raise EngineError(f"{source.name} changed while it was copied.")
        for path in list(staging.iterdir()):
            destination = folder / path.name
            if destination.is_dir():
                shutil.rmtree(destination)
            os.replace(path, destination)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    _record(folder, source.name, digest)
    return Installed(identify(target), digest)


def _record(folder: Path, name: str, digest: str) -> None:
    path = folder / RECORD
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        record = {}
    record[name] = {"sha256": digest, "installed_at": timezone.now().isoformat()}
    staged = path.with_suffix(".tmp")
    staged.write_text(json.dumps(record, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(staged, path)


def recorded(folder: Path) -> dict[str, dict[str, str]]:
    """The checksums ``add`` kept for the models of ``folder``."""
    try:
        return dict(json.loads((folder / RECORD).read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}
