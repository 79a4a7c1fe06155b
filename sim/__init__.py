"""sesim: agent-based simulation of school–enterprise cooperation (校企协同育人).

Light at import: the model, Mesa and pandas load only when used.
"""
from __future__ import annotations

from typing import Any

from .scenario import Scenario, ScenarioError, load_scenario

__version__ = "0.2.0"        # the one place: pyproject.toml reads it, CHANGELOG.md names it
__all__ = ["CooperationModel", "Scenario", "ScenarioError", "compare", "load_scenario", "run", "__version__"]


def run(scenario: Scenario | str, seeds: int = 10, seed: int | None = None, workers: int = 1,
        progress: bool = False, decisions: Any = None) -> Any:
    """Run replicates; return (summary, timeseries) as pandas DataFrames.  ``decisions``: a decision
    log file (CSV or Parquet) or a loaded :class:`sim.policy.DecisionLog` the agents follow."""
    from .runner import run_replicates
    scn = load_scenario(scenario) if isinstance(scenario, str) else scenario
    if decisions is not None and not hasattr(decisions, "schedule"):
        from .policy import load_decisions
        decisions = load_decisions(decisions, scn.params)
    res = run_replicates(scn, seeds=seeds, seed=seed, workers=workers, progress=progress, decisions=decisions)
    return res.summary, res.timeseries


def compare(scenarios: "list[Scenario | str]", baseline: "Scenario | str" = "baseline", seeds: int = 30,
            seed: int = 0, metrics: "list[str] | None" = None, margins: "dict[str, float] | None" = None,
            weights: "dict[str, float] | None" = None, overrides: "dict[str, Any] | None" = None,
            workers: int = 1, progress: bool = False) -> Any:
    """Compare strategies with a baseline on the same seeds, as ``sesim compare`` does, and return the
    comparison (:class:`analysis.compare.Comparison`): its tables are DataFrames — ``table``
    (comparison.csv: every scenario × metric with the paired difference, Holm-consistent interval,
    margin and verdict), ``summary`` (one row per run), ``survival``, ``timeseries`` — and ``ranking``
    lists the strategies as the report ranks them.  ``margins``: the smallest difference that matters
    per metric (own unit); ``weights``: the ranking's weight per headline metric; ``overrides``:
    ``{"section.key": value}`` set in every scenario named by a string (as ``--set``)."""
    from analysis.compare import HEADLINE, run_comparison
    base = load_scenario(baseline, overrides) if isinstance(baseline, str) else baseline
    others = [load_scenario(s, overrides) if isinstance(s, str) else s for s in scenarios]
    scns = [base] + [s for s in others if s.name != base.name]
    return run_comparison(scns, base.name, seeds=seeds, root=seed, headline=list(metrics or HEADLINE),
                          workers=workers, progress=progress, margins=margins, weights=weights)


def __getattr__(name: str) -> Any:
    if name == "CooperationModel":
        from .model import CooperationModel
        return CooperationModel
    raise AttributeError(name)
