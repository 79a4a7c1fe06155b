"""Pattern-oriented calibration (``sesim calibrate``): approximate Bayesian computation by
sequential Monte Carlo (ABC-SMC) over the sweep runner.

Generation 0 draws a Latin hypercube over the free parameters' uniform priors (SALib).  Each
later generation resamples the previous generation's accepted particles by their weights and
moves each with a Gaussian kernel of its own: the optimal local covariance (OLCM; Filippi et al.
2013, Stat. Appl. Genet. Mol. Biol. 12:87), the weighted second moment of the best particles
(distance at most the population's weighted median, ``LOCAL_SHARE``) about the particle moved.
A particle far from the good region takes long steps toward it, one inside it short steps,
where the global kernel of twice the weighted covariance (Beaumont et al. 2009, Biometrika
96:983) kept proposing from the whole spread and the threshold fell by a few percent a
generation (docs/calibration.md, *Method*); proposals outside the prior are drawn again.  Every generation is one sweep
(design ``points``) run by :func:`analysis.sweep.run_sweep`, so it uses the same backends,
seeds, resume and progress bar.  A particle's distance to the targets is

    d = sqrt( sum_i w_i ((m_i - v_i) / h_i)^2 )

with m_i the mean of the metric over the particle's replicates, v_i the target value, h_i the
half-width of its interval (or its tolerance) and w_i its weight.  A one-sided target (``sided =
"upper"`` or ``"lower"``: the source gives only a bound) counts only how far m_i lies beyond the
bound, (m_i - high) / h_i above it or (low - m_i) / h_i below it, and nothing inside.  The threshold of each
generation is the ``accept`` quantile of its proposals' distances (adaptive ABC-SMC, Del Moral
et al. 2012, Statistics and Computing 22:1009); the accepted particles carry importance weights
prior / sum_k W_k K(theta | theta_k).  The output is the last generation's weighted particles: a
posterior sample, not one point.  No parameter is computed from a target value.

All randomness comes from ``SeedSequence([seed, generation])``: the same seed gives the same
accepted sets on any backend (pyabc's samplers reseed from the OS, hence not used).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import stat
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.inputs import finite_number, parse_toml_value, shown
from sim.params import SECTIONS
from sim.scenario import ScenarioError, coerce, load_scenario, read_toml_file, to_toml
from sim.spreadsheet import write_csv

from .sweepfile import Lever, Sweep

TARGET_KEYS = ("metric", "value", "interval", "tolerance", "sided", "weight", "role", "source", "population")
ROLES = ("headline", "secondary")
KIND = "calibrate"  # the kind calibration.json records (sim.outputs.RESUMABLE)
SIDES = ("both", "upper", "lower")  # both: pulled toward the value; upper / lower: only a bound is published
ACCEPT = 0.25  # share of each generation's proposals accepted
GENERATIONS = 4
REPLICATES = 2
ESS_WARN = 0.2  # a generation whose effective sample is below this share of its particles is said to be degenerate
PAIRS_MAX = 8  # free parameters up to which posterior.png shows the pairs
MARGINAL_COLUMNS = 6  # histograms per row beyond that
KERNEL = "olcm"  # the default move; recorded in calibration.json: a calibration moved by another kernel is not resumed
KERNELS = ("olcm", "mcmc", "history")
DISTANCES = (
    "centre",
    "intervals",
)  # pulled toward each target's value, or 0 anywhere inside its interval  # importance-weighted local moves, or equal-weight MCMC moves (Del Moral et al. 2012)
MCMC_SCALE = (
    2.38**2
)  # the random walk's covariance is MCMC_SCALE / (free parameters) x the live particles' (Roberts & Rosenthal 2001)
MCMC_TARGET_RATE = 0.234  # the step is widened when more proposals than this share are accepted, narrowed when fewer
LOCAL_SHARE = 0.5  # OLCM: the local covariance is taken about the best half of the particles (weight)
MAX_REDRAWS = 1000  # proposals drawn again when outside the prior, per particle
START_SPREAD = (
    0.05  # --start scenario: the first generation spans this share of each range on either side of the scenario's value
)


@dataclass(frozen=True)
class Target:
    name: str
    metric: str
    value: float
    low: float
    high: float
    weight: float
    role: str
    source: str
    population: str = ""
    sided: str = "both"

    @property
    def scale(self) -> float:
        """The half-width that one unit of distance stands for."""
        return max((self.high - self.low) / 2.0, 1e-12)

    def deviation(self, m: np.ndarray) -> np.ndarray:
        """Signed distance of metric values from the target in units of ``scale``: from the value
        for a two-sided target; beyond the bound, and 0 inside, for a one-sided one."""
        m = np.asarray(m, float)
        if self.sided == "upper":
            return np.maximum(m - self.high, 0.0) / self.scale  # a missing value stays missing
        if self.sided == "lower":
            return np.maximum(self.low - m, 0.0) / self.scale
        return (m - self.value) / self.scale

    def excess(self, m: np.ndarray) -> np.ndarray:
        """How far metric values lie outside the interval, in units of ``scale``, and 0 inside it
        (only beyond the bound for a one-sided target): the implausibility of history matching."""
        m = np.asarray(m, float)
        above = np.maximum(m - self.high, 0.0) / self.scale
        below = np.maximum(self.low - m, 0.0) / self.scale
        if self.sided == "upper":
            return above
        if self.sided == "lower":
            return below
        return above + below


def load_targets(path: str | Path) -> list[Target]:
    """Read a target file; one line naming file, target and key on any problem."""
    from sim.metrics import ALL_METRICS

    p = Path(path)
    data = read_toml_file(p)  # a regular UTF-8 file, finite numbers only
    out = []
    for name, t in data.items():
        where = f"{p}: target {shown(name)}"
        if not isinstance(t, dict):
            raise ScenarioError(
                f"{where}: must be a table [{shown(name, raw=True)}] with value, interval or tolerance, weight, source"
            )
        for k in t:
            if k not in TARGET_KEYS:
                import difflib

                near = difflib.get_close_matches(k, TARGET_KEYS, n=1)
                raise ScenarioError(
                    f"{where}: unknown key {shown(k)}"
                    + (f"; did you mean '{near[0]}'?" if near else f" (allowed: {', '.join(TARGET_KEYS)})")
                )
        metric = t.get("metric", name)
        if metric not in ALL_METRICS:
            import difflib

            near = difflib.get_close_matches(str(metric), ALL_METRICS, n=1)
            raise ScenarioError(
                f"{where}: metric {shown(metric)} is not a metric of sesim"
                + (f"; did you mean '{near[0]}'?" if near else "")
            )
        num = lambda k, t=t: finite_number(t.get(k))  # noqa: E731
        if not num("value"):
            raise ScenarioError(f"{where}: key 'value' is missing or not a number")
        v = float(t["value"])
        if ("interval" in t) == ("tolerance" in t):
            raise ScenarioError(f"{where}: give either interval = [low, high] or tolerance = x")
        if "interval" in t:
            iv = t["interval"]
            if not (
                isinstance(iv, list)
                and len(iv) == 2
                and all(finite_number(x) for x in iv)
                and iv[0] <= v <= iv[1]
                and iv[0] < iv[1]
            ):
                raise ScenarioError(
                    f"{where}: key 'interval' = {shown(iv)}: allowed [low, high] with low <= value <= high"
                )
            lo, hi = float(iv[0]), float(iv[1])
        else:
            if not num("tolerance") or t["tolerance"] <= 0:
                raise ScenarioError(f"{where}: key 'tolerance' = {shown(t['tolerance'])}: allowed a number > 0")
            lo, hi = v - float(t["tolerance"]), v + float(t["tolerance"])
        sided = t.get("sided", "both")
        if sided not in SIDES:
            raise ScenarioError(f"{where}: key 'sided' = {sided!r}: allowed " + ", ".join(f'"{x}"' for x in SIDES))
        w = t.get("weight", 1.0)
        if not finite_number(w) or w < 0:
            raise ScenarioError(f"{where}: key 'weight' = {shown(w)}: allowed a number >= 0")
        role = t.get("role", "headline")
        if role not in ROLES:
            raise ScenarioError(f"{where}: key 'role' = {shown(role)}: allowed " + " or ".join(f'"{r}"' for r in ROLES))
        if not isinstance(t.get("source"), str) or not t["source"].strip():
            raise ScenarioError(f"{where}: key 'source' is missing: every target cites where it comes from")
        out.append(Target(name, metric, v, lo, hi, float(w), role, t["source"], str(t.get("population", "")), sided))
    if not any(t.weight > 0 for t in out):
        raise ScenarioError(f"{p}: no target with weight > 0")
    return out


def load_targets_from_settings(settings: dict[str, Any]) -> list[Target]:
    """The targets as recorded in a calibration's ``calibration.json`` settings."""
    return [Target(**t) for t in settings["targets"]]


