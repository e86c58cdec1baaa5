"""MT adapter: CTranslate2 conversions (OPUS-MT, NLLB) and Argos packages.

A model folder holds a CTranslate2 model and SentencePiece model(s). Models
with ``language_tokens`` (NLLB and the like) get the source token before the
text and the target token as ``target_prefix``; bilingual models (OPUS-MT,
most Argos packages) get the text alone.
"""

from __future__ import annotations

from pathlib import Path

from plenary.speech.engines.base import EngineError

_END = "</s>"


class CTranslate2Translator:
    def __init__(
        self,
        model_dir: Path,
        *,
        source_spm: Path,
        target_spm: Path,
        language_tokens: dict[str, str] | None = None,
        device: str = "cpu",
        threads: int = 1,
    ):
        import ctranslate2
        import sentencepiece

        try:
            self._translator = ctranslate2.Translator(
                str(model_dir),
                device=device,
                compute_type="int8",
                inter_threads=1,
                intra_threads=threads,
            )
            self._source = sentencepiece.SentencePieceProcessor(model_file=str(source_spm))
            self._target = sentencepiece.SentencePieceProcessor(model_file=str(target_spm))
        except (RuntimeError, ValueError, OSError) as exc:
            raise EngineError(f"Cannot load translation model from {model_dir}: {exc}") from exc
        self._tokens = language_tokens or {}

    def translate(self, texts: list[str], *, source: str, target: str) -> list[str]:
        """The one call into CTranslate2 and SentencePiece: their failures become
        :class:`EngineError`, the speech plane's error type."""
        if not texts:
            return []
        if self._tokens and (source not in self._tokens or target not in self._tokens):
            raise EngineError(f"The model has no token for {source} or {target}.")
        try:
            return self._translate(texts, source, target)
        except (RuntimeError, ValueError, TypeError, IndexError) as exc:
            raise EngineError(f"Translation from {source} to {target} failed: {exc}") from exc

    def _translate(self, texts: list[str], source: str, target: str) -> list[str]:
        pieces = [self._source.encode(text, out_type=str) for text in texts]
        prefix: list[list[str]] | None = None
        if self._tokens:
            pieces = [[self._tokens[source], *p, _END] for p in pieces]
            prefix = [[self._tokens[target]] for _ in texts]
        else:
            pieces = [[*p, _END] for p in pieces]
        # Bound the output so a degenerate model cannot loop for long.
        longest = max(len(p) for p in pieces)
        results = self._translator.translate_batch(
            pieces, target_prefix=prefix, beam_size=1, max_decoding_length=2 * longest + 16
        )
        skip = 1 if prefix else 0
        return [str(self._target.decode(r.hypotheses[0][skip:])).strip() for r in results]


def argos_translator(
    package: Path, *, device: str = "cpu", threads: int = 1
) -> CTranslate2Translator:
    """An unpacked Argos package: ``model/`` (CTranslate2) + ``sentencepiece.model``."""
    spm = package / "sentencepiece.model"
    return CTranslate2Translator(
        package / "model", source_spm=spm, target_spm=spm, device=device, threads=threads
    )
