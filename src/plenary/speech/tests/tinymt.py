"""Build a tiny CTranslate2 translation model at test time (about 0.05 s).

Its weights are seeded random numbers, so its output is meaningless: tests
that use it assert the pipeline (tokenisation, routing, storage, delivery),
not the quality of the translation. The model follows the NLLB call pattern
(a ``__xx__`` language token before the source and as ``target_prefix``).
Other apps' tests may use it::

    from plenary.speech.tests.tinymt import build_tiny_mt_model
    folder = build_tiny_mt_model(tmp_path, pairs=[("en", "fr")])
    settings.SPEECH_MODEL_DIRS = [str(folder.parent)]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from plenary.core.languages import UN_LANGUAGES

_CORPUS = [
    "The meeting is called to order.",
    "I give the floor to the distinguished delegate of Spain.",
    "La sesión queda abierta y doy la palabra a Francia.",
    "La séance est ouverte, je donne la parole au délégué.",
    "The proposal on agenda item one point one is adopted.",
    "Thank you, Chair, for the opportunity to speak today.",
    "We support the draft resolution on the radio regulations.",
    "Merci, Monsieur le Président, nous appuyons le projet.",
    "Gracias, señor Presidente, apoyamos la propuesta.",
    "The secretariat will publish the report in six languages.",
]
_D_MODEL = 64
_FFN = 128
# OPUS-MT's size (6+6 layers, d=512, ffn 2048, 8 heads), for benchmarks.
OPUS_MT_SIZE = {"layers": 6, "heads": 8, "d_model": 512, "ffn": 2048, "vocab": 32_000}


def language_token(code: str) -> str:
    return f"__{code}__"


def _train_sentencepiece(folder: Path) -> Path:
    import sentencepiece

    prefix = folder / "sentencepiece"
    sentencepiece.SentencePieceTrainer.train(
        sentence_iterator=iter(_CORPUS * 4),
        model_prefix=str(prefix),
        vocab_size=360,
        character_coverage=1.0,
        user_defined_symbols=[language_token(code) for code in UN_LANGUAGES],
        hard_vocab_limit=False,
        minloglevel=2,
    )
    return prefix.with_suffix(".model")


def _shape(path: str, vocab: int, d: int, ffn: int) -> tuple[int, ...]:
    parts = path.split("/")
    leaf, owner = parts[-1], parts[-2]
    if leaf in {"gamma", "beta"}:
        return (d,)
    if owner.startswith("embeddings") or owner == "projection":
        return (vocab, d)
    block = parts[-3]
    if block == "self_attention":
        return (3 * d, d) if owner == "linear_0" else (d, d)
    if block == "attention":
        return (2 * d, d) if owner == "linear_1" else (d, d)
    if block == "ffn":
        return (ffn, d) if owner == "linear_0" else (d, ffn)
    raise ValueError(path)


def _random_spec(
    tokens: list[str],
    seed: int,
    *,
    layers: int = 2,
    heads: int = 4,
    d_model: int = _D_MODEL,
    ffn: int = _FFN,
) -> Any:
    from ctranslate2.specs import transformer_spec

    spec = transformer_spec.TransformerSpec.from_config(layers, heads)
    rng = np.random.default_rng(seed)

    def fill(layer: Any, name: str, value: Any) -> None:
        if value is None:
            shape = _shape(name, len(tokens), d_model, ffn)
            weights = rng.standard_normal(shape).astype(np.float32) * 0.1
            if name.endswith("gamma"):
                weights = np.ones(d_model, dtype=np.float32)
            setattr(layer, name.rsplit("/", maxsplit=1)[-1], weights)

    spec.encoder._visit(fill)
    spec.decoder._visit(fill)
    spec.register_source_vocabulary(tokens)
    spec.register_target_vocabulary(tokens)
    return spec


def build_tiny_mt_model(
    parent: Path,
    *,
    pairs: list[tuple[str, str]],
    name: str = "tiny-mt",
    seed: int = 167,
    size: dict[str, int] | None = None,
) -> Path:
    """Write a CTranslate2 model + SentencePiece + ``plenary-mt.json`` to ``parent/name``.

    ``size`` (e.g. :data:`OPUS_MT_SIZE`) builds a model of a real model's size,
    its vocabulary padded with unused tokens, for timing the decoding path.
    """
    import ctranslate2.converters
    import sentencepiece

    folder = parent / name
    folder.mkdir(parents=True, exist_ok=True)
    spm = _train_sentencepiece(folder)
    processor = sentencepiece.SentencePieceProcessor(model_file=str(spm))
    tokens = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    dims = dict(size or {})
    vocab = dims.pop("vocab", len(tokens))
    tokens += [f"<unused{i}>" for i in range(vocab - len(tokens))]
    spec = _random_spec(tokens, seed, **dims)

    class _SpecConverter(ctranslate2.converters.Converter):
        def _load(self) -> Any:
            return spec

    _SpecConverter().convert(str(folder / "model"), force=True)
    manifest = {
        "pairs": [list(pair) for pair in pairs],
        "model": "model",
        "spm": spm.name,
        "language_tokens": {code: language_token(code) for code in UN_LANGUAGES},
    }
    (folder / "plenary-mt.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder
