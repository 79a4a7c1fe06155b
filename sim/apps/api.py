"""The Python API's comparison, ``sim.compare``: an application above the world and the analyses
(docs/odd.md §14), re-exported lazily by the package's front door."""

from __future__ import annotations

from typing import Any

from analysis.compare import HEADLINE, run_comparison
from sim.scenario import Scenario, load_scenario


def compare(
    scenarios: "list[Scenario | str]",
    baseline: "Scenario | str" = "baseline",
    seeds: int = 30,
    seed: int = 0,
    metrics: "list[str] | None" = None,
    margins: "dict[str, float] | None" = None,
    weights: "dict[str, float] | None" = None,
    overrides: "dict[str, Any] | None" = None,
    workers: int = 1,
    progress: bool = False,
) -> Any:
    """Compare strategies with a baseline on the same seeds, as ``sesim compare`` does, and return the
    comparison (:class:`analysis.compare.Comparison`): its tables are DataFrames — ``table``
    (comparison.csv: every scenario × metric with the paired difference, Holm-consistent interval,
    margin and verdict), ``summary`` (one row per run), ``survival``, ``timeseries`` — and ``ranking``
    lists the strategies as the report ranks them.  ``margins``: the smallest difference that matters
    per metric (own unit); ``weights``: the ranking's weight per headline metric; ``overrides``:
    ``{"section.key": value}`` set in every scenario named by a string (as ``--set``)."""
    base = load_scenario(baseline, overrides) if isinstance(baseline, str) else baseline
    others = [load_scenario(s, overrides) if isinstance(s, str) else s for s in scenarios]
    scns = [base] + [s for s in others if s.name != base.name]
    return run_comparison(
        scns,
        base.name,
        seeds=seeds,
        root=seed,
        headline=list(metrics or HEADLINE),
        workers=workers,
        progress=progress,
        margins=margins,
        weights=weights,
    )
