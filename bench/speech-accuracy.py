# ruff: noqa: E402 - Django is set up before the speech modules are imported.
"""Speech accuracy on real human speech: the live path against the same model offline.

For every clip of the development set (``src/plenary/speech/tests/devset``:
real recordings in the six languages, their transcripts and licences), the
model the product picks for the language (``catalog.pick_asr``) recognises it
twice, from the same decoded audio:

- live: the worker's path (LocalAgreement-2 policy, Silero VAD, end-of-speech
  pass, the worker's batched decoding), fed one second of audio at a time and
  then silence, as a mix goes on after the speaker stops;
- offline (the baseline): faster-whisper's own transcription of the whole clip
  (beam 5, temperature fallback).

Figures per language: word error rate (character error rate for Chinese) of
each against the reference transcripts, summed over the language's clips, and
the final captions that repeat an earlier one (goal: none). The goal is live
at most 2 points above offline. Accuracy does not depend on the machine's
speed (the live path runs in audio time); latency is ``./scripts/bench speech``.

Run: ``./scripts/bench speech-accuracy [--languages fr ar] [--per-language 5]``;
``--record`` keeps the figures in the data folder, where ``plenary models``
shows them next to each language.
"""

from __future__ import annotations

import argparse
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "plenary.config.settings")

import django

django.setup()

from _figures import figure

from plenary.speech.engines import catalog, loader, quality
from plenary.speech.tests import devset

BENCH = "speech-accuracy"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--languages", nargs="*", help="UN codes (default: all in the set)")
    parser.add_argument("--per-language", type=int, default=None, help="clips per language")
    parser.add_argument("--verbose", action="store_true", help="print each clip's texts")
    parser.add_argument(
        "--record", action="store_true", help="keep the figures for `plenary models`"
    )
    args = parser.parse_args()
    worst_gap = 0.0
    for language, clips in devset.by_language(args.per_language).items():
        if args.languages and language not in args.languages:
            continue
        info = catalog.pick_asr(language)
        model = loader.recognizer(info)
        live_pairs, offline_pairs, repeated = [], [], 0
        for clip in clips:
            audio = clip.audio()
            heard = devset.live(model, audio, language)
            reference = devset.offline(model, audio, language)
            live_pairs.append((clip.text, heard.text))
            offline_pairs.append((clip.text, reference))
            repeated += heard.repeated
            if args.verbose:
                print(f"# {clip.name}\n#  ref     {clip.text}\n#  offline {reference}", flush=True)
                print(f"#  live    {heard.text}", flush=True)
        unit = "% CER" if language.startswith("zh") else "% WER"
        live = 100 * devset.error_rate(live_pairs, language)
        offline = 100 * devset.error_rate(offline_pairs, language)
        worst_gap = max(worst_gap, live - offline)
        if args.record:
            figures = {"live": live, "offline": offline, "clips": len(clips)}
            quality.record(info.name, language, {**figures, "metric": unit.rsplit(maxsplit=1)[-1]})
        metric = f"{language}_{info.name}"
        figure(BENCH, f"{metric}_live_error", live, unit, offline)
        figure(BENCH, f"{metric}_repeated_finals", repeated, "captions", 0)
        figure(BENCH, f"{metric}_clips", len(clips), "clips", None)
    figure(BENCH, "worst_live_minus_offline", worst_gap, "points", 2.0)


if __name__ == "__main__":
    main()