def parse_free(items: list[str]) -> tuple[Lever, ...]:
    """``section.key=[lo,hi]`` -> levers with their prior ranges, checked against the schema."""
    levers = []
    for text in items:
        flag = shown(text, raw=True)
        if "=" not in text:
            raise ScenarioError(f"--free {flag}: expected section.key=[lo,hi], e.g. behaviour.offer_rate=[0.5,1.0]")
        key, rng = (x.strip() for x in text.split("=", 1))
        try:
            lo_hi = parse_toml_value(rng, f"--free {shown(key, raw=True)}")
        except tomllib.TOMLDecodeError:
            lo_hi = None
        if not (isinstance(lo_hi, list) and len(lo_hi) == 2):
            raise ScenarioError(f"--free {flag}: expected a range [lo,hi] after '='")
        if key.count(".") != 1 or key.split(".")[0] not in SECTIONS:
            raise ScenarioError(f"--free {flag}: unknown key {shown(key)} (expected section.key)")
        s, k = key.split(".")
        fields = {f.name: f for f in dataclasses.fields(SECTIONS[s])}
        if k not in fields:
            import difflib

            near = difflib.get_close_matches(k, list(fields), n=1, cutoff=0.5)
            raise ScenarioError(
                f"--free {flag}: unknown key {shown(key)}" + (f"; did you mean '{s}.{near[0]}'?" if near else "")
            )
        f = fields[k]
        default = f.default if f.default is not dataclasses.MISSING else None
        if isinstance(default, bool) or not isinstance(default, (int, float)) or key == "run.seed":
            raise ScenarioError(f"--free {flag}: '{key}' is not a numeric parameter")
        lo = coerce(f"--free {flag}", key, f, lo_hi[0])
        hi = coerce(f"--free {flag}", key, f, lo_hi[1])
        if not lo < hi:
            raise ScenarioError(f"--free {flag}: low {lo} must be below high {hi}")
        if any(lv.key == key for lv in levers):
            raise ScenarioError(f"--free {flag}: '{key}' is given twice")
        levers.append(Lever(key, low=lo, high=hi, integer=isinstance(default, int)))
    if not levers:
        raise ScenarioError("calibrate: free at least one parameter with --free section.key=[lo,hi]")
    return tuple(levers)


