"""sesim: agent-based simulation of school–enterprise cooperation (校企协同育人).

Light at import: the model, Mesa and pandas load only when used; ``sim.compare`` (sim.apps.api) and the
analyses it needs only when it is first named.
"""

from __future__ import annotations

from typing import Any

from .scenario import Scenario, ScenarioError, load_scenario
from .version import __version__

__all__ = ["CooperationModel", "Scenario", "ScenarioError", "compare", "load_scenario", "run", "__version__"]


def run(
    scenario: Scenario | str,
    seeds: int = 10,
    seed: int | None = None,
    workers: int = 1,
    progress: bool = False,
    decisions: Any = None,
) -> Any:
    """Run replicates; return (summary, timeseries) as pandas DataFrames.  ``decisions``: a decision
    log file (CSV or Parquet) or a loaded :class:`sim.policy.DecisionLog` the agents follow."""
    from .runner import run_replicates

    scn = load_scenario(scenario) if isinstance(scenario, str) else scenario
    if decisions is not None and not hasattr(decisions, "schedule"):
        from .policy import load_decisions

        decisions = load_decisions(decisions, scn.params)
    res = run_replicates(scn, seeds=seeds, seed=seed, workers=workers, progress=progress, decisions=decisions)
    return res.summary, res.timeseries


def __getattr__(name: str) -> Any:
    if name == "CooperationModel":
        from .model import CooperationModel

        return CooperationModel
    if name == "compare":  # above the world: the apps' layer imports analysis (docs/odd.md §14)
        from .apps.api import compare

        return compare
    raise AttributeError(name)
