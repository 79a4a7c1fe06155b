"""History matching with emulators: ``sesim calibrate --kernel history`` (docs/calibration.md, *History matching*).

ABC-SMC in many dimensions keeps particles whose *total* excess over the intervals is small, so a
particle may sit a little outside several of them, and it keeps the runs whose seeds were lucky
(the winner's curse).  History matching asks instead which worlds could put the baseline inside
*every* interval (Vernon, Goldstein & Bower 2010, Bayesian Analysis 5:619; for agent-based models
Andrianakis et al. 2015, PLoS Comput Biol 11:e1003968), in waves:

1. wave 0 runs a Latin hypercube over the free parameters' ranges (with ``--warm-start``, it is
   drawn as a later wave is, from emulators trained on the earlier runs);
2. after each wave, an *emulator* of every weighted target metric — a ridge regression on every
   drawn parameter scaled to [0, 1], the squares of the free ones and a constant — is fitted to the
   runs that lie in the region not yet ruled out; its residual spread ``sigma`` holds the seed
   noise and the emulator's own error;
3. a point is *implausible* when, for some target, its emulated value lies more than ``CUT``
   spreads outside the interval (only beyond the bound of a one-sided target; Pukelsheim's
   three-sigma rule); the region not ruled out is what every emulator so far leaves;
4. the next wave's points are drawn by random-walk Metropolis chains over that region, with
   density proportional to the emulated probability that a run lands inside every interval,
   raised to a power that grows from 0 to 1 over the first half of the waves (tempering: early
   emulators are trusted less).

``--warm-start DIR`` adds the runs of earlier calibrations (any kernel) to the emulators' training
data: the first emulators then see thousands of runs near the worlds that fit, where a Latin
hypercube over 186 dimensions sees few.

Besides the free parameters, every other assumption with a plausible range
(``sim.params.assumption_ranges``) is drawn over it, as ``compare --uncertainty all``
draws them: the screen of which assumptions the targets touch (``analysis.fit_screen``) missed some
that move them together (the disruption and training costs, the entry rate on the firms' loss
share), so they enter the emulators linearly and are constrained with the rest.  The last wave's
points, every drawn parameter of them, are the posterior sample (equal weights): prior x P(inside
every interval | parameters), as the emulators see it.  ``compare --uncertainty posterior|all`` then rejects a draw whose baseline
misses an interval, which corrects what the emulators got wrong.  No parameter is computed from a
target value; every random number comes from ``SeedSequence([seed, wave, ...])``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import norm

from sim.spreadsheet import write_csv

from .sweepfile import Lever

CUT = 3.0  # implausibility cut-off in emulator spreads (Pukelsheim 1994, the three-sigma rule)
RIDGES = (1e-4, 1e-3, 1e-2, 1e-1, 1.0)  # ridge penalties tried per target (on features scaled to [0, 1])
FOLDS = 5  # cross-validation folds that choose the penalty and measure the emulator's error
MIN_TRAINING = 100  # fewer runs than this in the region: the emulator is fitted to every run so far
CHAINS = 2000  # Metropolis chains drawing a wave's points
STEPS = 100  # steps of each chain
STEP_SCALE = (
    2.38**2
)  # random-walk covariance = STEP_SCALE / dimension x the region's covariance (Roberts & Rosenthal 2001)
STEP_FLOOR = 0.01  # least standard deviation of a step, per unit of a parameter's range
MIN_ROWS_PER_FEATURE = 3  # fewer training runs than this per feature: squares are left out (linear emulator)
COVERAGE_SAMPLE = 20000  # uniform points over the box that estimate the share of it not ruled out


@dataclass
class Emulator:
    """Per target: coefficients on [1, u, u[:, :squares]^2] and the residual spread."""

    coef: np.ndarray  # features x targets
    sigma: np.ndarray  # targets
    squares: int  # leading columns of u that enter squared too (0: a linear emulator)

    def features(self, u: np.ndarray) -> np.ndarray:
        return features(u, self.squares)

    def predict(self, u: np.ndarray) -> np.ndarray:
        return self.features(u) @ self.coef


def features(u: np.ndarray, squares: int) -> np.ndarray:
    return np.hstack([np.ones((len(u), 1)), u, u[:, :squares] ** 2])


def fit_emulator(u: np.ndarray, y: np.ndarray, squares: int | None = None) -> Emulator:
    """Ridge regression of each column of ``y`` (runs x targets) on the features of ``u`` (the
    squares of its first ``squares`` columns, all by default, when there are enough runs for
    them).  Each target's penalty is the one of ``RIDGES`` with the least cross-validated error
    (``FOLDS`` folds), and ``sigma`` is that error's standard deviation: the emulator's
    predictive error on runs it was not fitted to, seed noise included."""
    k = u.shape[1] if squares is None else squares
    k = k if len(u) >= MIN_ROWS_PER_FEATURE * (1 + u.shape[1] + k) else 0
    X = features(u, k)
    n, p = X.shape
    if n < 2 * FOLDS:  # too few runs to fit or to judge: the mean and the spread
        coef = np.zeros((p, y.shape[1]))
        coef[0] = y.mean(axis=0)
        return Emulator(coef, np.maximum(y.std(axis=0), 1e-9), k)
    pen = np.diag([0.0] + [1.0] * (p - 1))
    fold = np.arange(n) % FOLDS

    def solve(rows: np.ndarray, lam: float) -> np.ndarray:
        Xr = X[rows]
        return np.linalg.solve(Xr.T @ Xr + lam * len(Xr) * pen + 1e-12 * np.eye(p), Xr.T @ y[rows])

    mse = np.zeros((len(RIDGES), y.shape[1]))
    for i, lam in enumerate(RIDGES):
        for f in range(FOLDS):
            held = fold == f
            mse[i] += ((y[held] - X[held] @ solve(~held, lam)) ** 2).sum(axis=0)
    mse /= n
    best = mse.argmin(axis=0)
    coef = np.empty((p, y.shape[1]))
    for i, lam in enumerate(RIDGES):
        cols = best == i
        if cols.any():
            coef[:, cols] = solve(np.ones(n, bool), lam)[:, cols]
    sigma = np.sqrt(mse[best, np.arange(y.shape[1])])
    return Emulator(coef, np.maximum(sigma, 1e-9), k)


def bounds(targets: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Low and high bound of each target (minus / plus infinity where a one-sided target has none)."""
    lo = np.array([-np.inf if t.sided == "upper" else t.low for t in targets], float)
    hi = np.array([np.inf if t.sided == "lower" else t.high for t in targets], float)
    return lo, hi