# --- ABC-SMC ------------------------------------------------------------------------------------
@dataclass
class Settings:
    scenario: str
    free: tuple[Lever, ...]
    targets: list[Target]
    budget: int
    replicates: int = REPLICATES
    generations: int = GENERATIONS
    accept: float = ACCEPT
    seed: int = 0
    sets: tuple[str, ...] = ()
    kernel: str = KERNEL
    distance: str = "centre"
    warm_start: tuple[str, ...] = ()  # --kernel history: earlier calibrations whose runs train the first emulators
    hold_assumptions: bool = False  # --kernel history: the assumptions not free stay at the scenario's values
    draw_assumptions: bool = False  # --kernel olcm|mcmc: the assumptions not free are drawn in every run
    start: str = "prior"  # --kernel mcmc: "scenario" starts the chains about the scenario's values

    @property
    def proposals(self) -> int:
        """Particles proposed per generation."""
        return self.budget // (self.generations * self.replicates)

    @property
    def keep(self) -> int:
        return max(2, int(math.ceil(self.accept * self.proposals)))

    def describe(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "kernel": self.kernel,
            **({"distance": self.distance} if self.distance != "centre" else {}),
            **({"warm_start": list(self.warm_start)} if self.warm_start else {}),
            **({"hold_assumptions": True} if self.hold_assumptions else {}),
            **({"draw_assumptions": True} if self.draw_assumptions else {}),
            **({"start": self.start} if self.start != "prior" else {}),
            "sets": list(self.sets),
            "budget": self.budget,
            "replicates": self.replicates,
            "generations": self.generations,
            "accept": self.accept,
            "seed": self.seed,
            "proposals_per_generation": self.proposals,
            "accepted_per_generation": self.keep,
            "free": [{"key": lv.key, "low": lv.low, "high": lv.high} for lv in self.free],
            "targets": [dataclasses.asdict(t) for t in self.targets],
        }


def distances(means: pd.DataFrame, targets: list[Target], kind: str = "centre") -> np.ndarray:
    """Distance of each particle (row of metric means) to the targets; inf where a value is missing.
    ``kind`` "centre": from each target's value (:meth:`Target.deviation`); "intervals": only what
    lies outside each interval (:meth:`Target.excess`), so 0 means inside every weighted interval."""
    d2 = np.zeros(len(means))
    for t in targets:
        if t.weight == 0:
            continue
        x = means[t.metric].to_numpy(float)
        d2 = d2 + t.weight * (t.excess(x) if kind == "intervals" else t.deviation(x)) ** 2
    d = np.sqrt(d2)
    return np.where(np.isfinite(d), d, np.inf)


def propose(prev: pd.DataFrame | None, s: Settings, gen: int) -> np.ndarray:
    """The generation's proposals (rows: particles, columns: free parameters)."""
    lo = np.array([lv.low for lv in s.free], float)
    hi = np.array([lv.high for lv in s.free], float)
    if prev is None:
        from SALib.sample import latin

        prob = {"num_vars": len(s.free), "names": [lv.key for lv in s.free], "bounds": list(zip(lo, hi))}
        return latin.sample(prob, s.proposals, seed=int(np.random.SeedSequence([s.seed, gen]).generate_state(1)[0]))
    rng = np.random.default_rng(np.random.SeedSequence([s.seed, gen]))
    theta = prev[[lv.key for lv in s.free]].to_numpy(float)
    w = prev["weight"].to_numpy(float)
    covs = local_covs(prev, s)
    out = np.empty((s.proposals, len(s.free)))
    for i in range(s.proposals):
        for _ in range(MAX_REDRAWS):
            j = rng.choice(len(theta), p=w)
            x = rng.multivariate_normal(theta[j], covs[j])
            if np.all(x >= lo) and np.all(x <= hi):
                break
        else:
            x = np.clip(x, lo, hi)
        out[i] = x
    return out


def start_points(s: Settings, base: Any) -> np.ndarray:
    """``--start scenario``: the first generation about the scenario's values of the free parameters
    (a Latin hypercube over ``START_SPREAD`` of each range on either side, inside the prior's box),
    where :func:`propose` spreads it over the whole box.  The moves that follow are the same, so the
    chains still sample the prior within the threshold; they start where the data are known to be
    met (the calibrated baseline) rather than where they are not, and in a finite run they reach
    only as far as their steps take them (docs/calibration.md, *What it reached*)."""
    from SALib.sample import latin

    lo = np.array([lv.low for lv in s.free], float)
    hi = np.array([lv.high for lv in s.free], float)
    centre = np.array(
        [float(getattr(getattr(base.params, lv.key.split(".")[0]), lv.key.split(".")[1])) for lv in s.free]
    )
    half = START_SPREAD * (hi - lo)
    prob = {
        "num_vars": len(s.free),
        "names": [lv.key for lv in s.free],
        "bounds": [(0.0, 1.0)] * len(s.free),
    }
    u = latin.sample(prob, s.proposals, seed=int(np.random.SeedSequence([s.seed, 0, 4]).generate_state(1)[0]))
    return np.clip(centre + (2.0 * u - 1.0) * half, lo, hi)


def local_covs(prev: pd.DataFrame, s: Settings) -> np.ndarray:
    """OLCM (Filippi et al. 2013): for each particle k, sum over the best particles j (weighted
    distance at most the ``LOCAL_SHARE`` quantile) of w_j (theta_j - theta_k)(theta_j - theta_k)',
    weights normalised over the best; kept from collapsing (floor: 1e-4 of the prior width).
    Without a ``distance`` column every particle counts as best."""
    lo = np.array([lv.low for lv in s.free], float)
    hi = np.array([lv.high for lv in s.free], float)
    theta = prev[[lv.key for lv in s.free]].to_numpy(float)
    w = prev["weight"].to_numpy(float)
    best = np.ones(len(theta), bool)
    if "distance" in prev:
        d = prev["distance"].to_numpy(float)
        best = d <= weighted_quantile(d, w, LOCAL_SHARE)
    wb = w[best] / w[best].sum()
    tb = theta[best]
    mu = wb @ tb
    c = ((tb - mu).T * wb) @ (tb - mu)
    floor = np.diag((1e-4 * (hi - lo)) ** 2)
    dev = mu - theta  # second moment about theta_k = covariance + (mean - theta_k)(mean - theta_k)'
    return c[None, :, :] + dev[:, :, None] * dev[:, None, :] + floor[None, :, :]


