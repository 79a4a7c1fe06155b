"""``sesim carriers`` (``make carriers``): what carries each headline difference a strategy makes.

The screening is of the **differences** strategy − baseline, not of the levels: a parameter that
moves firm retention in every scenario alike carries no effect of a strategy.  In two stages,
each a sweep of the sweep runner (``analysis/sweep.py``: resumable, local pool or Dask):

1. ``screening/`` — Morris elementary effects (Morris 1991; mu* of Campolongo et al. 2007; SALib
   ``morris`` with groups) over every behavioural parameter with a plausible range, moved together
   by **family**: the mechanism headings of the schema (``sim/params.py``, ``Behaviour``).  One more
   group, a **dummy** that no run reads, is screened alike.  Each design point runs the baseline
   and every strategy on one seed of its own: the difference is paired on common random numbers
   within the point, and independent between points, so the dummy's elementary effects are pure
   noise.  Beside the design, ``noise_seeds`` replicates at the scenario's own values (the
   **centre**) give the difference and its seed-to-seed noise.
2. ``tornado/`` — for the parameters of the leading families (whole families: every strategy and
   outcome's leading family, then others while the total stays within ``tornado_max`` parameters;
   ``choose_families``), the difference at each end of the parameter's plausible range,
   every other parameter at the scenario's value, on the first ``tornado_seeds`` seeds of the
   centre (common random numbers): how much of the difference each parameter moves.

The noise benchmark of a family is the mu* that ``trajectories`` elementary effects of a
parameter nothing reads reach with probability ``FAMILY_ERROR`` / families (Bonferroni),
computed from the centre's noise (a noise effect is the difference of two independent paired
differences over the Morris step), and never less than the dummy family's own mu*.  A tornado swing is above noise
when it exceeds ``z`` standard errors of a swing from the centre's noise (Bonferroni over the
parameters).  Outputs: ``differences.csv``, ``screening.csv``, ``tornado.csv``, ``carriers.csv``,
``carriers.json`` and ``carriers.md`` (``--doc`` writes it elsewhere too, e.g. docs/carriers.md).
"""

from __future__ import annotations

import dataclasses
import inspect
import json
import math
import re
import shlex
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.params import SECTIONS, Behaviour
from sim.scenario import Scenario, ScenarioError, to_toml
from sim.version import __version__

from .compare import HEADLINE  # noqa: F401  (the outcomes screened: those of the README's sizes table)

PAY_METRICS = ("starting_pay", "starting_wage", "start_wage")  # added to HEADLINE when the model has one
STRATEGIES = ("huli_tongqiang_qirong", "party_led", "craftsman", "full")
TRAJECTORIES = 8  # Morris trajectories of the screening
NOISE_SEEDS = 10  # centre replicates: the difference and its noise
TORNADO_MAX = 130  # parameters in the tornado at most, whole families; each cell's leading family even beyond it
TORNADO_SEEDS = 2  # seeds per tornado end (the centre's first seeds: common random numbers)
MORRIS_LEVELS = 4  # SALib's default; the step is levels / (2 (levels - 1)) = 2/3 of the range
RESAMPLES = 200  # bootstrap resamples of SALib's mu* interval
CONF = 0.95
FAMILY_ERROR = 0.05  # chance that some family of a cell is called above noise when none matters
CARRIERS_KEPT = 5  # carriers listed per strategy and outcome
FAMILY_LABEL = 48  # characters of a family heading kept before it is cut to its first clause
STATUS_QUO_FAMILY = "status-quo levers known as a range"
DUMMY = "dummy.read_by_nothing"
DUMMY_FAMILY = "dummy (read by nothing)"
MARKER = "carriers.json"
KIND = "carriers"  # the kind its manifest records (sim.outputs.RESUMABLE)
DISTINCT_SE = 2.0  # a difference within this many standard errors of zero gets no shares
UNANCHORED_SHARE = 0.5  # a difference that a single assumption moves by more than this is flagged