def implausibility(em: Emulator, u: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per point, the largest over targets of how many spreads the emulated value lies outside."""
    mu = em.predict(u)
    out = np.maximum(lo - mu, 0.0) + np.maximum(mu - hi, 0.0)
    return (out / em.sigma).max(axis=1)


def log_inside(em: Emulator, u: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per point, log P(a run lands inside every interval) with independent Gaussian errors."""
    mu = em.predict(u)
    p = norm.cdf((hi - mu) / em.sigma) - norm.cdf((lo - mu) / em.sigma)
    return np.log(np.maximum(p, 1e-300)).sum(axis=1)


def plausible(emulators: list[Emulator], u: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    ok = np.ones(len(u), bool)
    for em in emulators:
        ok &= implausibility(em, u, lo, hi) <= CUT
    return ok


def reflect01(u: np.ndarray) -> np.ndarray:
    y = np.mod(u, 2.0)
    return np.where(y > 1.0, 2.0 - y, y)


def draw_wave(
    emulators: list[Emulator], start: np.ndarray, n: int, power: float, lo: np.ndarray, hi: np.ndarray, rng: Any
) -> np.ndarray:
    """``n`` points of the region not ruled out, drawn by Metropolis chains (started at ``start``,
    points already known to lie in it) whose density is P(inside | u) ** power there and 0 outside;
    a chain started outside it moves to the first point of it that it proposes."""
    d = start.shape[1]
    x = start[rng.integers(len(start), size=CHAINS)]
    if len(start) > d:
        cov = np.atleast_2d(np.cov(start.T))
    else:  # too few points for a covariance: their spreads, or a uniform's
        cov = np.diag(start.var(axis=0)) if len(start) > 1 else np.eye(d) / 12.0
    cov = STEP_SCALE / d * (cov + STEP_FLOOR**2 * np.eye(d))
    last = emulators[-1]
    lp = np.where(plausible(emulators, x, lo, hi), power * log_inside(last, x, lo, hi), -np.inf)
    for _ in range(STEPS):
        y = reflect01(x + rng.multivariate_normal(np.zeros(d), cov, size=CHAINS))
        ok = plausible(emulators, y, lo, hi)
        lq = np.where(ok, power * log_inside(last, y, lo, hi), -np.inf)
        with np.errstate(invalid="ignore"):  # -inf - -inf: a chain outside that stays outside
            take = np.log(rng.random(CHAINS)) < lq - lp
        x = np.where(take[:, None], y, x)
        lp = np.where(take, lq, lp)
    pool = np.flatnonzero(np.isfinite(lp))  # chains that reached the region (all of them when it is known)
    pool = pool if len(pool) else np.arange(CHAINS)
    return x[pool[rng.choice(len(pool), size=n, replace=n > len(pool))]]


def to_unit(x: np.ndarray, free: tuple[Lever, ...]) -> np.ndarray:
    lo = np.array([lv.low for lv in free], float)
    hi = np.array([lv.high for lv in free], float)
    return (x - lo) / (hi - lo)


def from_unit(u: np.ndarray, free: tuple[Lever, ...]) -> np.ndarray:
    lo = np.array([lv.low for lv in free], float)
    hi = np.array([lv.high for lv in free], float)
    return lo + u * (hi - lo)


def nuisance_levers(s: Any) -> tuple[Lever, ...]:
    """The other assumptions with a plausible range, drawn in every run and emulated with the free
    parameters (none with ``--hold-assumptions``)."""
    from .calibration import other_assumptions

    return () if s.hold_assumptions else other_assumptions(s)


def check_warm_start(folders: tuple[str, ...] | list[Any], metrics: list[str]) -> None:
    """Refuse, in one line and before anything is written, a ``--warm-start`` folder that is not a
    calibration with stored runs of the target metrics."""
    from sim.outputs import check_resumable
    from sim.scenario import ScenarioError

    from .calibration import KIND
    from .sweep import load_runs

    for folder in folders:
        f = Path(folder)
        if not f.is_dir():
            raise ScenarioError(f"--warm-start {folder}: no such folder")
        check_resumable(f, KIND)
        if not (f / "calibration.json").is_file():
            raise ScenarioError(f"--warm-start {folder}: not a calibration (no calibration.json)")
        stored = 0
        for g in sorted(f.glob("gen-*")):
            try:
                runs = load_runs(g)
            except ScenarioError:
                continue
            missing = [m for m in metrics if m not in runs]
            if missing:
                raise ScenarioError(f"--warm-start {folder}: its runs lack the target metric(s) {', '.join(missing)}")
            stored += int((runs["status"] == "ok").sum())
        if not stored:
            raise ScenarioError(f"--warm-start {folder}: holds no finished run (DIR/gen-*/runs)")


def warm_runs(
    folders: tuple[str, ...], levers: tuple[Lever, ...], base: Any, metrics: list[str], cache: Path
) -> tuple[np.ndarray, np.ndarray]:
    """The runs of earlier calibrations (``--warm-start DIR``: every ``DIR/gen-*`` sweep) as training
    data: each run's parameters in the unit box (a parameter the run did not vary at the scenario's
    value) and its target metrics.  Read once and kept in ``cache`` (``warm-start.npz`` of the
    calibration), so that a resumed calibration trains on the same runs and draws the same waves
    even if an earlier calibration has grown since."""
    from .sweep import load_runs

    if cache.is_file():
        with np.load(cache) as z:
            return z["U"], z["Y"]
    U, Y = [np.empty((0, len(levers)))], [np.empty((0, len(metrics)))]
    for folder in folders:
        for g in sorted(Path(folder).glob("gen-*")):
            if not (g / "runs").is_dir():  # a generation a stopped calibration never began
                continue
            runs = load_runs(g)
            runs = runs[runs["status"] == "ok"]
            cols = []
            for lv in levers:
                section, key = lv.key.split(".", 1)
                x = (
                    runs[lv.key]
                    if lv.key in runs
                    else pd.Series(getattr(getattr(base.params, section), key), index=runs.index)
                )
                cols.append((x.to_numpy(float) - lv.low) / (lv.high - lv.low))
            y = runs[metrics].to_numpy(float)
            good = np.isfinite(y).all(axis=1)
            U.append(np.clip(np.column_stack(cols), 0.0, 1.0)[good])
            Y.append(y[good])
    out = np.vstack(U), np.vstack(Y)
    if folders:
        tmp = cache.with_name(f".tmp-{cache.name}")
        with open(tmp, "wb") as fh:
            np.savez(fh, U=out[0], Y=out[1])
        tmp.replace(cache)
    return out


def unvaried(U: np.ndarray) -> np.ndarray:
    """Columns the runs so far never varied (warm runs of a calibration that held the non-free
    assumptions at the scenario's values; one run with ``--draw-assumptions`` varies them)."""
    return np.ptp(U, axis=0) < 1e-9 if len(U) else np.zeros(U.shape[1], bool)


def calibrate(
    s: Any, out: Path, backend_factory: Any, progress: bool = True, log: Any = print
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``sesim calibrate --kernel history``: the checks every kernel makes
    (:func:`analysis.calibration.begin`), then the waves (:func:`calibrate_history`)."""
    from .calibration import begin

    return calibrate_history(s, out, backend_factory, begin(s, out), progress, log)


def calibrate_history(
    s: Any, out: Path, backend_factory: Any, base: Any, progress: bool, log: Any
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The waves of history matching (module docstring); returns (the last wave's points as
    equal-weight particles, per-wave summary, fit table), as :func:`analysis.calibration.calibrate`."""
    from sim.metrics import ALL_METRICS

    from .calibration import distances, fit_table, generation_sweep
    from .sweep import load_runs, run_sweep

    weighted = [t for t in s.targets if t.weight > 0]
    metrics = sorted({t.metric for t in s.targets})
    lo, hi = bounds(weighted)
    both = dataclasses.replace(s, free=tuple(s.free) + nuisance_levers(s))
    keys = [lv.key for lv in both.free]
    n, d = s.proposals, len(keys)
    emulators: list[Emulator] = []
    U, Y = warm_runs(s.warm_start, both.free, base, [t.metric for t in weighted], out / "warm-start.npz")
    waves = []
    warm = int(len(U) > 0)
    if warm:
        emulators.append(fit_emulator(U, Y, squares=len(s.free)))
        log(f"warm start: {len(U)} runs of {len(s.warm_start)} earlier calibration(s) train the first emulators")
    for wave in range(s.generations):
        rng = np.random.default_rng(np.random.SeedSequence([s.seed, wave, 2]))
        if not emulators:
            u = latin_hypercube(d, n, rng)
        else:
            region = plausible(emulators, U, lo, hi)
            start = (U[region] if region.sum() >= 2 else U).copy()
            fixed = unvaried(U)  # never varied (warm runs): start uniform, so the waves draw them over their ranges
            start[:, fixed] = rng.random((len(start), int(fixed.sum())))
            power = min(1.0, (wave + warm) / max(s.generations // 2, 1))
            u = draw_wave(emulators, start, n, power, lo, hi, rng)
        pts = from_unit(u, both.free)
        u = to_unit(np.array([[lv.value(x) for x in pts[:, j]] for j, lv in enumerate(both.free)], float).T, both.free)
        gdir = out / f"gen-{wave:02d}"
        res = run_sweep(
            generation_sweep(both, pts, wave, base), gdir, backend_factory(), resume=True, progress=progress
        )
        runs = load_runs(gdir)
        ok = runs[runs["status"] == "ok"]
        means = ok.groupby("point")[metrics].mean().reindex(range(n)).reset_index(drop=True)
        y = means[[t.metric for t in weighted]].to_numpy(float)
        good = np.isfinite(y).all(axis=1)
        U, Y = np.vstack([U, u[good]]), np.vstack([Y, y[good]])
        dist = distances(means, s.targets, "intervals")
        inside = float(np.mean(dist == 0))
        region = plausible(emulators, U, lo, hi) if emulators else np.ones(len(U), bool)
        if region.sum() < MIN_TRAINING:
            region = np.ones(len(U), bool)
        emulators.append(fit_emulator(U[region], Y[region], squares=len(s.free)))
        share = float(plausible(emulators, rng.random((COVERAGE_SAMPLE, d)), lo, hi).mean())
        waves.append(
            {
                "generation": wave,
                "proposals": n,
                "accepted": int((dist == 0).sum()),
                "inside_share": inside,
                "epsilon": float(np.median(dist[np.isfinite(dist)])) if np.isfinite(dist).any() else float("nan"),
                "ess": float(n),
                "distinct": n,
                "region_share": share,
                "training_runs": int(region.sum()),
                "failed_runs": int(n * s.replicates - len(ok)),
                "runs_per_second": res.runs_per_second,
            }
        )
        log(
            f"wave {wave}: {n} worlds run, {inside:.0%} inside every weighted interval; the emulators "
            f"rule out {1 - share:.3%} of the parameters' box"
        )
        acc = pd.DataFrame(
            {
                "generation": wave,
                "particle": np.arange(n),
                **{lv.key: [lv.value(x) for x in pts[:, j]] for j, lv in enumerate(both.free)},
                "distance": dist,
                "weight": 1.0 / n,
                **{m: means[m].to_numpy(float) for m in metrics},
            }
        )
        write_csv(acc, gdir / "accepted.csv", float_format="%.8g")
        last = acc[np.isfinite(dist)].reset_index(drop=True)  # a failed world is no part of the posterior
        last["weight"] = 1.0 / max(len(last), 1)
    return last, pd.DataFrame(waves), fit_table(last, s.targets, ALL_METRICS)


def latin_hypercube(d: int, n: int, rng: Any) -> np.ndarray:
    """A Latin hypercube of ``n`` points in ``d`` dimensions of the unit box."""
    from scipy.stats import qmc

    return qmc.LatinHypercube(d=d, seed=rng).random(n)