def importance_weights(theta: np.ndarray, prev: pd.DataFrame | None, s: Settings) -> np.ndarray:
    """prior / sum_k W_k K_k(theta | theta_k), K_k the particle's own kernel (:func:`local_covs`);
    the prior is uniform inside the box."""
    if prev is None:
        return np.full(len(theta), 1.0 / len(theta))
    from scipy.stats import multivariate_normal

    ptheta = prev[[lv.key for lv in s.free]].to_numpy(float)
    pw = prev["weight"].to_numpy(float)
    covs = local_covs(prev, s)
    dens = np.zeros(len(theta))
    for k in range(len(ptheta)):
        dens += pw[k] * multivariate_normal.pdf(theta, mean=ptheta[k], cov=covs[k], allow_singular=True)
    w = 1.0 / np.maximum(dens, 1e-300)
    return w / w.sum()


def generation_sweep(s: Settings, points: np.ndarray, gen: int, base: Any) -> Sweep:
    """The sweep of one generation's ``points`` (rows: particles, columns: the free parameters).
    With ``draw_assumptions`` every other assumption with a plausible range is drawn over it for each
    point, from its own Latin hypercube of ``SeedSequence([seed, generation, 3])``, as ``compare
    --uncertainty all`` draws them: a particle is judged on a world whose other assumptions are
    uncertain, so the posterior is the one those comparisons need (docs/calibration.md, Joint
    posterior).  Such a draw is the proposal's own, never kept: a particle's next move draws again."""
    free, rest = s.free, assumption_draws(s, len(points), gen)
    explicit = tuple(
        {**{lv.key: float(x) for lv, x in zip(free, row)}, **{k: float(v[i]) for k, v in rest.items()}}
        for i, row in enumerate(points)
    )
    levers = tuple(free) + (drawn_levers(s) if rest else ())
    seed = int(np.random.SeedSequence([s.seed, gen, 1]).generate_state(1, np.uint32)[0])
    return Sweep(
        name=f"calibrate-gen{gen}",
        path="",
        base=s.scenario,
        design="points",
        samples=len(points),
        replicates=s.replicates,
        seed=seed,
        levers=levers,
        base_params=base.params,
        base_toml=to_toml(base),
        explicit=explicit,
    )


def drawn_levers(s: Settings) -> tuple[Lever, ...]:
    """The assumptions drawn in every run with ``draw_assumptions`` (none without it): those with a
    plausible range that are neither free nor set (``--set``)."""
    return other_assumptions(s) if s.draw_assumptions else ()


def other_assumptions(s: Settings) -> tuple[Lever, ...]:
    """The assumptions with a plausible range (``sim.params.assumption_ranges``) that are neither
    free nor set (``--set``) in ``s``: what ``--draw-assumptions`` and history matching draw."""
    from sim.params import assumption_ranges

    free = {lv.key for lv in s.free}
    held = {x.split("=", 1)[0].strip() for x in s.sets}
    return tuple(
        Lever(k, low=lo, high=hi, integer=integer)
        for k, (lo, hi, integer) in assumption_ranges().items()
        if k not in free and k not in held
    )


def assumption_draws(s: Settings, n: int, gen: int) -> dict[str, np.ndarray]:
    """Values of :func:`drawn_levers` for ``n`` points of generation ``gen`` (a Latin hypercube over
    their plausible ranges, integers rounded as the runs apply them)."""
    levers = drawn_levers(s)
    if not levers or n == 0:
        return {}
    from scipy.stats import qmc

    rng = np.random.default_rng(np.random.SeedSequence([s.seed, gen, 3]))
    u = qmc.LatinHypercube(d=len(levers), seed=rng).random(n)
    return {
        lv.key: np.array([lv.value(lv.low + x * (lv.high - lv.low)) for x in u[:, j]], float)
        for j, lv in enumerate(levers)
    }


def begin(s: Settings, out: Path) -> Any:
    """Check ``out`` (a calibration of the same settings may be resumed, nothing else) and record
    the calibration as running; returns the base scenario.  Every kernel starts here."""
    from sim.outputs import check_resumable, read_json_manifest

    base = load_scenario(s.scenario, list(s.sets))
    check_resumable(out, KIND)
    old = read_json_manifest(out / "calibration.json")
    settings = json.loads(json.dumps(s.describe(), default=str))  # as calibration.json holds them
    if old is not None and json.dumps(old.get("settings"), sort_keys=True) != json.dumps(settings, sort_keys=True):
        raise ScenarioError(
            f"--out {out}: holds a different calibration (other settings, targets or free "
            "parameters); choose another folder with --out DIR"
        )
    out.mkdir(parents=True, exist_ok=True)
    _write_json(out / "calibration.json", manifest(s, "running"))
    return base