# --- the parameters and their families ----------------------------------------------------------
def families() -> dict[str, str]:
    """Every behavioural parameter -> its family: the comment heading it stands under in the
    schema (``Behaviour`` in ``sim/params.py``), up to a bracket, colon or semicolon, and a long
    one to its first clause."""
    out, family, prev_comment = {}, "other", False
    for line in inspect.getsource(Behaviour).splitlines():
        m = re.match(r"^    # (.*)$", line)
        if m:
            if not prev_comment:
                family = re.split(r" \(|: |; ", m.group(1).strip())[0]
                if len(family) > FAMILY_LABEL:  # a long heading: its first clause
                    family = family.split(", ")[0] if ", " in family[FAMILY_LABEL // 2 :] else family[:FAMILY_LABEL]
            prev_comment = True
            continue
        prev_comment = False
        f = re.match(r"^    (\w+)\s*:", line)
        if f:
            out[f"behaviour.{f.group(1)}"] = family
    return out


@dataclass(frozen=True)
class Parameter:
    key: str
    family: str
    low: float
    high: float
    value: float  # the base scenario's value
    integer: bool
    kind: str
    source: str
    why: str
    range_from: str = "plausible"  # "plausible", or "posterior" (the calibration's 5-95%)
    # an assumption the joint posterior also frees (docs/calibration.md, Joint posterior): the share
    # of its plausible range that the posterior's 5-95% spans; NaN when the posterior does not free it
    posterior_span: float = float("nan")


def posterior_ranges(targets: Path | None = None) -> dict[str, tuple[float, float]]:
    """The range the data leave each calibrated parameter: the weighted 5% and 95% quantiles of the
    stored posterior (``scenarios/targets/*.posterior.csv``); empty when it is missing or stale."""
    from .calibration import load_posterior, weighted_quantile
    from .uncertainty import QUANTILES, TARGETS

    try:
        particles, meta = load_posterior(targets or TARGETS)
    except ScenarioError:
        return {}
    w = particles["weight"].to_numpy(float)
    out = {}
    for key in meta["free"]:
        x = particles[key].to_numpy(float)
        lo, hi = (weighted_quantile(x, w, q) for q in QUANTILES)
        if hi > lo:
            out[key] = (float(lo), float(hi))
    return out


def screened_parameters(
    base: Scenario, only: list[str] | None = None, posterior: dict[str, tuple[float, float]] | None = None
) -> list[Parameter]:
    """Behavioural parameters with a plausible range (numbers, not switches or tables), and levers
    whose status-quo value is known only as a range (e.g. ``firm_support.intern_allowance``), in
    schema order; ``only`` keeps those keys (refusing unknown ones).  A calibrated parameter found
    in ``posterior`` (``posterior_ranges()``) is moved over the range the data leave it, not over
    its prior: what the calibration ruled out carries nothing."""
    fam = families()
    posterior = posterior or {}
    out = []
    for sname, cls in SECTIONS.items():
        for f in dataclasses.fields(cls):
            m = f.metadata
            default = f.default if f.default is not dataclasses.MISSING else None
            if not (m.get("plausible") and isinstance(default, (int, float)) and not isinstance(default, bool)):
                continue
            if sname != "behaviour" and m.get("kind") != "policy":
                continue  # structure (sizes) is not screened; a lever whose status quo is a range is
            lo, hi = m["plausible"]
            key = f"{sname}.{f.name}"
            origin, span = "plausible", float("nan")
            if m.get("kind") == "calibrated" and key in posterior:
                lo, hi = posterior[key]
                origin = "posterior"
            elif key in posterior and hi > lo:
                # the joint posterior is local (chains started at the calibrated baseline), so a
                # parameter it frees but does not calibrate keeps its plausible range here and says
                # how much of it that posterior spans
                span = (posterior[key][1] - posterior[key][0]) / (hi - lo)
            if not hi > lo:
                continue
            out.append(
                Parameter(
                    key,
                    fam.get(key, STATUS_QUO_FAMILY),
                    float(lo),
                    float(hi),
                    float(getattr(getattr(base.params, sname), f.name)),
                    isinstance(default, int),
                    str(m.get("kind", "")),
                    str(m.get("source", "")),
                    str(m.get("why", "")),
                    origin,
                    span,
                )
            )
    if only:
        known = {p.key: p for p in out}
        bad = [k for k in only if k not in known]
        if bad:
            import difflib

            near = difflib.get_close_matches(bad[0], list(known), n=1)
            raise ScenarioError(
                f"--parameters {bad[0]}: not a behavioural parameter with a plausible range"
                + (f"; did you mean '{near[0]}'?" if near else " (see 'sesim scenarios --behaviour')")
            )
        out = [known[k] for k in dict.fromkeys(only)]
    return out


# --- settings, seeds and designs ------------------------------------------------------------------
@dataclass
class Settings:
    baseline: Scenario
    strategies: list[Scenario]
    metrics: list[str]
    parameters: list[Parameter]
    trajectories: int = TRAJECTORIES
    noise_seeds: int = NOISE_SEEDS
    tornado_max: int = TORNADO_MAX
    tornado_seeds: int = TORNADO_SEEDS
    root: int = 0
    command: list[str] = field(default_factory=list)

    @property
    def scenarios(self) -> list[Scenario]:
        return [self.baseline, *self.strategies]

    def family_names(self) -> list[str]:
        return list(dict.fromkeys(p.family for p in self.parameters))

    def screening_points(self) -> int:
        return (
            self.trajectories * (len(self.family_names()) + 2) + self.noise_seeds
        )  # + dummy group, + 1 per trajectory

    def tornado_points_max(self) -> int:
        return 2 * min(self.tornado_max, len(self.parameters)) * self.tornado_seeds

    def describe(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline.name,
            "strategies": [s.name for s in self.strategies],
            "metrics": self.metrics,
            "parameters": [p.key for p in self.parameters],
            "ranges": {p.key: [p.low, p.high, p.range_from] for p in self.parameters},
            "trajectories": self.trajectories,
            "noise_seeds": self.noise_seeds,
            "tornado_max": self.tornado_max,
            "tornado_seeds": self.tornado_seeds,
            "root_seed": self.root,
            "morris_levels": MORRIS_LEVELS,
        }

    def fingerprint(self) -> str:
        import hashlib

        d = {**self.describe(), "scenarios": [to_toml(s).split("\n[", 1)[-1] for s in self.scenarios]}
        return hashlib.sha256(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()[:16]


def stage_seed(root: int, stage: int, i: int) -> int:
    """The seed of point ``i`` of a stage (0 the centre, 1 the screening) from ``SeedSequence``."""
    return int(np.random.SeedSequence([root, stage, i]).generate_state(1, np.uint64)[0] >> np.uint64(1))


def morris_problem(s: Settings) -> dict[str, Any]:
    """SALib's problem: the parameters on their plausible ranges in their families, and the dummy."""
    return {
        "num_vars": len(s.parameters) + 1,
        "names": [p.key for p in s.parameters] + [DUMMY],
        "bounds": [[p.low, p.high] for p in s.parameters] + [[0.0, 1.0]],
        "groups": [p.family for p in s.parameters] + [DUMMY_FAMILY],
    }


def morris_sample(s: Settings) -> np.ndarray:
    from SALib.sample import morris

    return morris.sample(morris_problem(s), s.trajectories, num_levels=MORRIS_LEVELS, seed=s.root)


def _table(s: Settings, values: list[dict[str, float]], seeds: list[int]) -> pd.DataFrame:
    """Design points as the uncertainty sweep's draw table (``draw``, ``seed``, parameter values;
    integer parameters as integers)."""
    cols: dict[str, Any] = {"draw": np.arange(len(values)), "seed": np.asarray(seeds, dtype=np.int64)}
    for p in s.parameters:
        x = np.array([v[p.key] for v in values], dtype=float)
        cols[p.key] = np.round(x).astype(int) if p.integer else x
    return pd.DataFrame(cols)


def screening_design(s: Settings) -> tuple[pd.DataFrame, np.ndarray]:
    """The centre (``noise_seeds`` points at the scenario's values) then the Morris points; and the
    Morris sample (raw values, dummy included) for SALib's analysis."""
    X = morris_sample(s)
    centre = {p.key: p.value for p in s.parameters}
    values = [centre] * s.noise_seeds + [{p.key: float(x[j]) for j, p in enumerate(s.parameters)} for x in X]
    seeds = [stage_seed(s.root, 0, j) for j in range(s.noise_seeds)] + [stage_seed(s.root, 1, i) for i in range(len(X))]
    return _table(s, values, seeds), X


def tornado_design(s: Settings, chosen: list[Parameter]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each chosen parameter at its plausible low and high end, the rest at the scenario's values,
    on the centre's first ``tornado_seeds`` seeds; and which point is which."""
    centre = {p.key: p.value for p in s.parameters}
    values, seeds, what = [], [], []
    for p in chosen:
        for end, x in (("low", p.low), ("high", p.high)):
            for j in range(s.tornado_seeds):
                values.append({**centre, p.key: x})
                seeds.append(stage_seed(s.root, 0, j))
                what.append({"draw": len(what), "parameter": p.key, "end": end, "replicate": j})
    return _table(s, values, seeds), pd.DataFrame(what, columns=["draw", "parameter", "end", "replicate"])


# --- the analysis (no simulation: it works on any table of paired differences) ------------------------
def differences(table: pd.DataFrame, baseline: str, strategies: list[str], metrics: list[str]) -> pd.DataFrame:
    """Per design point (``draw``), strategy and metric: the strategy's value minus the baseline's
    (same point, same seed).  Columns: draw, strategy, metric, diff."""
    wide = table.pivot_table(index="draw", columns="scenario", values=metrics, aggfunc="first")
    rows = []
    for s in strategies:
        for m in metrics:
            if (m, s) not in wide or (m, baseline) not in wide:
                continue
            d = wide[(m, s)] - wide[(m, baseline)]
            rows.append(pd.DataFrame({"draw": d.index, "strategy": s, "metric": m, "diff": d.to_numpy(float)}))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=["draw", "strategy", "metric", "diff"])


def centre_table(diffs: pd.DataFrame, noise_seeds: int) -> pd.DataFrame:
    """``differences.csv``: the difference at the scenario's values (mean over the centre's seeds),
    its seed-to-seed sd and standard error."""
    c = diffs[diffs["draw"] < noise_seeds]
    g = c.groupby(["strategy", "metric"], sort=False)["diff"]
    out = g.agg(diff="mean", sd=lambda x: float(np.std(x, ddof=1)) if len(x) > 1 else float("nan"), n="count")
    out["se"] = out["sd"] / np.sqrt(out["n"])
    return out.reset_index()


def noise_mu_star(sd: float, trajectories: int, groups: int) -> float:
    """The mu* a group that nothing reads exceeds with probability ``FAMILY_ERROR / groups``: an
    elementary effect of pure noise is the difference of two independent paired differences over
    the Morris step, so |EE| is half-normal with scale sqrt(2) sd / step; mu* is the mean of
    ``trajectories`` of them (normal approximation)."""
    from scipy.stats import norm

    step = MORRIS_LEVELS / (2 * (MORRIS_LEVELS - 1))
    scale = math.sqrt(2) * sd / step
    mean, spread = scale * math.sqrt(2 / math.pi), scale * math.sqrt(1 - 2 / math.pi) / math.sqrt(trajectories)
    return mean + float(norm.ppf(1 - FAMILY_ERROR / max(groups, 1))) * spread


def screening(s: Settings, X: np.ndarray, diffs: pd.DataFrame, centre: pd.DataFrame) -> pd.DataFrame:
    """``screening.csv``: per strategy, metric and family, SALib's mu* (with its bootstrap interval),
    mu and sigma of the difference's elementary effects; the noise benchmark and whether mu* is above
    it; mu* as a share of the difference (what moving the whole family over its plausible ranges
    moves)."""
    import contextlib
    import io
    import warnings

    from SALib.analyze import morris

    problem = morris_problem(s)
    groups = len(set(problem["groups"]))
    c = centre.set_index(["strategy", "metric"])
    rows = []
    for (strategy, metric), g in diffs[diffs["draw"] >= s.noise_seeds].groupby(["strategy", "metric"], sort=False):
        y = g.sort_values("draw")["diff"].to_numpy(float)
        if len(y) != len(X) or not np.isfinite(y).all():
            continue  # failed runs or a metric the runs are too short for: said in the notes
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            r = morris.analyze(
                problem, X, y, num_resamples=RESAMPLES, conf_level=CONF, num_levels=MORRIS_LEVELS, seed=s.root
            )
        sd, diff, se = (
            float(c.loc[(strategy, metric), k]) if (strategy, metric) in c.index else float("nan")
            for k in ("sd", "diff", "se")
        )
        bench = noise_mu_star(sd, s.trajectories, groups) if np.isfinite(sd) else float("nan")
        names = list(r["names"])
        if DUMMY_FAMILY in names:  # never below what the dummy reached in this very design
            bench = max(bench, float(r["mu_star"][names.index(DUMMY_FAMILY)]))
        for i, name in enumerate(names):
            mu_star = float(r["mu_star"][i])
            members = [p.key for p in s.parameters if p.family == name]
            rows.append(
                {
                    "strategy": strategy,
                    "metric": metric,
                    "family": name,
                    "parameters": len(members),
                    "mu_star": mu_star,
                    "mu_star_conf": float(r["mu_star_conf"][i]),
                    "mu": float(r["mu"][i]),
                    "sigma": float(r["sigma"][i]),
                    "noise_mu_star": bench,
                    "above_noise": bool(mu_star > bench and name != DUMMY_FAMILY) if np.isfinite(bench) else False,
                    "share": _share(mu_star, diff, se),
                    "is_dummy": name == DUMMY_FAMILY,
                    "trajectories": s.trajectories,
                }
            )
    out = pd.DataFrame(rows)
    if len(out):
        out = out.sort_values(
            ["strategy", "metric", "mu_star"],
            ascending=[True, True, False],
            kind="stable",
            key=lambda col: (
                col.map({x.name: i for i, x in enumerate(s.strategies)})
                if col.name == "strategy"
                else col.map({m: i for i, m in enumerate(s.metrics)})
                if col.name == "metric"
                else col
            ),
        ).reset_index(drop=True)
    return out


def _share(move: float, diff: float, se: float) -> float:
    """``|move|`` as a share of the difference; NaN where the difference is within ``DISTINCT_SE``
    standard errors of zero (a share of nothing says nothing)."""
    if not np.isfinite(diff) or abs(diff) <= DISTINCT_SE * (se if np.isfinite(se) else 0.0) or diff == 0:
        return float("nan")
    return abs(move) / abs(diff)


def choose_families(s: Settings, screen: pd.DataFrame) -> tuple[list[Parameter], list[str]]:
    """The families for the tornado: those above noise in some cell, whole.  Every cell's leading
    family is taken, whatever ``tornado_max`` (a size whose leading family goes untested could rest
    on an assumption unseen); the others by rank within each cell (every cell's second, then
    third, ...; within a rank by mu* relative to the cell's noise benchmark) while the total stays
    within ``tornado_max`` parameters, so that one outcome's many strong families cannot crowd out
    another outcome's.  Also returns the families above noise left out because they did not fit."""
    real = screen[~screen["is_dummy"] & screen["above_noise"]] if len(screen) else screen
    if real.empty:
        return [], []
    real = real.assign(ratio=real["mu_star"] / real["noise_mu_star"])
    real = real.assign(rank=real.groupby(["strategy", "metric"])["ratio"].rank(ascending=False, method="first"))
    order = real.sort_values(["rank", "ratio"], ascending=[True, False], kind="stable")["family"]
    leaders = set(real.loc[real["rank"] == 1, "family"])
    chosen, skipped, used = [], [], 0
    for fam in dict.fromkeys(order):
        members = [p for p in s.parameters if p.family == fam]
        if fam in leaders or used + len(members) <= s.tornado_max:
            chosen += members
            used += len(members)
        else:
            skipped.append(fam)
    return chosen, skipped


def tornado(s: Settings, what: pd.DataFrame, diffs: pd.DataFrame, centre: pd.DataFrame) -> pd.DataFrame:
    """``tornado.csv``: per strategy, metric and parameter, the difference at the low and the high end
    of its plausible range (mean over the tornado's seeds), the swing (high minus low) and its share
    of the difference; the noise of a swing (two ends of ``tornado_seeds`` seeds each, from the
    centre's seed-to-seed sd: an upper bound, as the ends share their seeds) and whether the swing
    is above ``z`` of it (Bonferroni over the parameters)."""
    from scipy.stats import norm

    if what.empty or diffs.empty:
        return pd.DataFrame()
    params = {p.key: p for p in s.parameters}
    d = diffs.merge(what, on="draw")
    ends = d.groupby(["strategy", "metric", "parameter", "end"], sort=False)["diff"].mean().unstack("end")
    c = centre.set_index(["strategy", "metric"])
    k = what["parameter"].nunique()
    z = float(norm.ppf(1 - FAMILY_ERROR / (2 * max(k, 1))))
    rows = []
    for (strategy, metric, key), r in ends.iterrows():
        p = params[key]
        diff, sd, se = (float(c.loc[(strategy, metric), col]) for col in ("diff", "sd", "se"))
        swing = float(r["high"] - r["low"])
        noise = z * math.sqrt(2) * sd / math.sqrt(s.tornado_seeds)
        rows.append(
            {
                "strategy": strategy,
                "metric": metric,
                "parameter": key,
                "family": p.family,
                "kind": p.kind,
                "low": p.low,
                "high": p.high,
                "range_from": p.range_from,
                "posterior_span": p.posterior_span,
                "value": p.value,
                "diff": diff,
                "diff_at_low": float(r["low"]),
                "diff_at_high": float(r["high"]),
                "swing": swing,
                "share": _share(swing, diff, se),
                "noise_swing": noise,
                "above_noise": bool(abs(swing) > noise),
                "seeds": s.tornado_seeds,
                "source": p.source,
                "why": p.why,
            }
        )
    out = pd.DataFrame(rows)
    out["order"] = -out["swing"].abs()
    out = out.sort_values(["strategy", "metric", "order"], kind="stable").drop(columns="order")
    return out.reset_index(drop=True)


def carriers(torn: pd.DataFrame) -> pd.DataFrame:
    """``carriers.csv``: the leading carriers of each strategy and outcome, those above noise, by
    the size of their swing."""
    if torn.empty:
        return torn
    top = torn[torn["above_noise"]].groupby(["strategy", "metric"], sort=False).head(CARRIERS_KEPT).copy()
    top.insert(2, "rank", top.groupby(["strategy", "metric"], sort=False).cumcount() + 1)
    return top.reset_index(drop=True)


# --- the command --------------------------------------------------------------------------------------
@dataclass
class CarriersResult:
    centre: pd.DataFrame
    screening: pd.DataFrame
    tornado: pd.DataFrame
    carriers: pd.DataFrame
    meta: dict[str, Any]
    notes: list[str] = field(default_factory=list)


def cost(s: Settings) -> tuple[int, int]:
    """Runs of the screening, and of the tornado at ``tornado_max`` parameters (more when the
    outcomes' leading families need more: ``choose_families``)."""
    arms = len(s.scenarios)
    return arms * s.screening_points(), arms * s.tornado_points_max()


def run_carriers(s: Settings, out: Path, backend: Any, resume: bool) -> CarriersResult:
    """Run (or resume) both stages into ``out`` and write the tables and ``carriers.md``."""
    from .sweep import write_json
    from .uncertainty import _stage, _write_csv, _write_parquet, build_sweep, tagged

    started = time.time()
    out.mkdir(parents=True, exist_ok=True)
    marker = out / MARKER
    meta = {
        "package": "sesim",
        "version": __version__,
        "kind": KIND,
        **s.describe(),
        "fingerprint": s.fingerprint(),
        "command": list(s.command),
        "titles": {x.name: [x.title_en or x.name, x.title_zh or x.name] for x in s.scenarios},
    }
    from sim.outputs import read_json_manifest

    old = read_json_manifest(marker)
    if old is not None:
        if old.get("fingerprint") != meta["fingerprint"]:
            raise ScenarioError(
                f"--out {out}: holds a different carriers screening; choose another folder with --out DIR"
            )
    write_json(marker, meta)
    names = [x.name for x in s.strategies]
    design, X = screening_design(s)
    sw, index = build_sweep(s.scenarios, design, name="carriers-screening")
    _write_parquet(design, out / "screening-design.parquet")
    _stage(sw, out / "screening", backend, None, resume=True)
    runs = tagged(out / "screening", index)
    notes = _failed_note(runs, "screening")
    diffs = differences(runs[runs["status"] == "ok"], s.baseline.name, names, s.metrics)
    centre = centre_table(diffs, s.noise_seeds)
    screen = screening(s, X, diffs, centre)
    undefined = sorted(
        {(a, m) for a in names for m in s.metrics} - set(zip(screen["strategy"], screen["metric"]))
        if len(screen)
        else {(a, m) for a in names for m in s.metrics}
    )
    if undefined:
        notes.append(
            "no screening for "
            + ", ".join(f"{a} × {m}" for a, m in undefined)
            + ": failed runs or a metric undefined in these runs (too short for its follow-up?)"
        )
    chosen, skipped = choose_families(s, screen)
    if skipped:
        notes.append(
            f"families above noise left out of the tornado (beyond each strategy and outcome's leading family, more than "
            f"--tornado-max {s.tornado_max} parameters with those before them): {', '.join(skipped)}"
        )
    torn = pd.DataFrame()
    if chosen:
        tdesign, what = tornado_design(s, chosen)
        tsw, tindex = build_sweep(s.scenarios, tdesign, name="carriers-tornado")
        _write_parquet(what, out / "tornado-design.parquet")
        _stage(tsw, out / "tornado", backend, None, resume=True)
        truns = tagged(out / "tornado", tindex)
        notes += _failed_note(truns, "tornado")
        tdiffs = differences(truns[truns["status"] == "ok"], s.baseline.name, names, s.metrics)
        torn = tornado(s, what, tdiffs, centre)
    top = carriers(torn)
    for name, df in (
        ("differences.csv", centre),
        ("screening.csv", screen),
        ("tornado.csv", torn),
        ("carriers.csv", top),
    ):
        _write_csv(df, out / name)
    n_screen, n_torn = len(runs), (2 * len(chosen) * s.tornado_seeds * len(s.scenarios))
    meta.update(
        status="complete",
        finished=time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        runs_screening=n_screen,
        runs_tornado=n_torn,
        tornado_parameters=[p.key for p in chosen],
        skipped_families=skipped,
        families=s.family_names(),
        seconds=round(time.time() - started, 1),
        notes=notes,
    )
    write_json(marker, meta)
    result = CarriersResult(centre, screen, torn, top, meta, notes)
    write_text(out / "carriers.md", markdown(result, s))
    return result


def _failed_note(runs: pd.DataFrame, stage: str) -> list[str]:
    bad = runs[runs["status"] != "ok"]
    return (
        [f"{len(bad)} runs of the {stage} failed (first: {bad['error'].iloc[0]}); their points are left out"]
        if len(bad)
        else []
    )


def write_text(path: Path, text: str) -> None:
    """``text`` into ``path`` through a temporary file beside it, so the file is whole or as it was."""
    import os

    tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


# --- docs/carriers.md -----------------------------------------------------------------------------------
def _fmt(x: float, metric: str) -> str:
    """A difference in the metric's display unit, signed (points for shares)."""
    from .labels import display_scale

    k = display_scale(metric)
    return f"{x * k:+.1f}" if k != 1 else f"{x:+.3g}"


def _size(x: float, metric: str) -> str:
    """A magnitude (noise, mu*) in the metric's display unit."""
    from .labels import display_scale

    return f"{abs(x) * display_scale(metric):.2g}"


def markdown(res: CarriersResult, s: Settings) -> str:
    """``carriers.md``: for each strategy and headline outcome, the difference, its top carriers with
    the share each moves, each carrier's kind and source, and the noise benchmark."""
    from .labels import metric_label, unit_label

    m = res.meta
    arms = len(s.scenarios)
    lines = [
        "# What carries each headline difference",
        "",
        f"Generated by `sesim carriers` (`make carriers`) with sesim {__version__} on {m.get('finished', '')}: "
        f"do not edit by hand. Baseline `{s.baseline.name}`; strategies "
        + ", ".join(f"`{x.name}`" for x in s.strategies)
        + f"; root seed {s.root}. Command: `{shlex.join(s.command)}`.",
        "",
        "**Method.** The screening is of the *differences* strategy − baseline, paired on common random "
        "numbers (the same seed in every arm of a design point). Stage 1: Morris elementary effects (SALib, "
        f"{s.trajectories} trajectories, {MORRIS_LEVELS} levels) over the {len(s.parameters)} behavioural "
        f"parameters with a plausible range, moved together in their {len(s.family_names())} families (the "
        "mechanism headings of `sim/params.py`), beside a dummy family that no run reads. mu* is about what "
        "moving a whole family across its plausible ranges moves the difference by. Stage 2: for the "
        "parameters of the families above noise (whole families: every strategy and outcome's leading family, then "
        f"the others by their rank within each while the total stays within {s.tornado_max} parameters; here "
        f"{len(res.meta.get('tornado_parameters') or [])}), a tornado: the difference with the parameter at each end of its plausible range, "
        f"all others at the scenario's values, on {s.tornado_seeds} seeds per end. *Share* is the swing "
        "(difference at the high end minus at the low end) over the difference at the scenario's values. "
        "A parameter that the calibration's joint posterior frees but does not calibrate is moved over its whole "
        "plausible range all the same, since that posterior is local (its chains started at the calibrated "
        "baseline and were still spreading: docs/calibration.md, *What it reached*); its *kind* cell adds how "
        "much of the range that local posterior spans (its 5–95%), a lower bound on what the data leave.",
        "",
        f"**Noise benchmark.** {m.get('runs_screening', 0)} screening runs ({arms} arms × "
        f"{s.screening_points()} points, of which {s.noise_seeds} seeds at the scenario's values give the "
        f"difference and its seed-to-seed sd) and {m.get('runs_tornado', 0)} tornado runs. A family is above "
        "noise when its mu* exceeds what a family nothing reads reaches with probability "
        f"{FAMILY_ERROR:.0%} / families from that sd, and the dummy family's own mu*; a swing when it exceeds "
        "the Bonferroni bound over the tornado's "
        "parameters from that sd.",
        "",
    ]
    if res.notes:
        lines += ["**Notes.** " + " ".join(res.notes), ""]
    c = res.centre.set_index(["strategy", "metric"]) if len(res.centre) else res.centre
    for strat in s.strategies:
        title = f"{strat.title_en} (`{strat.name}`)" if strat.title_en else f"`{strat.name}`"
        lines += [f"## {title}", ""]
        for metric in s.metrics:
            if (strat.name, metric) not in c.index:
                continue
            r = c.loc[(strat.name, metric)]
            unit = unit_label(metric, "en")
            lines += [
                f"### {metric_label(metric, 'en')}: {_fmt(r['diff'], metric)} {unit} "
                f"(± {_size(1.96 * r['se'], metric)} over {int(r['n'])} seeds)",
                "",
            ]
            if not np.isfinite(_share(1.0, float(r["diff"]), float(r["se"]))):
                lines += [
                    "The difference is not distinguishable from zero at these seeds: no shares are given, "
                    "the swings are in the outcome's unit.",
                    "",
                ]
            sc = (
                res.screening[(res.screening["strategy"] == strat.name) & (res.screening["metric"] == metric)]
                if len(res.screening)
                else res.screening
            )
            if len(sc):
                dummy = sc[sc["is_dummy"]]
                bench = float(sc["noise_mu_star"].iloc[0])
                above = sc[~sc["is_dummy"] & sc["above_noise"]]
                lead = float(above["mu_star"].max()) if len(above) else float("nan")
                lines.append(
                    f"Noise: seed-to-seed sd of the difference {_size(r['sd'], metric)} {unit}; a family is "
                    f"above noise from mu* {_size(bench, metric)} (the dummy family reached "
                    f"{_size(float(dummy['mu_star'].iloc[0]), metric) if len(dummy) else 'n/a'})"
                    + (
                        f"; the leading family's mu* is {lead / bench:.1f} × that."
                        if len(above) and bench > 0
                        else "; the difference does not vary between seeds here."
                        if len(above)
                        else "; no family stands above it."
                    )
                    + ""
                )
                lines += [
                    "",
                    "| family | parameters | mu* | share of the difference | above noise |",
                    "|---|---:|---:|---:|:---:|",
                ]
                for f in sc[~sc["is_dummy"]].head(6).itertuples():
                    lines.append(
                        f"| {f.family} | {f.parameters} | {_size(f.mu_star, metric)} | "
                        f"{_pct(f.share)} | {'yes' if f.above_noise else 'no'} |"
                    )
                lines.append("")
            tc = (
                res.carriers[(res.carriers["strategy"] == strat.name) & (res.carriers["metric"] == metric)]
                if len(res.carriers)
                else res.carriers
            )
            if len(tc):
                lines += [
                    "| carrier | kind | range moved over | difference at low / high end | share moved | source |",
                    "|---|---|---|---|---:|---|",
                ]
                for t in tc.itertuples():
                    span = "posterior 5–95%" if getattr(t, "range_from", "") == "posterior" else "plausible"
                    kept = _kept(getattr(t, "posterior_span", float("nan")))
                    lines.append(
                        f"| `{t.parameter}` | {t.kind}{kept} | {t.low:.3g} – {t.high:.3g}, {span} (here {t.value:.3g}) | "
                        f"{_fmt(t.diff_at_low, metric)} / {_fmt(t.diff_at_high, metric)} | {_pct(t.share)} | "
                        f"{_md(t.source)}{' — ' + _md(t.why) if t.why else ''} |"
                    )
                first = tc.iloc[0]
                if first["kind"] == "assumption" and first["share"] > UNANCHORED_SHARE:
                    lines += [
                        "",
                        f"**This size rests for more than half on an unanchored assumption** "
                        f"(`{first['parameter']}` moves {first['share']:.0%} of it and is of kind "
                        "*assumption* in the schema: no published figure anchors it"
                        + (
                            "; the targets constrain it only jointly (the "
                            f"{span_text(first['posterior_span'])}: docs/calibration.md, *What it reached*))."
                            if np.isfinite(first.get("posterior_span", float("nan")))
                            else ")."
                        ),
                    ]
            else:
                lines.append(
                    "No parameter's tornado swing stands above noise"
                    + (
                        " (no family was above noise in the screening)."
                        if not len(sc) or not sc[~sc["is_dummy"]]["above_noise"].any()
                        else "."
                    )
                )
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def span_text(span: float) -> str:
    """``local posterior spans 23% of its range`` for a parameter the joint posterior frees but does
    not calibrate (``Parameter.posterior_span``), else nothing; docs/carriers.md and the README's
    sizes table (analysis.sizes) say it alike."""
    return f"local posterior spans {span:.0%} of its range" if np.isfinite(span) else ""


def _kept(span: float) -> str:
    return f" ({span_text(span)})" if span_text(span) else ""


def _pct(x: float) -> str:
    return f"{x:.0%}" if np.isfinite(x) else "–"


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def text(res: CarriersResult, s: Settings) -> str:
    """The terminal summary: per strategy and outcome, the difference and its top three carriers."""
    lines = []
    c = res.centre.set_index(["strategy", "metric"]) if len(res.centre) else res.centre
    for strat in s.strategies:
        for metric in s.metrics:
            if (strat.name, metric) not in c.index:
                continue
            tc = (
                res.carriers[(res.carriers["strategy"] == strat.name) & (res.carriers["metric"] == metric)]
                if len(res.carriers)
                else res.carriers
            )
            who = (
                "; ".join(
                    f"{t.parameter} ({t.kind}) {_pct(t.share)} [{_fmt(t.diff_at_low, metric)} .. "
                    f"{_fmt(t.diff_at_high, metric)}]"
                    for t in tc.head(3).itertuples()
                )
                or "no carrier above noise"
            )
            lines.append(f"  {strat.name} {metric} {_fmt(c.loc[(strat.name, metric), 'diff'], metric)}: {who}")
    return "\n".join(lines)
