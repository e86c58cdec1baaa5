"""The benchmarks' output: one JSON line per figure, with the load average it was
measured under (docs/benchmarks.md). No Django here: a bench imports it before
choosing its database."""

from __future__ import annotations

import json
import os
import statistics


def figure(
    bench: str, metric: str, value: float, unit: str, baseline: float | None, *, digits: int = 1
) -> None:
    rounded = None if baseline is None else round(baseline, digits)
    line = {"bench": bench, "metric": metric, "value": round(value, digits), "unit": unit}
    line |= {"baseline": rounded, "load1": round(os.getloadavg()[0], 2)}
    print(json.dumps(line), flush=True)


def spread(bench: str, metric: str, values: list[float], unit: str, baseline: float | None) -> None:
    """``metric``'s min, median and max over repeated runs, as three figures."""
    for name, value in (
        ("min", min(values)),
        ("median", statistics.median(values)),
        ("max", max(values)),
    ):
        figure(bench, f"{metric}_{name}", value, unit, baseline, digits=3)