def calibrate(
    s: Settings, out: Path, backend_factory: Any, progress: bool = True, log: Any = print
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Run ABC-SMC; return (accepted particles, per-generation summary, fit table).

    ``backend_factory()`` gives a fresh backend for each generation (a context manager).
    """
    from sim.metrics import ALL_METRICS

    from .sweep import load_runs, run_sweep

    if s.kernel == "history":
        raise ValueError("kernel 'history': run analysis.history_matching.calibrate")
    base = begin(s, out)
    if s.kernel == "mcmc":
        return calibrate_mcmc(s, out, backend_factory, base, progress, log)
    prev: pd.DataFrame | None = None
    gens = []
    metrics = sorted({t.metric for t in s.targets})
    for gen in range(s.generations):
        pts = propose(prev, s, gen)
        sw = generation_sweep(s, pts, gen, base)
        gdir = out / f"gen-{gen:02d}"
        res = run_sweep(sw, gdir, backend_factory(), resume=True, progress=progress)
        runs = load_runs(gdir)
        ok = runs[runs["status"] == "ok"]
        means = ok.groupby("point")[metrics].mean().reindex(range(len(pts)))
        d = distances(means, s.targets, s.distance)
        order = np.lexsort((np.arange(len(d)), d))  # by distance, ties by index
        keep = order[: s.keep]
        keep = keep[np.isfinite(d[keep])]
        if len(keep) < 2:
            raise ScenarioError(
                f"calibrate: generation {gen}: fewer than 2 particles have all target metrics; "
                "check the failed runs in " + str(gdir)
            )
        eps = float(d[keep].max())
        acc = pd.DataFrame(pts[keep], columns=[lv.key for lv in s.free])
        for lv in s.free:  # integers as applied in the runs
            acc[lv.key] = [lv.value(x) for x in acc[lv.key]]
        acc.insert(0, "particle", keep)
        acc.insert(0, "generation", gen)
        acc["distance"] = d[keep]
        acc["weight"] = importance_weights(pts[keep], prev, s)
        for m in metrics:
            acc[m] = means[m].to_numpy(float)[keep]
        ess = 1.0 / float((acc["weight"] ** 2).sum())
        gens.append(
            {
                "generation": gen,
                "proposals": len(pts),
                "accepted": len(keep),
                "epsilon": eps,
                "ess": ess,
                "failed_runs": int((runs["status"] != "ok").sum()),
                "runs_per_second": res.runs_per_second,
            }
        )
        log(
            f"generation {gen}: {len(pts)} proposals x {s.replicates} replicates, accepted {len(keep)} with distance "
            f"<= {eps:.3g} (effective sample {ess:.0f})"
        )
        if ess < ESS_WARN * len(keep):
            log(
                f"warning: generation {gen}'s importance weights rest on {ess:.0f} effective particles of "
                f"{len(keep)}: the posterior is degenerate (docs/calibration.md, Joint posterior)"
            )
        write_csv(acc, gdir / "accepted.csv", float_format="%.8g")
        prev = acc[[*(lv.key for lv in s.free), "weight", "distance"]].copy()
        prev[[lv.key for lv in s.free]] = pts[keep]  # raw coordinates for the kernel
        last = acc
    gtab = pd.DataFrame(gens)
    fit = fit_table(last, s.targets, ALL_METRICS)
    return last, gtab, fit


def mcmc_moves(
    theta: np.ndarray, d: np.ndarray, s: Settings, gen: int, scale: float
) -> tuple[float, np.ndarray, np.ndarray]:
    """One generation of ABC-SMC with MCMC moves (Del Moral, Doucet & Jasra 2012, Statistics and
    Computing 22:1009): the threshold ε is the ``accept`` quantile of the population's distances; the
    particles within it are resampled (equal weights) to the population's size, and each is moved by
    a Gaussian random walk whose covariance is ``scale`` times the live particles' covariance.
    Returns (ε, parent of each particle, proposal of each); every proposal lies inside the prior's
    box, since a step is reflected at its edges (:func:`reflect`)."""
    lo = np.array([lv.low for lv in s.free], float)
    hi = np.array([lv.high for lv in s.free], float)
    n = len(theta)
    finite = np.flatnonzero(np.isfinite(d))
    k = max(2, int(math.ceil(s.accept * n)))
    if len(finite) < 2:
        raise ScenarioError(f"calibrate: generation {gen}: fewer than 2 particles have all target metrics")
    eps = float(np.sort(d[finite])[min(k, len(finite)) - 1])
    alive = np.flatnonzero(d <= eps)
    rng = np.random.default_rng(np.random.SeedSequence([s.seed, gen]))
    parents = np.sort(rng.choice(alive, size=n))
    cov = np.atleast_2d(np.cov(theta[alive].T)) + np.diag((1e-4 * (hi - lo)) ** 2)
    x = reflect(theta[parents] + rng.multivariate_normal(np.zeros(len(lo)), scale * cov, size=n), lo, hi)
    return eps, parents, x


def reflect(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Fold each coordinate back into [lo, hi] at the edges (a mirror).  The reflected Gaussian
    walk is still symmetric, so under a uniform prior a move is accepted on the threshold alone;
    rejecting the steps that leave the box instead left 10 of 300 moves in 42 dimensions."""
    w = np.where(hi > lo, hi - lo, 1.0)
    y = np.mod(x - lo, 2 * w)
    return lo + np.where(y > w, 2 * w - y, y) * (hi > lo)


def calibrate_mcmc(
    s: Settings, out: Path, backend_factory: Any, base: Any, progress: bool, log: Any
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """ABC-SMC with MCMC moves (:func:`mcmc_moves`): every particle keeps an equal weight, so the
    effective sample is the population (the importance weights of :func:`importance_weights`
    degenerate with many free parameters: docs/calibration.md, *Joint posterior*).  A moved particle
    replaces its parent only when its own run lies within the threshold; otherwise the parent stays
    (its distance was within it already).  The step's scale starts at ``MCMC_SCALE / dimension`` and
    is widened or narrowed by the share of moves accepted, toward ``MCMC_TARGET_RATE``."""
    from sim.metrics import ALL_METRICS

    from .sweep import load_runs, run_sweep

    keys = [lv.key for lv in s.free]
    metrics = sorted({t.metric for t in s.targets})
    n = s.proposals
    scale = MCMC_SCALE / len(keys)
    theta = np.empty((0, len(keys)))
    d = np.empty(0)
    vals = pd.DataFrame()
    gens = []
    for gen in range(s.generations):
        if gen == 0:
            first = start_points(s, base) if s.start == "scenario" else propose(None, s, 0)
            eps, parents, pts = float("inf"), np.arange(n), first
        else:
            eps, parents, pts = mcmc_moves(theta, d, s, gen, scale)
        gdir = out / f"gen-{gen:02d}"
        res = run_sweep(generation_sweep(s, pts, gen, base), gdir, backend_factory(), resume=True, progress=progress)
        runs = load_runs(gdir)
        ok = runs[runs["status"] == "ok"]
        new_vals = ok.groupby("point")[metrics].mean().reindex(range(n)).reset_index(drop=True)
        d_new = distances(new_vals, s.targets, s.distance)
        if gen == 0:
            moved = np.ones(n, bool)
            theta, d, vals = pts, d_new, new_vals
        else:
            moved = d_new <= eps
            theta = np.where(moved[:, None], pts, theta[parents])
            d = np.where(moved, d_new, d[parents])
            old = vals.to_numpy(float)[parents]
            vals = pd.DataFrame(np.where(moved[:, None], new_vals.to_numpy(float), old), columns=metrics)
        acc = pd.DataFrame(theta, columns=keys)
        for lv in s.free:
            acc[lv.key] = [lv.value(x) for x in acc[lv.key]]
        acc.insert(0, "particle", np.arange(n))
        acc.insert(0, "generation", gen)
        acc["distance"] = d
        acc["weight"] = 1.0 / n
        for m in metrics:
            acc[m] = vals[m].to_numpy(float)
        rate = float(moved.sum() / n) if gen else 1.0
        distinct = len(np.unique(np.round(theta, 12), axis=0))
        gens.append(
            {
                "generation": gen,
                "proposals": n,
                "accepted": int(moved.sum()),
                "epsilon": float(np.max(d[np.isfinite(d)])) if gen == 0 and np.isfinite(d).any() else eps,
                "ess": float(n),
                "distinct": distinct,
                "step_scale": scale if gen else float("nan"),
                "failed_runs": int(n * s.replicates - len(ok)),
                "runs_per_second": res.runs_per_second,
            }
        )
        log(
            f"generation {gen}: threshold {gens[-1]['epsilon']:.3g}, {n} moves run x {s.replicates} "
            f"replicates, {int(moved.sum())} accepted ({rate:.0%}); {distinct} distinct particles of {n}"
        )
        write_csv(acc, gdir / "accepted.csv", float_format="%.8g")
        if gen:
            scale *= math.exp(2.0 * (rate - MCMC_TARGET_RATE))
        last = acc
    return last, pd.DataFrame(gens), fit_table(last, s.targets, ALL_METRICS)


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    i = np.argsort(x)
    cw = np.cumsum(w[i]) / np.sum(w)
    return float(np.interp(q, cw - w[i] / (2 * np.sum(w)), x[i]))


def posterior_table(acc: pd.DataFrame, free: tuple[Lever, ...]) -> pd.DataFrame:
    """Weighted mean, median and 90% / 95% intervals of each free parameter, with its prior."""
    w = acc["weight"].to_numpy(float)
    rows = []
    for lv in free:
        x = acc[lv.key].to_numpy(float)
        rows.append(
            {
                "parameter": lv.key,
                "prior_low": lv.low,
                "prior_high": lv.high,
                "mean": float(w @ x / w.sum()),
                "median": weighted_quantile(x, w, 0.5),
                "q05": weighted_quantile(x, w, 0.05),
                "q95": weighted_quantile(x, w, 0.95),
                "q025": weighted_quantile(x, w, 0.025),
                "q975": weighted_quantile(x, w, 0.975),
            }
        )
    return pd.DataFrame(rows)


def fit_table(acc: pd.DataFrame, targets: list[Target], metrics: Any) -> pd.DataFrame:
    """Each target against the calibrated model: weighted mean and 95% interval over the posterior."""
    w = acc["weight"].to_numpy(float)
    rows = []
    for t in targets:
        x = acc[t.metric].to_numpy(float)
        rows.append(
            {
                "target": t.name,
                "metric": t.metric,
                "role": t.role,
                "value": t.value,
                "low": t.low,
                "high": t.high,
                "weight": t.weight,
                "model_mean": float(w @ x / w.sum()),
                "model_low": weighted_quantile(x, w, 0.025),
                "model_high": weighted_quantile(x, w, 0.975),
                "inside": bool(t.low <= float(w @ x / w.sum()) <= t.high),
                "sided": t.sided,
                "source": t.source,
            }
        )
    return pd.DataFrame(rows)


def posterior_plot(acc: pd.DataFrame, free: tuple[Lever, ...], path: Path) -> None:
    """Marginals on the diagonal (weighted histograms over the prior range), pairs below it; with
    more than ``PAIRS_MAX`` free parameters only the marginals, ``MARGINAL_COLUMNS`` to a row (a
    pair grid of 42 parameters would be 15,000 pixels wide)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    k = len(free)
    if k > PAIRS_MAX:
        _marginals_plot(acc, free, path, plt)
        return
    fig, axes = plt.subplots(k, k, figsize=(2.4 * k + 1, 2.4 * k + 0.5), squeeze=False)
    w = acc["weight"].to_numpy(float)
    for i, a in enumerate(free):
        for j, b in enumerate(free):
            ax = axes[i, j]
            if j > i:
                ax.axis("off")
                continue
            if i == j:
                ax.hist(acc[a.key], bins=15, range=(a.low, a.high), weights=w, color="#4C72B0")
                ax.set_xlim(a.low, a.high)
                ax.set_yticks([])
            else:
                ax.scatter(acc[b.key], acc[a.key], s=8 + 300 * w, alpha=0.6, color="#4C72B0")
                ax.set_xlim(b.low, b.high)
                ax.set_ylim(a.low, a.high)
            if i == k - 1:
                ax.set_xlabel(b.key, fontsize=7)
            if j == 0 and i > 0:
                ax.set_ylabel(a.key, fontsize=7)
            ax.tick_params(labelsize=6)
    fig.suptitle("posterior (ABC-SMC, last generation; axes span the prior)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _marginals_plot(acc: pd.DataFrame, free: tuple[Lever, ...], path: Path, plt: Any) -> None:
    """One weighted histogram per free parameter over its prior range."""
    rows = math.ceil(len(free) / MARGINAL_COLUMNS)
    fig, axes = plt.subplots(rows, MARGINAL_COLUMNS, figsize=(2.3 * MARGINAL_COLUMNS, 1.7 * rows + 0.5), squeeze=False)
    w = acc["weight"].to_numpy(float)
    for ax, lv in zip(axes.flat, free):
        ax.hist(acc[lv.key], bins=15, range=(lv.low, lv.high), weights=w, color="#4C72B0")
        ax.set_xlim(lv.low, lv.high)
        ax.set_yticks([])
        ax.set_title(lv.key.split(".", 1)[1], fontsize=7)
        ax.tick_params(labelsize=6)
    for ax in list(axes.flat)[len(free) :]:
        ax.axis("off")
    fig.suptitle("posterior marginals (ABC-SMC, last generation; each axis spans the prior)", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_outputs(
    out: Path, s: Settings, acc: pd.DataFrame, gens: pd.DataFrame, fit: pd.DataFrame, started: float
) -> None:
    write_csv(acc, out / "accepted.csv", float_format="%.8g")
    write_csv(gens, out / "generations.csv", float_format="%.6g")
    write_csv(fit, out / "fit.csv", float_format="%.6g")
    write_csv(posterior_table(acc, s.free), out / "posterior.csv", float_format="%.6g")
    posterior_plot(acc, s.free, out / "posterior.png")
    _write_json(
        out / "calibration.json",
        manifest(
            s,
            "complete",
            wall_time_s=round(time.time() - started, 1),
            finished=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        ),
    )


def manifest(s: Settings, status: str, **extra: Any) -> dict[str, Any]:
    """``calibration.json``: the settings and the status, with the package, the kind and the command
    that say sesim wrote the folder (:func:`sim.outputs.check_resumable`)."""
    from sim.version import __version__

    return {
        "package": "sesim",
        "version": __version__,
        "kind": KIND,
        "command": list(sys.argv),
        "settings": s.describe(),
        "status": status,
        **extra,
    }


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    os.replace(tmp, path)


def fit_text(fit: pd.DataFrame, post: pd.DataFrame) -> str:
    """The fit and the posterior for the terminal, each number with its unit."""
    from sim.metrics import UNITS
    from sim.params import SECTIONS

    units = {f"{s}.{f.name}": f.metadata.get("unit", "") for s, c in SECTIONS.items() for f in dataclasses.fields(c)}
    lines = [f"{'target':26s} {'published':>20s} {'calibrated model (95%)':>30s}  inside  unit"]
    for r in fit.itertuples():
        published = {"upper": f"<= {r.high:.3g}", "lower": f">= {r.low:.3g}"}.get(
            getattr(r, "sided", "both"), f"{r.value:8.3g} [{r.low:.3g}, {r.high:.3g}]"
        )
        lines.append(
            f"{r.target:26s} {published}".ljust(48)
            + f"{r.model_mean:9.3g} [{r.model_low:.3g}, {r.model_high:.3g}]".rjust(30)
            + f"  {'yes' if r.inside else 'NO ':6s}  {UNITS.get(r.metric, '')}"
        )
    lines.append("")
    lines.append(f"{'parameter':40s} {'prior':>16s} {'posterior median [90%]':>30s}  unit")
    for r in post.itertuples():
        lines.append(
            f"{r.parameter:40s} {f'[{r.prior_low:.3g}, {r.prior_high:.3g}]':>16s} "
            f"{f'{r.median:.3g} [{r.q05:.3g}, {r.q95:.3g}]':>30s}  {units.get(r.parameter, '')}"
        )
    return "\n".join(lines)


# --- the posterior beside its target file (docs/calibration.md: it travels with the project) -----
#
# ``make calibration`` writes the last generation's accepted particles beside the target file,
# ``scenarios/targets/<stem>.posterior.csv`` (``python -m analysis.calibration_pick --posterior``):
# a CSV of particle, weight (summing to 1), distance and one column per free parameter, after
# ``# key: JSON`` header lines giving the target file's SHA-256, the package version, the
# calibration's settings and its date.  ``load_posterior`` refuses it once the targets change.

POSTERIOR_HEADER = "# sesim posterior"
POSTERIOR_KEYS = ("target_file", "target_sha256", "version", "date", "settings")
MAX_POSTERIOR_BYTES = 50_000_000
PARTICLE_COLUMNS = ("particle", "weight", "distance")  # a posterior's columns beside the parameters


def posterior_path(target_file: str | Path) -> Path:
    """``<stem>.posterior.csv`` beside the target file."""
    p = Path(target_file)
    return p.with_name(f"{p.stem}.posterior.csv")


def target_sha256(target_file: str | Path) -> str:
    """SHA-256 of a target file's text with LF line ends (``sha256sum`` of the file as checked out
    on Linux); one line naming the file if it is missing or not a target file."""
    import hashlib

    p = Path(target_file)
    read_toml_file(p)  # a regular, small, valid TOML file, or one line why not
    return hashlib.sha256(p.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def _read_posterior_header(path: Path) -> tuple[dict[str, Any], int]:
    """The ``# key: JSON`` lines at the top of a posterior file and their number."""
    try:
        with open(path, encoding="utf-8") as fh:
            lines = []
            for line in fh:
                if not line.startswith("#"):
                    break
                lines.append(line)
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not a sesim posterior (not UTF-8 text)") from None
    if not lines or not lines[0].startswith(POSTERIOR_HEADER):
        raise ScenarioError(f"{path}: not a sesim posterior (its first line should begin '{POSTERIOR_HEADER}')")
    meta: dict[str, Any] = {}
    for n, line in enumerate(lines[1:], start=2):
        key, _, value = line[1:].strip().partition(":")
        try:
            meta[key.strip()] = json.loads(value)
        except (ValueError, RecursionError):  # broken JSON, thousands of digits or of brackets
            raise ScenarioError(f"{path}: line {n}: expected '# key: JSON value', got {shown(line.strip())}") from None
    missing = [k for k in POSTERIOR_KEYS if k not in meta]
    if missing:
        raise ScenarioError(f"{path}: header lacks {', '.join(missing)}; regenerate it with `make calibration`")
    return meta, len(lines)


def load_posterior(target_file: str | Path) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The calibration's posterior stored beside ``target_file``: the accepted particles (one row
    each: ``particle``, ``weight`` normalised to sum to 1, ``distance`` and one column per free
    parameter, named ``section.key``) and the file's header (``target_sha256``, ``version``,
    ``date``, ``settings`` with the free ranges, budget and seed; ``free``: the parameter columns).

    One line naming the file if there is none, if it is not a posterior, or if the target file
    changed since the calibration (its SHA-256 differs): then the posterior answers other targets.
    """
    target = Path(target_file)
    sha = target_sha256(target)
    path = posterior_path(target)
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ScenarioError(
            f"{path}: no posterior beside {target}; `make calibration` writes it "
            f"(python -m analysis.calibration_pick CALIBRATION --posterior {target})"
        ) from None
    if not stat.S_ISREG(st.st_mode) or st.st_size > MAX_POSTERIOR_BYTES:
        raise ScenarioError(f"{path}: not a posterior file (a regular file of at most {MAX_POSTERIOR_BYTES} bytes)")
    meta, skip = _read_posterior_header(path)
    if meta["target_sha256"] != sha:
        raise ScenarioError(
            f"{path}: calibrated to another version of {target} (SHA-256 {str(meta['target_sha256'])[:12]}..., "
            f"the file now {sha[:12]}...): the targets changed since the calibration; rerun `make calibration`"
        )
    try:
        free = [f["key"] for f in meta["settings"]["free"]]
        if not all(isinstance(k, str) for k in free):
            raise TypeError("a key is not text")
        df = pd.read_csv(path, skiprows=skip)
    except (KeyError, TypeError):
        raise ScenarioError(
            f"{path}: header 'settings' has no list 'free' of {{key, low, high}}; regenerate it"
        ) from None
    except (ValueError, pd.errors.ParserError) as e:
        raise ScenarioError(f"{path}: cannot read the particles: {str(e).splitlines()[0]}") from None
    missing = [c for c in ("particle", "weight", *free) if c not in df.columns]
    if missing:
        raise ScenarioError(
            f"{path}: no column {', '.join(map(shown, missing))}; regenerate it with `make calibration`"
        )
    params = check_particles(df, path)
    vals = df[["weight", *params]].apply(pd.to_numeric, errors="coerce")
    w = vals["weight"].to_numpy(dtype=float)
    if df.empty or not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
        raise ScenarioError(f"{path}: particles must be finite numbers with weights >= 0 and not all 0")
    df[["weight", *params]] = vals
    df["weight"] = w / w.sum()
    return df.reset_index(drop=True), {**meta, "free": free, "path": str(path)}


def check_particles(df: pd.DataFrame, path: Path) -> list[str]:
    """The parameter columns of a posterior's particles, checked like a scenario's values: each a
    numeric behavioural parameter of the schema (``behaviour.<key>``) or a lever whose status quo is
    known only as a plausible range (``firm_support.intern_allowance``), every value a number inside the
    key's range (an integer for an integer key); else one line naming the file, the column and the
    row.  So each particle is a parameter set ``--set`` takes again (docs/calibration.md)."""
    fields = {
        f"{sec}.{f.name}": f
        for sec, cls in SECTIONS.items()
        for f in dataclasses.fields(cls)
        if sec == "behaviour" or f.metadata.get("plausible")  # a lever known only as a range
    }
    params = []
    for c in df.columns:
        if c in PARTICLE_COLUMNS:
            continue
        f = fields.get(c) if isinstance(c, str) else None
        default = None if f is None else (f.default if f.default is not dataclasses.MISSING else f.default_factory())
        if f is None or isinstance(default, bool) or not isinstance(default, (int, float)):
            import difflib

            near = difflib.get_close_matches(str(c), list(fields), n=1, cutoff=0.8)
            hint = f"; did you mean '{near[0]}'?" if near else ""
            raise ScenarioError(
                f"{path}: column {shown(c)}{hint}: allowed {', '.join(PARTICLE_COLUMNS)} and numeric "
                f"behavioural parameters behaviour.<key> ('sesim scenarios --behaviour') or levers with "
                "a plausible range"
            )
        params.append(c)
    for c in params:
        raw = df[c]
        vals = pd.to_numeric(raw, errors="coerce")
        if vals.isna().all():
            raise ScenarioError(f"{path}: column '{c}' holds no numbers: allowed a number in each row")
        for i in np.flatnonzero(vals.isna().to_numpy() | ~np.isfinite(vals.to_numpy(dtype=float))):
            raise ScenarioError(f"{path}: row {i + 1}, column '{c}' = {shown(raw.iloc[i])}: allowed a finite number")
        for i, v in enumerate(vals.tolist()):
            coerce(f"{path}: row {i + 1}", c, fields[c], v)  # one line on the first out of range
    return params
