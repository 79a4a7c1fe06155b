"""Your decisions in N worlds (docs/odd.md §11): the played decision log replayed on N seeds — the
decisions fixed, the chance different — beside every named strategy on the same N seeds (common random
numbers), so the played region gets an interval and the debrief can say whether the room's decisions or
its luck made the difference.

World *i* runs on seed ``SeedSequence([room seed, i])`` (as a sweep's replicates,
:func:`analysis.sweepfile.replicate_seed`) in every arm; the runs go through the process pool of
:mod:`sim.backends` with the replicate machinery of :mod:`sim.replicates`, and the statistics are the
comparison's (:func:`analysis.compare.verdicts`: bootstrap intervals of each arm's mean, paired
differences against the baseline with Holm's correction within each measure, the verdict in words;
:mod:`analysis.ranking` for the ranking).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from sim import metrics
from sim.backends import LocalBackend
from sim.replicates import Arm, ReplicateJob, Work, split, work_batch
from sim.runner import run_model, summary_and_series
from sim.scenario import Scenario, ScenarioError

WORLDS = 20  # the debrief's default number of worlds
MIN_WORLDS, MAX_WORLDS = 2, 500  # an interval needs two; beyond, a debrief would keep a room waiting
MAX_DEFAULT_WORKERS = 4  # a facilitator's laptop keeps a core or so for the pages
MINE = "your_decisions"  # the arm that replays the room's decision log
BASELINE = "baseline"
# what the debrief compares over the worlds; the partnership measure is one of the first two (see
# partnership_measure), counted as the pages count them
MEASURES = (
    "kept_all_year",
    "partner_months_kept",
    "graduate_retention_12m",
    "skill_level",
    "firm_net_benefit",
    "school_net_benefit",
)
# fewer partnerships than this at the start of a year (on average) and one partnership moves a year's
# share kept by more than ten points: too coarse for a stable retention figure
MIN_AT_RISK = 10


def check_worlds(n: object, flag: str = "--worlds") -> int:
    if isinstance(n, bool) or not isinstance(n, int) or not MIN_WORLDS <= n <= MAX_WORLDS:
        raise ScenarioError(f"{flag} {n}: allowed an integer in {MIN_WORLDS}..{MAX_WORLDS}")
    return n


def default_workers() -> int:
    """The debrief's processes when not given: this computer's cores, at most :data:`MAX_DEFAULT_WORKERS`."""
    import os

    return max(1, min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1))


def world_seeds(root: int, n: int) -> list[int]:
    """The seeds of worlds 0..n-1 from ``SeedSequence([root, i])``."""
    from analysis.sweepfile import replicate_seed

    return [replicate_seed(root, i) for i in range(n)]


def world_tables(arm: Arm, job: ReplicateJob) -> dict[str, pd.DataFrame]:
    """One world of one arm: its summary row with the workshop's partnership measures, and its monthly
    series (importable: the pool's workers call it)."""
    model = run_model(arm.params, job.seed, arm.schedule)
    row, ts = summary_and_series(model, arm.name, job.replicate)
    row.update(metrics.workshop_partnerships(model))
    return {"summary": pd.DataFrame([row]), "timeseries": ts}


def partnership_measure(at_start_per_year: float) -> str:
    """``kept_all_year`` in a region large enough for it, else ``partner_months_kept``."""
    return "kept_all_year" if at_start_per_year >= MIN_AT_RISK else "partner_months_kept"


@dataclass
class Worlds:
    """The runs of every arm in every world and what the debrief reads of them."""

    n: int
    seeds: list[int]
    order: list[str]  # the arms: your decisions, then the strategies
    summary: pd.DataFrame  # one row per arm and world (``replicate`` = the world)
    timeseries: pd.DataFrame
    table: pd.DataFrame = field(default_factory=pd.DataFrame)  # arm × measure: mean, interval, verdict
    ranking: list[str] = field(default_factory=list)  # every arm, best first

    def row(self, arm: str, measure: str) -> pd.Series:
        t = self.table
        return t[(t["scenario"] == arm) & (t["metric"] == measure)].iloc[0]


def run_worlds(
    mine: Arm,
    strategies: list[Scenario],
    root: int,
    n: int = WORLDS,
    workers: int = 1,
    on_run: Callable[[int, int], None] | None = None,
    ranked: tuple[str, ...] = MEASURES,
) -> Worlds:
    """``mine`` (the played log, named :data:`MINE`) and every strategy, each on the same ``n`` worlds;
    ``on_run(done, total)`` after each batch of runs; ``ranked``: the measures the ranking averages."""
    check_worlds(n, "worlds")
    arms = (mine, *(Arm(s.name, s.params) for s in strategies))
    seeds = world_seeds(root, n)
    todo = [ReplicateJob(w * len(arms) + a, a, w, seeds[w]) for w in range(n) for a in range(len(arms))]
    rows: dict[int, dict] = {}
    series: dict[int, pd.DataFrame] = {}
    with LocalBackend(workers) as backend:
        for results in backend.imap(work_batch, Work(arms, world_tables), split(todo, backend.workers)):
            for rid, tables in results:
                rows[rid] = tables["summary"].iloc[0].to_dict()
                series[rid] = tables["timeseries"]
            if on_run is not None:
                on_run(len(rows), len(todo))
    ids = sorted(rows)
    out = Worlds(
        n,
        seeds,
        [a.name for a in arms],
        pd.DataFrame([rows[i] for i in ids]),
        pd.concat([series[i] for i in ids], ignore_index=True),
    )
    out.table = statistics(out.summary, out.order)
    out.ranking = ranking(out.summary, out.order, list(ranked))
    return out


def statistics(summary: pd.DataFrame, order: list[str], measures: tuple[str, ...] = MEASURES) -> pd.DataFrame:
    """Per arm and measure: the mean over the worlds with its 95% interval, the paired difference against
    the baseline's worlds with the Holm-consistent interval and the verdict (analysis.compare.verdicts;
    empty for the baseline's own rows)."""
    from analysis import stats
    from analysis.compare import verdicts

    base = summary[summary["scenario"] == BASELINE].set_index("replicate")
    rows, pairs = [], {}
    for arm in order:
        x = summary[summary["scenario"] == arm].set_index("replicate")
        for m in measures:
            ci = stats.mean_interval(x[m].to_numpy(float))
            row = {"scenario": arm, "metric": m, "n": int(np.isfinite(x[m]).sum())}
            row.update(mean=ci.mean, ci_low=ci.low, ci_high=ci.high)
            if arm == BASELINE or base.empty:
                row.update(diff=np.nan, diff_ci_low=np.nan, diff_ci_high=np.nan, p_value=np.nan)
            else:
                pair = (x.reindex(base.index)[m].to_numpy(float), base[m].to_numpy(float))
                d = stats.paired_difference(*pair)
                row.update(diff=d.diff, diff_ci_low=d.low, diff_ci_high=d.high, p_value=d.p_value)
                pairs[len(rows)] = pair
            rows.append(row)
    return verdicts(pd.DataFrame(rows), pairs)


def ranking(summary: pd.DataFrame, order: list[str], measures: list[str]) -> list[str]:
    """Every arm (the baseline too) by its mean rank over the worlds, averaged over ``measures``."""
    from analysis.ranking import ranked_by, replicate_ranks

    return ranked_by(replicate_ranks(summary, order, measures), order, baseline="")
