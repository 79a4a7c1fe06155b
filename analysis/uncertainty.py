"""``sesim compare --uncertainty``: how sure are we, beyond the random noise of the seeds? (docs/odd.md §12)

Replicates of a plain comparison differ only in their seeds; the behavioural parameters stay at
one value.  Here replicate *i* also takes parameter draw *i*:

- ``posterior``: a particle of the calibration's posterior (``scenarios/targets/*.posterior.csv``,
  resampled by weight) for the calibrated parameters;
- ``assumptions``: a Latin-hypercube point over the plausible ranges of the parameters whose
  ``kind`` is ``assumption`` (``sim/params.py``);
- ``all``: both.

Every strategy uses the same draw and the same seed (``S + i``) in replicate *i*, so the
differences against the baseline stay paired over both the draw and the random numbers.  The
runs go through the sweep runner (``analysis/sweep.py``): local pool, Dask or SLURM shards,
resumable, the same rows on every backend.  From the runs come

- ``uncertainty.csv`` — strategy, metric, median difference, 5% and 95% quantiles over draws,
  probability of improvement;
- ``rank.csv`` — for each headline metric, each strategy's probability of ranking first, and
  its mean rank;
- ``hinges.csv`` — for each strategy and headline metric, the uncertain parameters the
  difference depends on most: PAWN's moment-independent index (Pianosi & Wagener 2015; SALib's
  definition, which works on any sample; column ``delta`` for short) with a bootstrap interval,
  and the noise benchmark ``noise_q95``: the upper 95% quantile of the largest index over all
  parameters when the differences are shuffled against the draws (a permutation null of the
  maximum).  ``above_noise`` marks a parameter whose index exceeds it (``p_noise`` its
  family-wise p-value), so a cell with no carrier shows none above noise in 19 of 20 analyses
  whatever the number of parameters;
- ``draws.parquet`` — the draws, so every replicate can be re-run alone;
- ``draw_fit.csv`` — each draw's baseline against each target of the target file (value,
  interval, inside; weight-0 targets ``report_only``), and ``range_coverage.csv`` — how much of
  each drawn parameter's plausible range the draws kept cover.

``posterior`` and ``all`` keep only worlds that fit the data: the baseline of each candidate draw
runs first (``fit-R/``), a draw whose baseline misses a weighted target interval is rejected and
replaced by the next candidate of the same seed stream, up to ``max_draws`` candidates, and the
strategies run on the draws kept (docs/odd.md §12).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from sim.params import SECTIONS, assumption_ranges
from sim.scenario import Scenario, ScenarioError, to_toml
from sim.spreadsheet import write_csv
from sim.version import __version__

from .ranking import ranks
from .sweepfile import Lever, Sweep

TARGETS = Path(__file__).resolve().parent.parent / "scenarios" / "targets" / "china_gaozhi.toml"
HINGES_KEPT = 5  # parameters listed per strategy and metric
PAWN_SLICES = 4  # conditional slices of PAWN (8 draws each at 32 draws)
BOOTSTRAP = 100  # bootstrap resamples of the draws for the leading parameters' intervals
PERMUTATIONS = 400  # shuffles of the difference against the draws for the noise benchmark
NOISE_QUANTILE = 0.95  # the benchmark: this quantile of the largest index over all parameters when none matters
CONF = 0.95
REJECTING = ("posterior", "all")  # modes that keep only draws whose baseline fits the weighted targets
MAX_DRAWS_PER_DRAW = 4  # candidates tried at most per draw asked for (--max-draws by default)
MIN_DRAWS = 4  # draws a comparison needs at least (as --draws)
ROUND_MARGIN = 1.25  # a later round tries this many more candidates than the acceptance rate so far says
COVERAGE_BINS = 10  # equal bins of a plausible range counted by range_coverage.csv
QUANTILES = (0.05, 0.95)
MARKER = "uncertainty.json"
KIND = "compare-uncertainty"  # the kind its manifests record (sim.outputs.RESUMABLE)


# --- the draws -------------------------------------------------------------------------------------
def posterior_particles(targets: Path = TARGETS) -> pd.DataFrame:
    """The calibration's accepted particles stored beside the target file, weights normalised."""
    from .calibration import load_posterior  # one line when missing; checks the target file's hash

    path = targets.with_name(targets.stem + ".posterior.csv")
    particles, _ = load_posterior(targets)
    keys = [c for c in particles.columns if "." in c]
    if not keys:
        raise ScenarioError(f"{path}: no parameter columns (section.key) in the posterior")
    w = particles["weight"].to_numpy(float) if "weight" in particles else np.ones(len(particles))
    out = particles[keys].copy()
    out["weight"] = w / w.sum()
    return out


def make_draws(mode: str, n: int, root: int, targets: Path = TARGETS, block: int = 0) -> pd.DataFrame:
    """``n`` parameter draws (a row each: ``draw``, ``seed`` = root + draw, then parameter values).

    ``block`` b > 0 gives the b-th further block of the candidate stream that replaces rejected
    draws (draws ``b n`` .. ``b n + n - 1``), from its own ``SeedSequence([root, 1 | 2, b])``;
    block 0 is the first ``n`` draws, the same with or without rejection."""
    from scipy.stats import qmc

    key = (lambda part: [root, part]) if block == 0 else (lambda part: [root, part, block])  # noqa: E731
    draw = block * n + np.arange(n)
    cols: dict[str, np.ndarray] = {"draw": draw, "seed": root + draw}
    if mode in ("posterior", "all"):
        post = posterior_particles(targets)
        rng = np.random.default_rng(np.random.SeedSequence(key(1)))
        idx = rng.choice(len(post), size=n, p=post["weight"].to_numpy(float))
        cols["particle"] = idx
        for k in (c for c in post.columns if c != "weight"):
            cols[k] = post[k].to_numpy(float)[idx]
    if mode in ("assumptions", "all"):
        ranges = {k: v for k, v in assumption_ranges().items() if k not in cols}
        if ranges:
            lhs = qmc.LatinHypercube(d=len(ranges), seed=np.random.default_rng(np.random.SeedSequence(key(2))))
            u = lhs.random(n)
            for j, (k, (lo, hi, integer)) in enumerate(ranges.items()):
                x = lo + u[:, j] * (hi - lo)
                cols[k] = np.round(x).astype(int) if integer else x
    return pd.DataFrame(cols)


