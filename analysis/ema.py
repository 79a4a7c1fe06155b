"""sesim as an EMA Workbench model (robust decision making): ``model(...)`` returns an
``ema_workbench.Model`` whose

- uncertainties are the behavioural parameters' plausible ranges (``behaviour.*`` fields of
  sim/params.py with a ``plausible`` range: calibrated, literature and assumption alike),
- levers are the strategy levers: every lever in which a named strategy differs from the baseline
  (switches as booleans, menus as categories, numbers over the range the strategies span),
- outcomes are sesim's metrics (docs/odd.md §7.6), the mean over ``seeds`` replicates.

EMA's own experiments, optimisation and scenario discovery then run on sesim::

    from ema_workbench import perform_experiments
    from analysis import ema
    experiments, outcomes = perform_experiments(ema.model(), scenarios=100, policies=4)

EMA names must be Python identifiers, so ``behaviour.job_finding_rate`` is ``behaviour__job_finding_rate``
there (:func:`ema_name`, :func:`sesim_key`).  Every experiment runs replicates ``seed .. seed + seeds - 1``
(common random numbers across experiments).  Needs the ``ema`` extra (:data:`INSTALL_HINT` says how).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Iterable

from sim.extras import install_hint
from sim.scenario import ScenarioError

INSTALL_HINT = install_hint("analysis.ema", "the EMA Workbench", "ema")
SEP = "__"  # EMA's names are identifiers: section__key


def ema_name(key: str) -> str:
    """``behaviour.job_finding_rate`` -> ``behaviour__job_finding_rate``."""
    return key.replace(".", SEP, 1)


def sesim_key(name: str) -> str:
    """``behaviour__job_finding_rate`` -> ``behaviour.job_finding_rate``."""
    return name.replace(SEP, ".", 1)


def import_ema() -> Any:
    try:
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import ema_workbench
    except ImportError:
        raise ScenarioError(INSTALL_HINT) from None
    return ema_workbench


def behaviour_ranges() -> dict[str, tuple[float, float, bool]]:
    """Every behavioural parameter with a plausible range: key -> (low, high, integer)."""
    from sim.params import SECTIONS

    out = {}
    for f in dataclasses.fields(SECTIONS["behaviour"]):
        m, default = f.metadata, f.default
        if (
            m.get("plausible")
            and isinstance(default, (int, float))
            and not isinstance(default, bool)
            and m["plausible"][1] > m["plausible"][0]
        ):
            lo, hi = m["plausible"]
            out[f"behaviour.{f.name}"] = (float(lo), float(hi), isinstance(default, int))
    return out


def strategy_lever_values(baseline: str = "baseline", strategies: Iterable[str] | None = None) -> dict[str, list[Any]]:
    """Each lever in which some strategy differs from the baseline: key -> the values the baseline and the
    strategies give it (every named strategy of levers by default: not those with industry colleges,
    docs/odd.md M18, whose tables are institutions rather than levers)."""
    from sim.scenario import builtin_names, load_scenario

    from .uncertainty import strategy_levers

    default = [n for n in builtin_names() if not load_scenario(n).params.colleges.tables]
    names = [n for n in (strategies if strategies is not None else default) if n != baseline]
    return strategy_levers([load_scenario(baseline)] + [load_scenario(n) for n in names])


def _plain(v: Any) -> Any:
    """EMA's numpy scalars as the Python values the scenario schema checks."""
    import numpy as np

    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, np.integer):
        return int(v)
    if isinstance(v, np.floating):
        return float(v)
    return v


@dataclasses.dataclass
class SesimFunction:
    """The function EMA calls: one experiment's uncertainties and levers -> the metrics' means over the
    replicates.  A dataclass (not a closure) so EMA's process pool can pickle it."""

    scenario: str
    overrides: dict[str, Any]
    outcomes: list[str]
    seeds: int
    seed: int

    def __call__(self, **experiment: Any) -> dict[str, float]:
        from sim.runner import run_replicates
        from sim.scenario import load_scenario

        values = {**self.overrides, **{sesim_key(k): _plain(v) for k, v in experiment.items()}}
        summary = run_replicates(load_scenario(self.scenario, values), seeds=self.seeds, seed=self.seed).summary
        return {m: float(summary[m].mean()) for m in self.outcomes}


def model(
    name: str = "sesim",
    scenario: str = "baseline",
    overrides: dict[str, Any] | None = None,
    strategies: Iterable[str] | None = None,
    outcomes: Iterable[str] | None = None,
    uncertainties: Iterable[str] | None = None,
    seeds: int = 1,
    seed: int = 0,
) -> Any:
    """An ``ema_workbench.Model`` of sesim.

    ``scenario``: the scenario every experiment starts from (its values stand where EMA sets none);
    ``overrides``: ``{"section.key": value}`` fixed in every experiment (e.g. a small region);
    ``strategies``: the named strategies whose levers become EMA's levers (default every built-in);
    ``outcomes``: metrics (default the headline metrics of ``sesim compare``); ``uncertainties``: keys to
    keep of the behavioural parameters with a plausible range (default all); ``seeds`` replicates from
    ``seed`` per experiment, the mean reported.
    """
    ema = import_ema()
    from sim.metrics import ALL_METRICS
    from sim.params import SECTIONS

    from .compare import HEADLINE

    if not 1 <= seeds <= 10_000:
        raise ScenarioError(f"ema.model: seeds={seeds}: allowed an integer in 1..10000")
    metrics = list(outcomes) if outcomes is not None else list(HEADLINE)
    unknown = [m for m in metrics if m not in ALL_METRICS]
    if unknown:
        raise ScenarioError(f"ema.model: unknown metric {unknown[0]!r} (allowed: {', '.join(ALL_METRICS)})")
    ranges = behaviour_ranges()
    if uncertainties is not None:
        keep = list(uncertainties)
        missing = [k for k in keep if k not in ranges]
        if missing:
            raise ScenarioError(f"ema.model: {missing[0]!r} is not a behavioural parameter with a plausible range")
        ranges = {k: ranges[k] for k in keep}
    fixed = dict(overrides or {})
    ranges = {k: v for k, v in ranges.items() if k not in fixed}
    levers = {k: v for k, v in strategy_lever_values(scenario, strategies).items() if k not in fixed}
    m = ema.Model(name, function=SesimFunction(scenario, fixed, metrics, seeds, seed))
    m.uncertainties = [
        (ema.IntegerParameter if integer else ema.RealParameter)(
            ema_name(k), int(lo) if integer else lo, int(hi) if integer else hi
        )
        for k, (lo, hi, integer) in ranges.items()
    ]
    params = []
    for key, values in levers.items():
        section, field = key.split(".", 1)
        kinds = {f.name: f for f in dataclasses.fields(SECTIONS[section])}
        default = kinds[field].default
        distinct = list(dict.fromkeys(values))
        if isinstance(default, bool):
            params.append(ema.BooleanParameter(ema_name(key)))
        elif isinstance(default, str):
            params.append(ema.CategoricalParameter(ema_name(key), distinct))
        elif isinstance(default, int):
            params.append(ema.IntegerParameter(ema_name(key), int(min(distinct)), int(max(distinct))))
        else:
            params.append(ema.RealParameter(ema_name(key), float(min(distinct)), float(max(distinct))))
    m.levers = params
    m.outcomes = [ema.ScalarOutcome(x) for x in metrics]
    return m