def candidates(mode: str, n: int, root: int, start: int, stop: int, targets: Path = TARGETS) -> pd.DataFrame:
    """Draws ``start`` .. ``stop - 1`` of the candidate stream (blocks of ``n``, :func:`make_draws`):
    which candidate a draw is never depends on how many were rejected before it."""
    blocks = [make_draws(mode, n, root, targets, block=b) for b in range(start // n, (stop - 1) // n + 1)]
    out = pd.concat(blocks, ignore_index=True)
    return out[(out["draw"] >= start) & (out["draw"] < stop)].reset_index(drop=True)


# --- do the draws fit the data? ------------------------------------------------------------------
def fit_table(base_runs: pd.DataFrame, targets: list[Any]) -> pd.DataFrame:
    """``draw_fit.csv``: each draw's baseline value of each target metric against the target's
    interval (only its bound for a one-sided target).  ``weighted`` targets decide acceptance; weight-0 targets are ``report_only``.  A
    value the run could not compute (NaN, or a failed run) is not inside."""
    rows = []
    for r in base_runs.itertuples(index=False):
        for t in targets:
            v = float(getattr(r, t.metric, float("nan")))
            sided = getattr(t, "sided", "both")
            inside = v <= t.high if sided == "upper" else v >= t.low if sided == "lower" else t.low <= v <= t.high
            rows.append(
                {
                    "draw": int(r.draw),
                    "target": t.name,
                    "metric": t.metric,
                    "value": v,
                    "low": t.low,
                    "high": t.high,
                    "sided": sided,
                    "inside": bool(inside),
                    "weight": t.weight,
                    "report_only": t.weight == 0,
                }
            )
    return pd.DataFrame(
        rows, columns=["draw", "target", "metric", "value", "low", "high", "sided", "inside", "weight", "report_only"]
    )


def fits(fit: pd.DataFrame) -> pd.Series:
    """Per draw: inside every weighted target interval."""
    w = fit[~fit["report_only"].astype(bool)]
    return w.groupby("draw")["inside"].all().astype(bool)


NOISE_REPLICATES = (1, 2, 4, 8, 16, 32, 64)  # fit replicates K the noise bound is shown for


def noise_bound(runs: pd.DataFrame, targets: list[Any], ks: tuple[int, ...] = NOISE_REPLICATES) -> pd.DataFrame:
    """How often a world that fits can be *seen* to fit (docs/calibration.md, *Seeds' noise*).

    ``runs``: replicate runs of one world (one row each, the target metrics as columns), whose
    spread between seeds, σ, stands for every world's (:func:`noise_table` does the rest)."""
    metrics = sorted({t.metric for t in targets if t.metric in runs})
    return noise_table(seed_spread(runs.assign(draw=0), metrics), targets, ks)


def noise_table(sd: dict[str, float], targets: list[Any], ks: tuple[int, ...] = NOISE_REPLICATES) -> pd.DataFrame:
    """The share of draws judged outside each weighted interval by seed noise alone.

    ``sd``: each target metric's spread between seeds, σ.  If a posterior's expected baselines spread
    evenly over a target's interval [low, high] (width w) and a draw is judged on the mean of K runs,
    the share judged outside is, per edge, ∫₀^∞ Φ(−x√K/σ) dx / w = σ / (w √(2πK)) (one edge for a
    one-sided target), capped at 1.  Returns a row per weighted target with a known σ (target, sd,
    width, edges, and ``outside_K`` for each K) and a last row ``every weighted target``: one minus
    the share inside all of them, the product of the targets' shares inside (their noise taken as
    independent).  A posterior whose baselines sit further inside the intervals does better; one
    crowded at an edge, worse."""
    rows = []
    for t in targets:
        if t.weight <= 0 or not np.isfinite(sd.get(t.metric, float("nan"))):
            continue
        sigma = sd[t.metric]
        edges = 1 if getattr(t, "sided", "both") in ("upper", "lower") else 2
        width = float(t.high - t.low)
        row: dict[str, Any] = {"target": t.name, "sd": sigma, "width": width, "edges": edges}
        for k in ks:
            row[f"outside_{k}"] = min(1.0, edges * sigma / (width * math.sqrt(2 * math.pi * k))) if width > 0 else 1.0
        rows.append(row)
    out = pd.DataFrame(rows)
    if len(out):
        every: dict[str, Any] = {
            "target": "every weighted target",
            "sd": float("nan"),
            "width": float("nan"),
            "edges": 0,
        }
        for k in ks:
            every[f"outside_{k}"] = 1.0 - float(np.prod(1.0 - out[f"outside_{k}"].to_numpy(float)))
        out = pd.concat([out, pd.DataFrame([every])], ignore_index=True)
    return out


def seed_spread(runs: pd.DataFrame, metrics: list[str]) -> dict[str, float]:
    """Each metric's spread between the seeds of one world, pooled over the draws that have two
    replicates or more (the root mean of their variances; NaN with none)."""
    g = runs.groupby("draw")
    multi = g.size() > 1
    out = {}
    for m in metrics:
        var = g[m].var(ddof=1)[multi]
        var = var[np.isfinite(var)]
        out[m] = float(np.sqrt(var.mean())) if len(var) else float("nan")
    return out


FIT_CRITERIA = ("intervals", "abc")  # --fit: inside every weighted interval, or within the calibration's tolerance


def abc_epsilon(targets: Path = TARGETS) -> float:
    """The calibration's tolerance: the largest distance to the targets among the stored posterior's
    particles (the last ABC generation's threshold ε, docs/calibration.md, *Method*)."""
    from .calibration import load_posterior

    particles, meta = load_posterior(targets)
    if (meta.get("settings") or {}).get("kernel") == "history":
        raise ScenarioError(
            f"{meta.get('path', targets)}: the posterior comes from history matching, which has no ABC "
            "threshold; keep the draws inside every interval with --fit intervals"
        )
    if "distance" not in particles:
        raise ScenarioError(
            f"{meta.get('path', targets)}: no 'distance' column; --fit abc needs the calibration's "
            "distances (rerun make calibration)"
        )
    return float(pd.to_numeric(particles["distance"], errors="coerce").max())


def draw_distances(base_runs: pd.DataFrame, targets: list[Any], kind: str = "centre") -> pd.Series:
    """Per draw: the calibration's distance of its baseline to the targets (analysis.calibration),
    of the calibration's ``kind`` (:func:`posterior_distance`)."""
    from .calibration import distances

    if base_runs.empty:
        return pd.Series(dtype=float)
    by = base_runs.groupby("draw")[sorted({t.metric for t in targets})].mean()
    return pd.Series(distances(by, targets, kind), index=by.index)


def posterior_distance(targets: Path = TARGETS) -> str:
    """The distance the stored posterior's calibration used ("centre" unless its settings say)."""
    from .calibration import load_posterior

    try:
        _, meta = load_posterior(targets)
    except ScenarioError:
        return "centre"
    return str((meta.get("settings") or {}).get("distance", "centre"))


def schema_range(key: str) -> tuple[float, float, str]:
    """A parameter's plausible range (the prior range for calibrated ones) and its kind, from the schema."""
    s, k = key.split(".")
    f = {f.name: f for f in dataclasses.fields(SECTIONS[s])}[k]
    lo, hi = f.metadata.get("plausible") or (f.metadata.get("lo"), f.metadata.get("hi"))
    return float(lo), float(hi), str(f.metadata.get("kind", ""))


def range_coverage(cands: pd.DataFrame, accepted: pd.Series) -> pd.DataFrame:
    """``range_coverage.csv``: for every drawn parameter, how much of its plausible range the
    accepted draws cover (share of the range between their extremes; share of the range's
    ``COVERAGE_BINS`` equal bins holding an accepted draw, beside the same for every candidate)
    and how far their median moved (in shares of the range): what the targets ruled out."""
    rows = []
    ok = cands["draw"].map(accepted).fillna(False).astype(bool).to_numpy()
    for key in drawn_keys(cands):
        lo, hi, kind = schema_range(key)
        x = cands[key].to_numpy(float)
        width = hi - lo if hi > lo else 1.0

        def bins(v: np.ndarray, lo: float = lo, width: float = width) -> int:
            return len(set(np.clip(np.floor((v - lo) / width * COVERAGE_BINS), 0, COVERAGE_BINS - 1)))

        a = x[ok]
        rows.append(
            {
                "parameter": key,
                "kind": kind,
                "low": lo,
                "high": hi,
                "accepted_min": float(a.min()) if len(a) else np.nan,
                "accepted_max": float(a.max()) if len(a) else np.nan,
                "span": float((a.max() - a.min()) / width) if len(a) else 0.0,
                "bins_accepted": bins(a) / COVERAGE_BINS if len(a) else 0.0,
                "bins_candidates": bins(x) / COVERAGE_BINS,
                "median_shift": float((np.median(a) - np.median(x)) / width) if len(a) else np.nan,
                "n_accepted": int(ok.sum()),
                "n_candidates": len(x),
            }
        )
    out = pd.DataFrame(rows)
    if len(out):
        out = out.sort_values(
            ["bins_accepted", "median_shift"],
            key=lambda c: c.abs() if c.name == "median_shift" else c,
            ascending=[True, False],
            kind="stable",
        ).reset_index(drop=True)
    return out


def drawn_keys(draws: pd.DataFrame) -> list[str]:
    return [c for c in draws.columns if "." in c]


# --- the runs as a sweep ------------------------------------------------------------------------------
def strategy_levers(scns: list[Scenario]) -> dict[str, list[Any]]:
    """Every scalar key in which some scenario differs from the first: key -> each scenario's value."""
    base = dataclasses.asdict(scns[0].params)
    out: dict[str, list[Any]] = {}
    for scn in scns[1:]:
        for section, values in dataclasses.asdict(scn.params).items():
            for key, v in values.items():
                if (section, key) == ("run", "seed") or base[section][key] == v:
                    continue
                if section == "agents":
                    raise ScenarioError(
                        f"{scn.path or scn.name}: sets levers agent by agent ([[agents.*]]); "
                        "--uncertainty compares strategies that set them for every agent alike"
                    )
                if isinstance(v, (dict, list)):
                    raise ScenarioError(
                        f"{scn.path or scn.name}: differs from {scns[0].name} in the table "
                        f"'{section}.{key}'; --uncertainty compares strategies that differ in "
                        "single values"
                    )
                out[f"{section}.{key}"] = []
    for k in out:
        s, key = k.split(".")
        out[k] = [getattr(getattr(scn.params, s), key) for scn in scns]
    return out


def build_sweep(
    scns: list[Scenario], draws: pd.DataFrame, name: str, only: "set[str] | None" = None, replicates: int = 1
) -> tuple[Sweep, pd.DataFrame]:
    """One design point per (draw, scenario), in that order, each with the draw's seed; and the
    table saying which point is which.  ``only``: the scenarios whose points are built (the levers
    are still those in which any of ``scns`` differ, so a scenario's runs are the same whichever
    stage runs them).  ``replicates`` r > 1 (the fit stage's ``--fit-replicates``): each point r
    times, replicate 0 with the draw's seed (the run the strategies are paired with), replicate j
    with :func:`replicate_seed`."""
    by_key = strategy_levers(scns)
    levers: list[Lever] = []
    for k, vals in by_key.items():
        uniq = tuple(dict.fromkeys(vals))  # first appearance order: stable
        levers.append(Lever(k, values=uniq))
    params = [k for k in drawn_keys(draws) if k not in by_key]  # a strategy's own lever value is kept
    for k in params:
        col = draws[k].to_numpy()
        integer = np.issubdtype(col.dtype, np.integer)
        levers.append(
            Lever(
                k,
                low=float(col.min()),
                high=float(col.max()) if col.max() > col.min() else float(col.min()) + 1,
                integer=bool(integer),
            )
        )
    points, seeds, index = [], [], []
    # seeds and draw numbers from their own integer columns: a row of mixed columns is float, which
    # would round a 63-bit seed
    values = draws[params].to_numpy(float)
    for draw, seed, row in zip(
        draws["draw"].astype(np.int64).tolist(), draws["seed"].astype(np.int64).tolist(), values
    ):
        for j, scn in enumerate(scns):
            if only is not None and scn.name not in only:
                continue
            pt = {k: float(_value_index(by_key[k], j)) for k in by_key}
            pt.update({k: float(x) for k, x in zip(params, row)})
            for rep in range(replicates):
                points.append(pt)
                seeds.append(replicate_seed(seed, rep))
                index.append(
                    {
                        "point": len(points) - 1,
                        "scenario": scn.name,
                        "draw": draw,
                        "seed": seeds[-1],
                        "fit_replicate": rep,
                    }
                )
    base = scns[0]
    sw = Sweep(
        name=name,
        path="",
        base=base.name,
        design="points",
        samples=len(points),
        replicates=1,
        seed=0,
        levers=tuple(levers),
        base_params=base.params,
        base_toml=to_toml(base),
        explicit=tuple(points),
        point_seeds=tuple(seeds),
    )
    return sw, pd.DataFrame(index)


def replicate_seed(seed: int, rep: int) -> int:
    """The seed of a draw's further fit replicate ``rep`` (0: the draw's own seed), from
    ``SeedSequence([seed, rep])``: the same on any backend, apart from every draw's own seed."""
    if rep == 0:
        return int(seed)
    return int(np.random.SeedSequence([int(seed), rep]).generate_state(1, np.uint64)[0] >> np.uint64(1))


def draw_means(runs: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """One row per draw: the mean of each target metric over the draw's fit replicates (a world is
    judged on its expected baseline, not on one seed's luck: docs/odd.md §12), with ``replicates``."""
    g = runs.groupby("draw")
    out = g[metrics].mean()
    out["replicates"] = g.size()
    return out.reset_index()


def _value_index(values: list[Any], j: int) -> int:
    """Index of scenario ``j``'s value among the lever's distinct values (first appearance order)."""
    return list(dict.fromkeys(values)).index(values[j])


# --- the analysis ---------------------------------------------------------------------------------
@dataclass
class UncertaintyResult:
    uncertainty: pd.DataFrame
    rank: pd.DataFrame
    hinges: pd.DataFrame
    runs: pd.DataFrame  # one row per run: scenario, draw, seed, metrics
    notes: list[str] = field(default_factory=list)  # warnings for the user (e.g. no CJK font for the figures)
    fit: dict[str, Any] = field(default_factory=dict)  # how many draws fit the targets (fit_summary)


def paired(runs: pd.DataFrame, strategy: str, baseline: str, metric: str) -> pd.DataFrame:
    """Per draw: the strategy's value minus the baseline's (same draw, same seed)."""
    a = runs[runs["scenario"] == strategy].set_index("draw")[metric]
    b = runs[runs["scenario"] == baseline].set_index("draw")[metric]
    d = (a - b.reindex(a.index)).dropna()
    return d.sort_index()


def summarise(
    runs: pd.DataFrame, order: list[str], baseline: str, metrics: list[str], higher_better: dict[str, bool]
) -> pd.DataFrame:
    rows = []
    for s in order:
        if s == baseline:
            continue
        for m in metrics:
            d = paired(runs, s, baseline, m).to_numpy(float)
            if not len(d):
                continue
            better = d > 0 if higher_better.get(m, True) else d < 0
            rows.append(
                {
                    "strategy": s,
                    "metric": m,
                    "n_draws": len(d),
                    "median_diff": float(np.median(d)),
                    "q05": float(np.quantile(d, QUANTILES[0])),
                    "q95": float(np.quantile(d, QUANTILES[1])),
                    "mean_diff": float(np.mean(d)),
                    "prob_improvement": float(np.mean(better)),
                }
            )
    return pd.DataFrame(rows)


def pawn_slices(data: np.ndarray, slices: int = PAWN_SLICES) -> np.ndarray:
    """PAWN's conditioning slices of every column: ``(n, columns, slices)``, row ``i`` in slice ``s``
    of column ``j`` when ``q_s <= x_ij < q_{s+1}`` for the column's quantiles ``q`` (as SALib's
    ``pawn``, whose last slice leaves out the column's maximum)."""
    seq = np.arange(0, 1 + 1 / slices, 1 / slices)
    q = np.quantile(data, seq, axis=0)  # (slices + 1, columns)
    x = data[:, :, None]
    return (x >= q[:slices].T[None]) & (x < q[1 : slices + 1].T[None])


def pawn_from_slices(member: np.ndarray, y: np.ndarray) -> np.ndarray:
    """PAWN's index of ``y`` on each column: the median over the column's slices of the two-sample
    Kolmogorov–Smirnov distance between ``y`` in the slice and all of ``y`` (empty slices left out).
    The same numbers as SALib's ``pawn`` (its ``median``), computed for all columns at once so that a
    permutation null of hundreds of columns costs milliseconds, not minutes."""
    n, p, s = member.shape
    order = np.argsort(y, kind="stable")
    ys = y[order]
    last = np.flatnonzero(np.r_[ys[1:] != ys[:-1], True])  # last row of each distinct outcome
    m = member.reshape(n, p * s)[order]
    inside = np.cumsum(m, axis=0, dtype=np.int32)[last]  # members with y <= each outcome
    size = inside[-1].astype(float)
    everyone = (last + 1) / n
    with np.errstate(invalid="ignore", divide="ignore"):
        ks = np.abs(inside / size - everyone[:, None]).max(axis=0)
    ks[size == 0] = np.nan
    ks = ks.reshape(p, s)
    if not np.isnan(ks).any():
        return np.median(ks, axis=1)
    out = np.full(p, np.nan)
    ok = ~np.isnan(ks).all(axis=1)
    out[ok] = np.nanmedian(ks[ok], axis=1)
    return out


def pawn_index(data: np.ndarray, y: np.ndarray, seed: int = 0) -> np.ndarray:
    """PAWN's moment-independent index of ``y`` on each column of ``data`` (Pianosi & Wagener 2015;
    the definition of SALib's ``pawn``, ``PAWN_SLICES`` slices); works on any sample.  ``seed`` is
    kept for callers of the SALib version; the index draws no random numbers."""
    return np.nan_to_num(pawn_from_slices(pawn_slices(np.asarray(data, float)), np.asarray(y, float)))


def noise_benchmark(
    member: np.ndarray, y: np.ndarray, rng: np.random.Generator, permutations: int = PERMUTATIONS
) -> np.ndarray:
    """The largest index over all columns when ``y`` is shuffled against the draws, once per
    permutation: what the leading parameter reaches when no parameter matters (a permutation
    null of the maximum, Westfall & Young 1993).  Its upper ``NOISE_QUANTILE`` is the noise
    benchmark: with it, the chance that any parameter of a strategy-outcome cell is called above
    noise when none matters is at most 1 - ``NOISE_QUANTILE``, however many parameters there are."""
    n = len(y)
    return np.array([np.nanmax(pawn_from_slices(member[rng.permutation(n)], y)) for _ in range(permutations)])


def hinge_indices(X: pd.DataFrame, y: np.ndarray, seed: int) -> pd.DataFrame:
    """The PAWN index of ``y`` on each column of ``X`` with the noise benchmark (the upper
    ``NOISE_QUANTILE`` of the permutation null of the largest index, :func:`noise_benchmark`);
    ``above_noise`` where the index exceeds it, ``p_noise`` the family-wise p-value (share of
    permutations whose largest index reaches the parameter's).  For the leading parameters a
    bootstrap interval over the draws."""
    rng = np.random.default_rng(seed)
    keep = [c for c in X.columns if X[c].nunique() > 1]
    data = X[keep].to_numpy(float)
    y = np.asarray(y, float)
    out = pd.DataFrame({"parameter": keep})
    if np.ptp(y) == 0 or not keep:
        out["delta"], nulls = 0.0, np.zeros(1)
    else:
        member = pawn_slices(data)
        out["delta"] = np.nan_to_num(pawn_from_slices(member, y))
        nulls = noise_benchmark(member, y, rng)
    out["p_noise"] = [(1 + int((nulls >= d - 1e-12).sum())) / (len(nulls) + 1) for d in out["delta"]]
    out = out.sort_values("delta", ascending=False, kind="stable").reset_index(drop=True)
    out["delta_low"], out["delta_high"] = np.nan, np.nan
    top = out.head(HINGES_KEPT)
    if len(top) and np.ptp(y) > 0:
        cols = [keep.index(p) for p in top["parameter"]]
        boot = []
        for _ in range(BOOTSTRAP):
            idx = rng.integers(0, len(y), len(y))
            if np.ptp(y[idx]) > 0:
                boot.append(pawn_index(data[idx][:, cols], y[idx]))
        if boot:
            q = np.quantile(np.array(boot), [(1 - CONF) / 2, (1 + CONF) / 2], axis=0)
            out.loc[top.index, "delta_low"] = q[0]
            out.loc[top.index, "delta_high"] = q[1]
    out["noise_q95"] = float(np.quantile(nulls, NOISE_QUANTILE))
    out["above_noise"] = (out["delta"] > out["noise_q95"]) & (np.ptp(y) > 0)
    return out


def hinges(
    runs: pd.DataFrame, draws: pd.DataFrame, order: list[str], baseline: str, metrics: list[str], seed: int
) -> pd.DataFrame:
    keys = drawn_keys(draws)
    X = draws.set_index("draw")[keys]
    rows = []
    for s in order:
        if s == baseline:
            continue
        for m in metrics:
            d = paired(runs, s, baseline, m)
            if len(d) < 4:
                continue
            tab = hinge_indices(X.loc[d.index], d.to_numpy(float), seed)
            for rank, r in enumerate(tab.head(HINGES_KEPT).itertuples(), start=1):
                rows.append(
                    {
                        "strategy": s,
                        "metric": m,
                        "rank": rank,
                        "parameter": r.parameter,
                        "delta": r.delta,
                        "delta_low": r.delta_low,
                        "delta_high": r.delta_high,
                        "noise_q95": r.noise_q95,
                        "p_noise": r.p_noise,
                        "above_noise": bool(r.above_noise),
                        "n_draws": len(d),
                    }
                )
    return pd.DataFrame(rows)


def analyse(
    table: pd.DataFrame, draws: pd.DataFrame, order: list[str], baseline: str, headline: list[str], seed: int
) -> UncertaintyResult:
    """The tables from the runs (each tagged with its scenario, draw and seed; :func:`tagged`)."""
    from sim.metrics import ALL_METRICS

    from .labels import higher_is_better

    higher = {m: higher_is_better(m) for m in ALL_METRICS}
    table = table[table["status"] == "ok"]
    cols = ["scenario", "draw", "seed", *ALL_METRICS]
    table = (
        table[cols]
        .sort_values(
            ["draw", "scenario"],
            key=lambda c: c.map({n: i for i, n in enumerate(order)}) if c.name == "scenario" else c,
        )
        .reset_index(drop=True)
    )
    return UncertaintyResult(
        summarise(table, order, baseline, list(ALL_METRICS), higher),
        ranks(table, order, headline, higher),
        hinges(table, draws, order, baseline, headline, seed),
        table,
    )


def tagged(folder: Path, index: pd.DataFrame) -> pd.DataFrame:
    """A sweep's stored runs, each with its point's scenario, draw and seed."""
    from .sweep import load_runs

    return load_runs(folder).merge(index, on="point", suffixes=("", "_index"))


# --- the command ------------------------------------------------------------------------------------
def _stage(
    sw: Sweep,
    folder: Path,
    backend: Any,
    shard: tuple[int, int] | None,
    resume: bool,
    kind: str = "sweep",
    lock: bool = True,
) -> bool:
    """Run (or resume) one sweep of the comparison; False when only a shard of it ran (join the
    shards with ``sesim sweep merge`` and rerun with --resume).  A stage whose every run is stored
    is not run again, so the shards of a later stage can start.  ``kind`` and ``lock`` as
    :func:`analysis.sweep.run_sweep`: a stage in a folder of its own (``fit-R/``) takes that folder's
    lock; the strategies' sweep runs in the comparison's folder, whose lock the caller holds."""
    from .sweep import run_sweep, stored_ids

    if (folder / "runs").is_dir() and len(stored_ids(folder)) >= sw.n_runs():
        return True
    res = run_sweep(sw, folder, backend, shard=shard, resume=resume, kind=kind, lock=lock)
    if res.failed:
        sys.stderr.write(f"sesim: warning: {res.failed} runs failed in {folder}; their draws are left out\n")
    return shard is None


@dataclass
class FitRounds:
    """The draws that fit the targets, found in rounds of candidates (``fit-R/`` folders)."""

    accepted: pd.DataFrame  # the draws kept (at most the number asked for), in stream order
    candidates: pd.DataFrame  # every candidate tried
    fit: pd.DataFrame  # draw_fit.csv rows of every candidate with a stored baseline run
    base: pd.DataFrame  # the baseline runs of the kept draws (tagged)
    rounds: list[int]  # candidates per round
    seed_sd: dict[str, float] = field(default_factory=dict)  # spread between a world's fit replicates


def fit_rounds(
    scns: list[Scenario],
    mode: str,
    n: int,
    root: int,
    cap: int,
    out: Path,
    backend: Any,
    shard: tuple[int, int] | None,
    targets: Path,
    target_list: list[Any],
    epsilon: float | None = None,
    fit_replicates: int = 1,
) -> FitRounds | Path:
    """Run the baseline (``scns[0]``) of candidate draws in rounds until ``n`` fit every weighted target or
    ``cap`` candidates were tried; a later round tries about as many as the acceptance rate so far
    says are needed.  Candidates come from one stream (:func:`candidates`), so the draws kept
    depend only on the seed and the results.  With ``epsilon`` (``--fit abc``) a draw fits when its
    baseline's distance to the targets is at most ``epsilon`` instead.  Each candidate's baseline is
    judged on the mean of ``fit_replicates`` runs (its own seed and further ones); the run with its
    own seed is the one its strategies are paired with.  Returns the folder of the stage whose shard ran."""
    tried, good, rounds = 0, [], []
    cands, fits_, bases, judged = [], [], [], []
    while len(good) < n and tried < cap:
        need = n - len(good)
        size = (
            n if not rounds else min(cap - tried, max(need, math.ceil(need * tried / max(len(good), 1) * ROUND_MARGIN)))
        )
        cand = candidates(mode, n, root, tried, tried + size, targets)
        sw, index = build_sweep(
            scns, cand, name=f"uncertainty-{mode}-fit-{len(rounds)}", only={scns[0].name}, replicates=fit_replicates
        )
        folder = out / f"fit-{len(rounds)}"
        if not _stage(sw, folder, backend, shard, resume=True):
            return folder
        tab = tagged(folder, index)
        tab = tab[tab["status"] == "ok"]
        metrics = sorted({t.metric for t in target_list})
        complete = (
            tab.groupby("draw")["fit_replicate"].transform("size") == fit_replicates
        )  # a failed replicate: not judged
        means = draw_means(tab[complete], metrics)
        judged.append(tab[complete])
        fit = fit_table(means, target_list)
        fit["replicates"] = fit["draw"].map(means.set_index("draw")["replicates"])
        dist = draw_distances(tab[complete], target_list, posterior_distance(targets))
        fit["distance"] = fit["draw"].map(dist)
        ok = fits(fit) if epsilon is None else (dist <= epsilon)
        kept = [int(d) for d in cand["draw"] if bool(ok.get(d, False))][:need]
        good += kept
        cands.append(cand)
        fits_.append(fit)
        bases.append(tab[tab["draw"].isin(kept) & (tab["fit_replicate"] == 0)])
        rounds.append(size)
        tried += size
        if len(good) < n and tried < cap:
            sys.stderr.write(
                f"sesim: {len(good)} of {tried} candidate worlds "
                + (
                    "fit every weighted target"
                    if epsilon is None
                    else f"lie within the calibration's tolerance (distance <= {epsilon:.3g})"
                )
                + f" so far; trying more (at most {cap})\n"
            )
    allc = pd.concat(cands, ignore_index=True)
    return FitRounds(
        allc[allc["draw"].isin(good)].reset_index(drop=True),
        allc,
        pd.concat(fits_, ignore_index=True),
        pd.concat(bases, ignore_index=True),
        rounds,
        seed_spread(pd.concat(judged, ignore_index=True), sorted({t.metric for t in target_list}))
        if fit_replicates > 1
        else {},
    )


def _fingerprint(*parts: Any) -> str:
    import hashlib

    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def fit_summary(
    fit: pd.DataFrame,
    cands: pd.DataFrame,
    kept: pd.DataFrame,
    cap: int,
    rejecting: bool,
    rounds: list[int],
    epsilon: float | None = None,
    noise_inside: float | None = None,
    fit_replicates: int = 1,
) -> dict[str, Any]:
    """What the report and the terminal say about the fit: candidates tried, how many fit every
    weighted interval (and every interval, report-only ones included), how many were rejected;
    ``noise_inside``: the share a posterior whose worlds fill the intervals would show inside every
    one at this ``fit_replicates``, from the spread between the candidates' own replicates
    (:func:`noise_table`; None with one replicate a candidate)."""
    inside_w = fits(fit)
    inside_all = fit.groupby("draw")["inside"].all() if len(fit) else pd.Series(dtype=bool)
    kept_ids = set(kept["draw"].tolist())
    tried = len(cands)
    within = (fit.drop_duplicates("draw")["distance"] <= epsilon).sum() if epsilon is not None and len(fit) else 0
    return {
        "criterion": "abc" if epsilon is not None else "intervals",
        "epsilon": epsilon,
        "within_epsilon": int(within),
        "kept_inside_weighted": float(inside_w.reindex(sorted(kept_ids)).fillna(False).mean()) if kept_ids else 0.0,
        "rejecting": rejecting,
        "candidates": tried,
        "with_baseline": int(fit["draw"].nunique()) if len(fit) else 0,
        "inside_weighted": int(inside_w.sum()),
        "share_inside_weighted": float(inside_w.sum() / tried) if tried else 0.0,
        "share_inside_all": float(inside_all.sum() / tried) if tried else 0.0,
        "kept": len(kept_ids),
        "rejected": int(tried - (within if epsilon is not None else inside_w.sum())) if rejecting else 0,
        "surplus": int((within if epsilon is not None else inside_w.sum()) - len(kept_ids)) if rejecting else 0,
        "kept_inside_all": float(inside_all.reindex(sorted(kept_ids)).fillna(False).mean()) if kept_ids else 0.0,
        "cap": cap,
        "rounds": rounds,
        "weighted_targets": int((~fit.drop_duplicates("target")["report_only"].astype(bool)).sum()) if len(fit) else 0,
        "report_only_targets": int(fit.drop_duplicates("target")["report_only"].astype(bool).sum()) if len(fit) else 0,
        "fit_replicates": fit_replicates,
        "noise_inside": noise_inside,
    }


def run_uncertainty(
    scns: list[Scenario],
    baseline: str,
    mode: str,
    n: int,
    root: int,
    out: Path,
    backend: Any,
    headline: list[str],
    resume: bool,
    argv: list[str],
    shard: tuple[int, int] | None = None,
    targets: Path = TARGETS,
    lang: str = "en",
    max_draws: int | None = None,
    fit: str = "intervals",
    weights: dict[str, float] | None = None,
    write_report: Callable[[Path, str], list[str]] | None = None,
    fit_replicates: int = 1,
) -> UncertaintyResult | Path:
    """Run (or resume) the draws of every scenario into ``out`` and write the tables, and, with
    ``write_report`` (:func:`analysis.publish.write_uncertainty_report`, which this module does not
    import: the report sits above it), ``report.html`` in ``lang`` while the folder is still locked.  With ``posterior`` or ``all`` the baseline of each candidate draw runs first
    (``fit-R/``) and a draw whose baseline misses a weighted target interval is rejected and replaced,
    up to ``max_draws`` candidates; the strategies then run on the draws kept.  ``fit="abc"`` keeps a
    draw whose baseline lies within the calibration's tolerance instead (its distance to the targets
    at most the stored posterior's ε), and the report still says how many lie inside every
    interval.  When only a shard
    ran, returns the folder whose shards to join with ``sesim sweep merge`` before rerunning with
    --resume.  ``weights``: the ranking's weight per headline metric (1 when not given), kept in the marker."""
    from sim.outputs import ResumableLock, check_resumable, read_json_manifest

    from .calibration import load_targets
    from .sweep import check_sweep_out

    target_list = load_targets(targets)
    order = [s.name for s in scns]
    rejecting = mode in REJECTING
    if fit not in FIT_CRITERIA:
        raise ScenarioError(f"--fit {fit}: allowed {' or '.join(FIT_CRITERIA)}")
    epsilon = abc_epsilon(targets) if rejecting and fit == "abc" else None
    cap = (max_draws or MAX_DRAWS_PER_DRAW * n) if rejecting else n
    first = make_draws(mode, n, root, targets)
    sw = index = None
    if rejecting:  # the strategies' sweep is known only once the draws that fit are
        sw0, _ = build_sweep(
            scns, first, name=f"uncertainty-{mode}-fit-0", only={scns[0].name}, replicates=fit_replicates
        )
        fingerprint = _fingerprint(
            sw0.fingerprint(),
            [to_toml(s).split("\n[", 1)[-1] for s in scns],
            cap,
            [dataclasses.asdict(t) for t in target_list],
            *([] if epsilon is None else [["abc", epsilon]]),
        )
    else:
        sw, index = build_sweep(scns, first, name=f"uncertainty-{mode}")
        fingerprint = sw.fingerprint()
    meta = {
        "package": "sesim",
        "version": __version__,
        "kind": KIND,
        "mode": mode,
        "draws": n,
        "root_seed": root,
        "scenarios": order,
        "baseline": baseline,
        "headline": headline,
        "parameters": drawn_keys(first),
        "fingerprint": fingerprint,
        "command": list(argv),
        "targets": str(targets),
        "max_draws": cap,
        "fit_criterion": fit if rejecting else None,
        "fit_replicates": fit_replicates if rejecting else None,
        "epsilon": epsilon,
        "weights": dict(weights or {}),
        "titles": {s.name: [s.title_en or s.name, s.title_zh or s.name] for s in scns},
    }

    def check() -> None:
        """Every check on ``out`` before anything is written into it (a refusal leaves it as it was)."""
        if sw is not None:
            check_sweep_out(sw, out, shard, resume, KIND)
        else:
            check_resumable(out, KIND)
        old = read_json_manifest(out / MARKER)
        if old is not None and old.get("fingerprint") != meta["fingerprint"]:
            raise ScenarioError(
                f"--out {out}: holds a different uncertainty comparison; choose another folder with --out DIR"
            )

    check()
    with ResumableLock(out, shard=shard):
        check()  # the folder may have changed before the lock was ours
        result = _run(
            scns,
            sw,
            index,
            first,
            meta,
            out,
            backend,
            baseline,
            headline,
            root,
            resume,
            shard,
            lang,
            mode,
            n,
            cap,
            targets,
            target_list,
            epsilon,
            fit_replicates,
        )
        if write_report is not None and not isinstance(result, Path):
            result.notes += write_report(out, lang)
        return result


def _run(
    scns: list[Scenario],
    sw: Sweep | None,
    index: pd.DataFrame | None,
    first: pd.DataFrame,
    meta: dict[str, Any],
    out: Path,
    backend: Any,
    baseline: str,
    headline: list[str],
    root: int,
    resume: bool,
    shard: tuple[int, int] | None,
    lang: str,
    mode: str,
    n: int,
    cap: int,
    targets: Path,
    target_list: list[Any],
    epsilon: float | None = None,
    fit_replicates: int = 1,
) -> UncertaintyResult | Path:
    from .sweep import write_json

    order = [s.name for s in scns]
    out.mkdir(parents=True, exist_ok=True)
    marker = out / MARKER
    write_json(marker, meta)  # first: the folder is known as sesim's from now on
    rejecting = sw is None
    noise_inside = None
    if rejecting:
        found = fit_rounds(scns, mode, n, root, cap, out, backend, shard, targets, target_list, epsilon, fit_replicates)
        if isinstance(found, Path):
            return found
        draws, cands, fit = found.accepted, found.candidates, found.fit
        # kept: the draws the tables use (each inside every weighted interval, or within --fit abc's tolerance)
        fit = fit.assign(kept=fit["draw"].isin(draws["draw"]))
        _write_csv(fit, out / "draw_fit.csv")
        bound = noise_table(found.seed_sd, target_list, (fit_replicates,))
        if len(bound):
            noise_inside = 1.0 - float(bound.iloc[-1][f"outside_{fit_replicates}"])
        _write_parquet(cands.assign(accepted=cands["draw"].isin(draws["draw"])), out / "candidates.parquet")
        if len(draws) < MIN_DRAWS:
            worst = fit[~fit["report_only"].astype(bool)].groupby("target")["inside"].mean().sort_values().head(3)
            raise ScenarioError(
                f"--uncertainty {mode}: only {len(draws)} of {len(cands)} candidate worlds have a baseline "
                + (
                    "inside every weighted target interval"
                    if epsilon is None
                    else f"within the calibration's tolerance (distance <= {epsilon:.3g})"
                )
                + f" of {targets.name} (at least {MIN_DRAWS} are needed); the targets "
                "missed most: "
                + ", ".join(f"{k} (inside in {v:.0%})" for k, v in worst.items())
                + f"; see {out / 'draw_fit.csv'}, or allow more candidates with --max-draws"
                + (", or keep draws within the calibration's tolerance with --fit abc" if epsilon is None else "")
            )
        sw, index = build_sweep(scns, draws, name=f"uncertainty-{mode}", only={x.name for x in scns[1:]})
        _write_parquet(draws, out / "draws.parquet")
        _write_parquet(index, out / "points.parquet")
        if not _stage(sw, out, backend, shard, resume, kind=KIND, lock=False):
            return out
        table = pd.concat([found.base, tagged(out, index)], ignore_index=True)
        rounds = found.rounds
    else:
        _write_parquet(first, out / "draws.parquet")
        _write_parquet(index, out / "points.parquet")
        if not _stage(sw, out, backend, shard, resume, kind=KIND, lock=False):
            return out
        draws = cands = first
        table = tagged(out, index)
        fit = fit_table(table[(table["scenario"] == baseline) & (table["status"] == "ok")], target_list)
        fit = fit.assign(kept=True)  # this mode rejects none: the tables use every draw
        _write_csv(fit, out / "draw_fit.csv")
        rounds = [n]
    if "distance" not in fit:
        fit = fit.assign(
            distance=fit["draw"].map(
                draw_distances(
                    table[(table["scenario"] == baseline) & (table["status"] == "ok")],
                    target_list,
                    posterior_distance(targets),
                )
            )
        )
    summary = fit_summary(
        fit, cands, draws, cap, rejecting, rounds, epsilon, noise_inside, fit_replicates if rejecting else 1
    )
    _write_csv(
        range_coverage(cands, cands["draw"].isin(draws["draw"]).set_axis(cands["draw"])), out / "range_coverage.csv"
    )
    result = analyse(table.drop(columns="fit_replicate", errors="ignore"), draws, order, baseline, headline, seed=root)
    result.fit = summary
    if summary["kept"] < n:
        result.notes.append(
            f"only {summary['kept']} of the {n} draws asked for fit the targets within "
            f"{cap} candidates; the tables use those {summary['kept']}"
        )
    for name, df in (
        ("uncertainty.csv", result.uncertainty),
        ("rank.csv", result.rank),
        ("hinges.csv", result.hinges),
        ("summary.csv", result.runs),
    ):
        _write_csv(df, out / name)
    meta.update(status="complete", finished=time.strftime("%Y-%m-%dT%H:%M:%S%z"), fit=summary)
    write_json(marker, meta)
    return result


def _write_csv(df: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    write_csv(df, tmp, float_format="%.10g")
    os.replace(tmp, path)


def _write_parquet(df: pd.DataFrame, path: Path) -> None:
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    df.to_parquet(tmp, index=False)
    os.replace(tmp, path)


def text(result: UncertaintyResult, baseline: str, headline: list[str], mode: str, lang: str = "en") -> str:
    """The terminal summary: per strategy and headline metric, median difference [5%, 95%] and
    the probability of improvement; then the probability of ranking first; in ``lang``."""
    from .labels import display_scale, draws_needed, metric_label, percent, tf, unit_label, with_interval

    u = result.uncertainty.set_index(["strategy", "metric"])
    n = int(result.runs["draw"].nunique()) if len(result.runs) else 0
    name = (lambda m: metric_label(m, lang)) if lang == "zh" else (lambda m: m)  # noqa: E731
    sep = "；" if lang == "zh" else "; "
    lines = [tf("cli_unc_header", lang, base=baseline, n=n, mode=mode)]
    f = result.fit
    if f:
        key = (
            ("cli_unc_fit_abc" if f.get("criterion") == "abc" else "cli_unc_fit_reject")
            if f["rejecting"]
            else "cli_unc_fit"
        )
        lines.append(
            tf(
                key,
                lang,
                k=f["inside_weighted"],
                eps=f"{f.get('epsilon') or 0:.3g}",
                within=f.get("within_epsilon", 0),
                kept_w=percent(f.get("kept_inside_weighted", 0.0)),
                c=f["candidates"],
                share=percent(f["share_inside_weighted"]),
                w=f["weighted_targets"],
                r=f["rejected"],
                n=f["kept"],
                all=percent(f["share_inside_all"]),
                kept_all=percent(f["kept_inside_all"]),
                ro=f.get("report_only_targets", 0),
            )
        )
        if f.get("noise_inside") is not None:
            lines.append(tf("fit_noise", lang, share=percent(f["noise_inside"]), k=f.get("fit_replicates", 1)))
    for s in dict.fromkeys(result.uncertainty["strategy"]):
        cells = []
        for m in headline:
            if (s, m) not in u.index:
                continue
            r = u.loc[(s, m)]
            k = display_scale(m)
            d, lo, hi = with_interval(r["median_diff"] * k, r["q05"] * k, r["q95"] * k, m)
            cells.append(f"{name(m)} {d} [{lo}, {hi}] {unit_label(m, lang)}, P {r['prob_improvement']:.2f}")
        lines.append(f"  {s}: " + sep.join(cells))
    if n < draws_needed():
        lines.append(tf("cli_unc_few", lang, n=n, k=draws_needed()))
    if result.uncertainty["strategy"].nunique() > 1:  # with one strategy "best" only repeats "better"
        best = (
            result.rank.sort_values("prob_first", ascending=False, kind="stable").groupby("metric", sort=False).head(1)
        )
        lines.append(
            tf("cli_unc_best", lang)
            + sep.join(
                tf("cli_unc_best_one", lang, metric=name(r.metric), strategy=r.strategy, p=percent(r.prob_first))
                for r in best.itertuples()
            )
        )
    return "\n".join(lines)
