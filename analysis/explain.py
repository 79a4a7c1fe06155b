"""``sesim explain``: what a strategy's difference comes from, in two tables (docs/odd.md §10).

**By part of the strategy** (``parts.csv``) answers "how much of the difference comes from this
part of the package?".  A package strategy is split into *parts*, each a set of lever changes
against the baseline: by default the strategies it ``extends`` (each with what it changes) plus
the levers the package sets itself (``huli_tongqiang_qirong`` = goal alignment + school
cooperation + firm support + its own joint projects), else the lever sections it changes.  Every
coalition of parts (2^k of them, k ≤ ``MAX_PARTS``) runs on the same seeds as the baseline
(replicate *i* uses seed ``S + i``: common random numbers).  With ``v_i(C)`` the paired difference
of coalition C against the baseline in replicate *i*, the exact Shapley value of part p is

    φ_i(p) = Σ_{C ⊆ N∖{p}} |C|! (k − |C| − 1)! / k! · (v_i(C ∪ {p}) − v_i(C))

so the parts' values add up to the strategy's difference in every replicate, and their means to
the mean difference, exactly.  The 95% interval is the t-interval over the replicate-level values.
Beside each Shapley value: the part *alone* (``v(p)``) and, per pair, the Shapley interaction
index (Grabisch 1997) — how much two parts do together beyond what each does alone.

**By path** (``paths.csv``) answers "how much of the difference goes through this mechanism?".
A family's share is the part of the difference that disappears when the family's response to the
strategy is held at its baseline value, on common random numbers (the idea of a natural indirect
effect): in the strategy run, a family whose output is a school- or firm-level state of its own
(M2 curriculum, M5 mentoring quality, M15 reputations, M16 the market's benchmarks) takes the
baseline run's state, recorded on the same seed, month by month; any other family reads the baseline's levers wherever it reads a
lever (:class:`sim.model.Hold`).  Everything the other families leave it is the strategy run's.
With ``d`` the full difference and ``d_held`` the difference left with family M held,

    share(M) = mean(d − d_held) / mean(d)

with Fieller's 95% interval for a ratio of paired means.  A family held at its levers that reads none
of the levers the strategy changes has share exactly 0, however much the outcome needs it: a
precondition (M16's outside market, without which nobody quits; M8's judgement, without which no
firm leaves) does not take the whole difference.  What such a family passes on counts to the family
where the strategy enters; shares of several families need not add up.

References: Shapley L. S. (1953). A value for n-person games. *Contributions to the Theory of
Games* II: 307–317.  Grabisch M. (1997). k-order additive discrete fuzzy measures and their
representation. *Fuzzy Sets and Systems* 92: 167–189.  Fieller E. C. (1954). Some problems in
interval estimation. *JRSS B* 16(2): 175–185.  Pearl J. (2001). Direct and indirect effects.
*UAI* 17: 411–420.
"""

from __future__ import annotations

import copy
import dataclasses
import itertools
import math
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd
from scipy import stats as sps

from sim import metrics
from sim.backends import LocalBackend, map_ordered
from sim.outputs import OutputSlot
from sim.params import SECTIONS, SWITCHABLE, Params, mechanism_ids
from sim.progress import progress_bar
from sim.runner import git_commit
from sim.scenario import SCENARIO_DIR, Scenario, ScenarioError, load_scenario, read_toml_file
from sim.spreadsheet import write_csv
from sim.version import __version__

from . import stats
from .compare import HEADLINE
from .labels import t

CONFIDENCE = 0.95
MAX_PARTS = 5  # 2^k coalitions per replicate: 32 at most
GROUPINGS = ("auto", "components", "sections")
FIXED_SECTIONS = ("run",)  # the same in every run of one explain (seeds, years)
PART_COLUMNS = (
    "strategy",
    "baseline",
    "metric",
    "kind",
    "part",
    "levers",
    "value",
    "ci_low",
    "ci_high",
    "share",
    "diff",
    "n",
)
PATH_COLUMNS = (
    "strategy",
    "baseline",
    "mechanism",
    "metric",
    "diff_full",
    "diff_held",
    "carried",
    "share",
    "ci_low",
    "ci_high",
    "n",
)
KINDS = ("shapley", "alone", "interaction")


# ------------------------------------------------------------------------------ parts of a strategy
@dataclass(frozen=True)
class Part:
    """One part of a package: a name and the lever values it sets (``section.key`` -> value)."""

    name: str
    changes: dict[str, Any]


def lever_values(params: Params) -> dict[str, Any]:
    """Every setting of a scenario but its run section, by ``section.key`` (``agents``: the per-agent tables;
    ``colleges``: the industry colleges, docs/odd.md M18, one part of a strategy as a whole)."""
    out: dict[str, Any] = {}
    for sec in SECTIONS:
        if sec in FIXED_SECTIONS:
            continue
        obj = getattr(params, sec)
        for f in dataclasses.fields(obj):
            out[f"{sec}.{f.name}"] = getattr(obj, f.name)
    out["agents"] = params.agents
    out["colleges"] = params.colleges
    return out


def apply_changes(params: Params, changes: dict[str, Any]) -> Params:
    """A copy of ``params`` with ``changes`` (``section.key`` -> value) set."""
    p = copy.deepcopy(params)
    for key, value in changes.items():
        if key == "agents":
            p.agents = copy.deepcopy(value)
        elif key == "colleges":
            p.colleges = copy.deepcopy(value)
        else:
            sec, name = key.split(".", 1)
            setattr(getattr(p, sec), name, copy.deepcopy(value))
    return p


def _changes(values: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v != base[k]}


def _extends(strategy: Scenario) -> list[tuple[str, Path]]:
    """The scenarios ``strategy``'s file extends directly, as (name, path); none for a file without."""
    if not strategy.path or not Path(strategy.path).is_file():
        return []
    ext = read_toml_file(strategy.path).get("extends", [])
    ext = [ext] if isinstance(ext, str) else list(ext)
    out = []
    for e in ext:
        fname = e if e.endswith(".toml") else f"{e}.toml"
        target = Path(strategy.path).parent / fname
        out.append((Path(fname).stem, target if target.is_file() else SCENARIO_DIR / fname))
    return out


def component_parts(strategy: Scenario, baseline: Scenario) -> list[Part]:
    """The strategies ``strategy`` extends, each with what it changes against ``baseline``, then the
    levers the strategy sets itself (those the components leave otherwise), in the file's order."""
    base = lever_values(baseline.params)
    merged = dict(base)
    parts: list[Part] = []
    for name, path in _extends(strategy):
        comp = load_scenario(path, dict(strategy.overrides))
        ch = _changes(lever_values(comp.params), base)
        if ch:
            parts.append(Part(comp.name or name, ch))
            merged.update(ch)
    own = _changes(lever_values(strategy.params), merged)
    if own:
        keys = list(own)
        label = keys[0].split(".", 1)[-1] if len(keys) == 1 else f"{strategy.name} (own levers)"
        parts.append(Part(label, own))
    return parts


def section_parts(strategy: Scenario, baseline: Scenario) -> list[Part]:
    """One part per section the strategy changes against ``baseline`` (its lever changes there)."""
    ch = _changes(lever_values(strategy.params), lever_values(baseline.params))
    by: dict[str, dict[str, Any]] = {}
    for k, v in ch.items():
        by.setdefault(k.split(".", 1)[0], {})[k] = v
    return [Part(sec, c) for sec, c in by.items()]


def strategy_parts(strategy: Scenario, baseline: Scenario, grouping: str = "auto") -> list[Part]:
    """The parts of ``strategy`` (``components``, ``sections``, or ``auto``: components when they make
    2 to ``MAX_PARTS`` parts, else sections).  Raises :class:`ScenarioError` in one line when there
    are more than ``MAX_PARTS`` or when the parts together do not make the strategy."""
    if grouping not in GROUPINGS:
        raise ScenarioError(f"--parts {grouping}: allowed {', '.join(GROUPINGS)}")
    parts = component_parts(strategy, baseline) if grouping != "sections" else []
    if grouping == "sections" or (grouping == "auto" and not 2 <= len(parts) <= MAX_PARTS):
        parts = section_parts(strategy, baseline)
    if len(parts) > MAX_PARTS:
        raise ScenarioError(
            f"explain: {strategy.name} has {len(parts)} parts by {grouping} "
            f"({', '.join(p.name for p in parts)}); allowed at most {MAX_PARTS} "
            f"(2^k coalitions per replicate): try --parts components or --parts sections"
        )
    whole = apply_changes(baseline.params, {k: v for p in parts for k, v in p.changes.items()})
    if lever_values(whole) != lever_values(strategy.params):
        raise ScenarioError(
            f"explain: the parts of {strategy.name} ({', '.join(p.name for p in parts)}) do not "
            f"make the strategy together; try --parts sections"
        )
    return parts


def coalition_params(baseline: Params, parts: list[Part], members: Iterable[int]) -> Params:
    """The baseline with the changes of the parts ``members`` (indices), applied in the package's order."""
    changes: dict[str, Any] = {}
    for i in sorted(members):
        changes.update(parts[i].changes)
    return apply_changes(baseline, changes)


def coalition_name(parts: list[Part], members: Iterable[int]) -> str:
    return "+".join(parts[i].name for i in sorted(members))


# ------------------------------------------------------------------------------ statistics
@dataclass(frozen=True)
class Share:
    share: float
    low: float
    high: float
    n: int


def ratio_share(a: np.ndarray, b: np.ndarray, confidence: float = CONFIDENCE) -> Share:
    """mean(a) / mean(b) with Fieller's interval, paired by replicate (pairs with a missing value are
    dropped): the set of ratios ρ for which the per-replicate ``a − ρ b`` have mean zero by a
    two-sided t-test.  NaN where mean(b) is not clear at this confidence (the set is unbounded)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    ok = np.isfinite(a) & np.isfinite(b)
    a_i, b_i = a[ok], b[ok]
    n = len(a_i)
    nan = float("nan")
    if n < 2:
        return Share(nan, nan, nan, n)
    ma, mb = float(a_i.mean()), float(b_i.mean())
    cov = np.cov(np.stack([a_i, b_i]), ddof=1) / n  # variances and covariance of the two means
    v_aa, v_bb, v_ab = float(cov[0, 0]), float(cov[1, 1]), float(cov[0, 1])
    t2 = float(sps.t.ppf(0.5 + confidence / 2, n - 1)) ** 2
    # (ma − ρ mb)² ≤ t² (v_aa − 2 ρ v_ab + ρ² v_bb)  ⇔  A ρ² − 2 B ρ + C ≤ 0
    qa, qb, qc = mb * mb - t2 * v_bb, ma * mb - t2 * v_ab, ma * ma - t2 * v_aa
    if not qa > 0:
        return Share(nan, nan, nan, n)
    root = math.sqrt(max(qb * qb - qa * qc, 0.0))
    low, high = (qb - root) / qa, (qb + root) / qa
    share = ma / mb
    return Share(share, min(low, share), max(high, share), n)


def shapley_weights(k: int) -> dict[int, float]:
    """|C|! (k − |C| − 1)! / k! by the size of C."""
    return {s: math.factorial(s) * math.factorial(k - s - 1) / math.factorial(k) for s in range(k)}


def shapley_values(v: dict[frozenset, np.ndarray], k: int) -> list[np.ndarray]:
    """Exact Shapley values of the k players of game ``v`` (coalition -> per-replicate values, the
    empty coalition included), per replicate."""
    w = shapley_weights(k)
    out = []
    for p in range(k):
        others = [i for i in range(k) if i != p]
        phi = np.zeros_like(v[frozenset()], dtype=float)
        for size in range(k):
            for c in itertools.combinations(others, size):
                c = frozenset(c)
                phi = phi + w[size] * (v[c | {p}] - v[c])
        out.append(phi)
    return out


def interaction_index(v: dict[frozenset, np.ndarray], k: int, i: int, j: int) -> np.ndarray:
    """Shapley interaction index of players i and j, per replicate (Grabisch 1997)."""
    others = [x for x in range(k) if x not in (i, j)]
    phi = np.zeros_like(v[frozenset()], dtype=float)
    for size in range(k - 1):
        wgt = math.factorial(size) * math.factorial(k - size - 2) / math.factorial(k - 1)
        for c in itertools.combinations(others, size):
            c = frozenset(c)
            phi = phi + wgt * (v[c | {i, j}] - v[c | {i}] - v[c | {j}] + v[c])
    return phi


def _interval(x: np.ndarray) -> stats.PairedDifference:
    return stats.paired_difference(x, np.zeros_like(x))


# ------------------------------------------------------------------------------ tables
def _arm(summary: pd.DataFrame, config: str) -> pd.DataFrame:
    return summary[summary["config"] == config].set_index("replicate").sort_index()


def parts_table(
    summary: pd.DataFrame, strategy: str, baseline: str, parts: list[Part], metric_names: Iterable[str]
) -> pd.DataFrame:
    """parts.csv: per metric, each part's Shapley value, its value alone, each pair's interaction."""
    k = len(parts)
    configs = {
        frozenset(c): coalition_config(c) for size in range(k + 1) for c in itertools.combinations(range(k), size)
    }
    base = _arm(summary, coalition_config(()))
    reps = base.index
    rows = []
    for m in metric_names:
        v = {
            c: _arm(summary, cfg).reindex(reps)[m].to_numpy(float) - base[m].to_numpy(float)
            for c, cfg in configs.items()
        }
        full = v[frozenset(range(k))]
        d = _interval(full)
        common = dict(strategy=strategy, baseline=baseline, metric=m, diff=d.diff)

        def row(kind: str, part: str, levers: str, x: np.ndarray, d: Any = d, common: dict = common) -> dict:
            iv = _interval(x)
            share = iv.diff / d.diff if d.diff else float("nan")
            return {
                **common,
                "kind": kind,
                "part": part,
                "levers": levers,
                "value": iv.diff,
                "ci_low": iv.low,
                "ci_high": iv.high,
                "share": share,
                "n": iv.n,
            }

        for p, phi in zip(parts, shapley_values(v, k)):
            rows.append(row("shapley", p.name, ";".join(p.changes), phi))
        for i, p in enumerate(parts):
            rows.append(row("alone", p.name, ";".join(p.changes), v[frozenset({i})]))
        for i, j in itertools.combinations(range(k), 2):
            rows.append(row("interaction", f"{parts[i].name} × {parts[j].name}", "", interaction_index(v, k, i, j)))
    return pd.DataFrame(rows, columns=list(PART_COLUMNS))


def paths_table(
    summary: pd.DataFrame, strategy: str, baseline: str, families: Iterable[str], metric_names: Iterable[str]
) -> pd.DataFrame:
    """paths.csv: per family and metric, the share of the difference that goes through the family."""
    s_full, b_full = _arm(summary, STRATEGY), _arm(summary, coalition_config(()))
    reps = s_full.index
    b_full = b_full.reindex(reps)
    rows = []
    for fam in families:
        held = _arm(summary, hold_config(fam)).reindex(reps)
        for m in metric_names:
            d_full = s_full[m].to_numpy(float) - b_full[m].to_numpy(float)
            d_held = held[m].to_numpy(float) - b_full[m].to_numpy(float)
            carried = d_full - d_held
            ok = np.isfinite(d_full) & np.isfinite(d_held)
            sh = ratio_share(carried, d_full)
            rows.append(
                {
                    "strategy": strategy,
                    "baseline": baseline,
                    "mechanism": fam,
                    "metric": m,
                    "diff_full": float(d_full[ok].mean()) if ok.any() else float("nan"),
                    "diff_held": float(d_held[ok].mean()) if ok.any() else float("nan"),
                    "carried": float(carried[ok].mean()) if ok.any() else float("nan"),
                    "share": sh.share,
                    "ci_low": sh.low,
                    "ci_high": sh.high,
                    "n": sh.n,
                }
            )
    return pd.DataFrame(rows, columns=list(PATH_COLUMNS))


def full_differences(exp: "Explanation") -> dict[str, stats.PairedDifference]:
    """The strategy's difference against the baseline per metric, paired, with its 95% interval."""
    a = _arm(exp.summary, STRATEGY)
    b = _arm(exp.summary, coalition_config(())).reindex(a.index)
    return {m: stats.paired_difference(a[m].to_numpy(float), b[m].to_numpy(float)) for m in exp.metrics}


# ------------------------------------------------------------------------------ running
STRATEGY = "strategy"
SUMMARY_META = ("config", "coalition", "held", "replicate", "seed", "run_key")


def coalition_config(members: Iterable[int]) -> str:
    """The summary's name of a coalition's runs: ``parts:`` and the members' indices (``parts:`` alone:
    the baseline)."""
    return "parts:" + ",".join(str(i) for i in sorted(members))


def hold_config(family: str) -> str:
    return f"hold:{family}"


@dataclass
class Explanation:
    strategy: Scenario
    baseline: Scenario
    root_seed: int
    n_replicates: int
    metrics: list[str]
    parts: list[Part]
    families: list[str]  # families held in turn
    summary: pd.DataFrame  # one row per configuration and replicate
    parts_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    paths_table: pd.DataFrame = field(default_factory=pd.DataFrame)
    n_runs: int = 0  # distinct runs (a configuration met twice runs once)
    reused: int = 0  # of them, taken from an earlier result (cache)


def _explain_job(args: tuple) -> dict:
    """One run: a scenario's parameters on a seed, with some families held at the baseline.  With
    ``record`` the run also returns the state the families of ``STATE_HELD`` wrote (key ``_states``)."""
    from sim.model import CooperationModel, Hold
    from sim.tuning import tune_process

    params, held, baseline, seed, states, record = args
    tune_process()
    p = copy.deepcopy(params)
    p.run.seed = seed
    hold = Hold(tuple(held), baseline, states) if held else None
    model = CooperationModel(p, seed=seed, hold=hold, record=record).run()
    out = metrics.compute(model)
    if record:
        out["_states"] = model.record
    return out


def code_hash() -> str:
    """A hash of the model's source (``sim/**/*.py`` but the command line and the user interfaces): a
    cached run is reused only by the same model."""
    import hashlib

    root = Path(__file__).resolve().parent.parent / "sim"
    h = hashlib.sha256()
    for f in sorted(root.rglob("*.py")):
        if f.relative_to(root).parts[0] in NOT_MODEL:
            continue
        h.update(f.relative_to(root).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def run_key(code: str, params: Params, held: tuple[str, ...], baseline: Params, seed: int) -> str:
    """What makes one run: the model's source, the scenario, the families held (and the baseline they
    are held at) and the seed."""
    import hashlib

    text = repr((code, _fingerprint(params, held), _fingerprint(baseline, ()) if held else "", seed))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def load_cache(folder: Path) -> pd.DataFrame | None:
    """The runs of an earlier ``sesim explain`` in ``folder`` (its summary.csv), if any and readable."""
    path = Path(folder) / "summary.csv"
    if not (Path(folder) / PARTS_CSV).is_file() or not path.is_file():
        return None
    try:
        cache = pd.read_csv(path)
    except (OSError, ValueError):
        return None
    return cache if "run_key" in cache.columns else None


PARTS_CSV = "parts.csv"
NOT_MODEL = ("apps", "progress.py", "__main__.py")


def _fingerprint(params: Params, held: tuple[str, ...]) -> str:
    """Two configurations with the same fingerprint are the same run on the same seed."""
    return repr((sorted((k, repr(v)) for k, v in lever_values(params).items()), repr(params.run), held))


def default_families() -> list[str]:
    return list(SWITCHABLE)


def run_explain(
    strategy: Scenario,
    baseline: Scenario,
    seeds: int = 10,
    root: int = 0,
    metric_names: Iterable[str] = HEADLINE,
    families: Iterable[str] | None = None,
    grouping: str = "auto",
    workers: int = 1,
    progress: bool = True,
    cache: pd.DataFrame | None = None,
) -> Explanation:
    """Every coalition of the strategy's parts and the strategy with each family held, on the same seeds
    as the baseline.  A configuration that is the same run as another (the whole coalition is the
    strategy) runs once; a run found in ``cache`` (the summary of an earlier explain, by ``run_key``:
    the same model source, scenario, families held and seed) is not run again."""
    parts = strategy_parts(strategy, baseline, grouping)
    fams = default_families() if families is None else mechanism_ids(list(families))
    k = len(parts)
    configs: list[tuple[str, Params, tuple[str, ...]]] = []
    for size in range(k + 1):
        for c in itertools.combinations(range(k), size):
            configs.append((coalition_config(c), coalition_params(baseline.params, parts, c), ()))
    configs.append((STRATEGY, strategy.params, ()))
    configs += [(hold_config(f), strategy.params, (f,)) for f in fams]
    # distinct runs: the whole coalition and the strategy are one configuration (cached)
    distinct: dict[str, int] = {}
    key_of = []
    for _name, params, held in configs:
        key = _fingerprint(params, held)
        distinct.setdefault(key, len(distinct))
        key_of.append(distinct[key])
    unique = {distinct[_fingerprint(p, h)]: (p, h) for _, p, h in configs}
    from sim.model import STATE_HELD

    base_id = distinct[_fingerprint(baseline.params, ())]
    if dataclasses.replace(strategy.params.run, seed=0) != dataclasses.replace(baseline.params.run, seed=0):
        raise ScenarioError(
            f"explain: {strategy.name} and {baseline.name} run for other months ([run] "
            f"differs); give both the same --years"
        )
    code = code_hash()
    keys = {
        (u, i): run_key(code, p, h, baseline.params, root + i) for u, (p, h) in unique.items() for i in range(seeds)
    }
    by: dict[tuple[int, int], dict] = {}
    if cache is not None and len(cache):
        names_all = [c for c in cache.columns if c not in SUMMARY_META]
        known = cache.drop_duplicates("run_key").set_index("run_key")[names_all]
        for ui, key in keys.items():
            if key in known.index:
                by[ui] = {
                    k: (float(v) if isinstance(v, (int, float, np.number)) else v) for k, v in known.loc[key].items()
                }
    # first the runs that hold nothing (the baseline's record the state the families of STATE_HELD write),
    # then the runs that hold a family
    need_states = {
        i for (u, i) in keys if unique[u][1] and (u, i) not in by and any(f in STATE_HELD for f in unique[u][1])
    }
    first = [
        (u, i)
        for u in sorted(unique)
        if not unique[u][1]
        for i in range(seeds)
        if (u, i) not in by or (u == base_id and i in need_states)
    ]
    second = [(u, i) for u in sorted(unique) if unique[u][1] for i in range(seeds) if (u, i) not in by]
    reused = len(keys) - len(first) - len(second)
    bar = progress_bar(len(first) + len(second), "explain", unit="run") if progress else None
    with LocalBackend(workers) as pool:
        jobs = [
            (unique[u][0], (), baseline.params, root + i, None, u == base_id and i in need_states) for u, i in first
        ]
        states = {}
        for ui, res in zip(first, map_ordered(pool, _explain_job, jobs, bar)):
            if "_states" in res:
                states[ui[1]] = res.pop("_states")
            by[ui] = res
        jobs = [
            (
                unique[u][0],
                unique[u][1],
                baseline.params,
                root + i,
                {f: states[i][f] for f in unique[u][1] if f in STATE_HELD} or None,
                False,
            )
            for u, i in second
        ]
        for ui, res in zip(second, map_ordered(pool, _explain_job, jobs, bar)):
            by[ui] = res
    if bar is not None:
        bar.close()
    rows = []
    for (name, _, held), u in zip(configs, key_of):
        members = [int(x) for x in name.split(":", 1)[1].split(",") if x] if name.startswith("parts:") else None
        for i in range(seeds):
            rows.append(
                {
                    "config": name,
                    "coalition": coalition_name(parts, members) if members is not None else "",
                    "held": ",".join(held),
                    "replicate": i,
                    "seed": root + i,
                    "run_key": keys[(u, i)],
                    **by[(u, i)],
                }
            )
    summary = pd.DataFrame(rows)
    names = list(metric_names)
    exp = Explanation(
        strategy, baseline, root, seeds, names, parts, fams, summary, n_runs=len(unique) * seeds, reused=reused
    )
    exp.parts_table = parts_table(summary, strategy.name, baseline.name, parts, names)
    exp.paths_table = paths_table(summary, strategy.name, baseline.name, fams, names)
    return exp


# ------------------------------------------------------------------------------ output
FILES = ("parts.csv", "paths.csv", "summary.csv", "explain.png", "explain.svg", "manifest.json")


def write_explain(exp: Explanation, out: "Path | OutputSlot", lang: str, argv: list[str], started: float) -> list[str]:
    """Write parts.csv, paths.csv, summary.csv and the figure into a hidden folder beside ``out``, then
    swap it into place (an existing folder is replaced only if it holds an earlier explain result)."""
    if not isinstance(out, OutputSlot):
        with OutputSlot(Path(out), "explain") as slot:
            return write_explain(exp, slot, lang, argv, started)
    from . import plots

    tmp = out.staging()
    notes: list[str] = []
    write_csv(exp.parts_table, tmp / "parts.csv", float_format="%.10g")
    write_csv(exp.paths_table, tmp / "paths.csv", float_format="%.10g")
    write_csv(exp.summary, tmp / "summary.csv", float_format="%.17g")  # whole: a later run reuses it
    fig_lang = plots.use_language(lang)
    if fig_lang != lang:
        notes.append(t("cli_no_cjk", lang))
    figure(exp, fig_lang, tmp)
    ended = time.time()
    out.publish(
        {
            "package": "sesim",
            "version": __version__,
            "git_commit": git_commit(),
            "command": list(argv),
            "strategy": exp.strategy.name,
            "baseline": exp.baseline.name,
            "strategy_file": exp.strategy.path,
            "baseline_file": exp.baseline.path,
            "overrides": exp.strategy.overrides,
            "metrics": exp.metrics,
            "parts": {p.name: {k: repr(v) for k, v in p.changes.items()} for p in exp.parts},
            "families_held_in_turn": exp.families,
            "seeds": [exp.root_seed + i for i in range(exp.n_replicates)],
            "runs": exp.n_runs,
            "runs_reused": exp.reused,
            "intervals": {
                "parts": "95% t-interval over the replicate-level Shapley values (common random numbers)",
                "paths": "Fieller 95% interval of mean(d_full - d_held) / mean(d_full), paired by replicate",
            },
            "start": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
            "end": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(ended)),
            "wall_time_s": round(ended - started, 3),
            "python": platform.python_version(),
        }
    )
    return notes


def _diff_text(
    d: stats.PairedDifference | tuple[float, float, float], metric: str, with_ci: bool = True, sign: bool = True
) -> str:
    from .labels import display_scale
    from .report import _num

    diff, low, high = (d.diff, d.low, d.high) if isinstance(d, stats.PairedDifference) else d
    if not np.isfinite(diff):
        return "–"
    k = display_scale(metric)
    text = f"{'+' if sign and diff > 0 else ''}{_num(diff * k, metric)}"
    if with_ci and np.isfinite(low):
        text += f" [{_num(low * k, metric)}, {_num(high * k, metric)}]"
    return text


def _pct(share: float, low: float = float("nan"), high: float = float("nan")) -> str:
    if not np.isfinite(share):
        return "–"
    out = f"{100 * share:.0f}%"
    if np.isfinite(low):
        out += f" [{100 * low:.0f}, {100 * high:.0f}]"
    return out.replace("-0%", "0%").replace("[-0,", "[0,").replace(", -0]", ", 0]")


def explain_text(exp: Explanation, lang: str) -> str:
    """The terminal tables: the full difference, then per part its Shapley value (metric units, 95%
    interval), then per family the share of the difference that goes through it (95% interval)."""
    from .compare import SHORT_UNITS
    from .labels import mechanism_label, metric_kind

    full = full_differences(exp)
    width, first = 22, 38
    heads = [m.split("_", 1) if "_" in m else [m, ""] for m in exp.metrics]
    units = [SHORT_UNITS[metric_kind(m)][1 if lang == "zh" else 0] for m in exp.metrics]
    seeds = f"{exp.root_seed}..{exp.root_seed + exp.n_replicates - 1}"
    zh = lang == "zh"
    lines = [
        t("explain_cli_header", lang).format(
            strategy=exp.strategy.name, baseline=exp.baseline.name, n=exp.n_replicates, seeds=seeds, runs=exp.n_runs
        )
    ]

    def head() -> None:
        lines.append(f"{'':{first}s}" + "".join(f"{h[0]:>{width}s}" for h in heads))
        lines.append(f"{'':{first}s}" + "".join(f"{h[1]:>{width}s}" for h in heads))
        lines.append(f"{'':{first}s}" + "".join(f"{'(' + u + ')':>{width}s}" for u in units))

    lines.append("")
    lines.append(t("explain_parts_question", lang))
    head()
    lines.append(
        f"{('全部差值' if zh else 'whole difference'):{first}s}"
        + "".join(f"{_diff_text(full[m], m):>{width}s}" for m in exp.metrics)
    )
    tab = exp.parts_table
    sh = tab[tab["kind"] == "shapley"].set_index(["part", "metric"])
    for p in exp.parts:
        cells = [
            _diff_text((sh.loc[(p.name, m), "value"], sh.loc[(p.name, m), "ci_low"], sh.loc[(p.name, m), "ci_high"]), m)
            for m in exp.metrics
        ]
        lines.append(f"{p.name[: first - 1]:{first}s}" + "".join(f"{c:>{width}s}" for c in cells))
    lines.append("")
    lines.append(t("explain_paths_question", lang))
    head()
    pt = exp.paths_table.set_index(["mechanism", "metric"])
    for fam in exp.families:
        cells = [_pct(*pt.loc[(fam, m), ["share", "ci_low", "ci_high"]].to_numpy(float)) for m in exp.metrics]
        lines.append(f"{mechanism_label(fam, lang)[: first - 1]:{first}s}" + "".join(f"{c:>{width}s}" for c in cells))
    return "\n".join(lines)


SHARE_LIMITS = (-0.25, 1.25)  # the path panels' axis at least spans these; at most WIDEST
WIDEST = (-2.0, 3.0)


def figure(exp: Explanation, lang: str, out: Path) -> list[Path]:
    """Two rows of panels, one panel per metric: the parts' Shapley values (metric units, 95%
    interval) and the families' path shares (95% interval, lines at 0 and 1)."""
    import matplotlib.pyplot as plt

    from . import plots
    from .labels import display_scale, mechanism_label, metric_label, unit_label

    full = full_differences(exp)
    n = len(exp.metrics)
    fams, parts = exp.families, [p.name for p in exp.parts]
    h_parts, h_paths = 0.35 * len(parts) + 1.2, 0.3 * len(fams) + 1.2
    fig, axes = plt.subplots(
        2, n, figsize=(3.6 * n, h_parts + h_paths), squeeze=False, gridspec_kw={"height_ratios": [h_parts, h_paths]}
    )
    sh = exp.parts_table[exp.parts_table["kind"] == "shapley"]
    for col, m in enumerate(exp.metrics):
        k = display_scale(m)
        ax = axes[0, col]
        r = sh[sh["metric"] == m].set_index("part").reindex(parts)
        y = np.arange(len(parts))[::-1]
        v, lo, hi = (r[c].to_numpy(float) * k for c in ("value", "ci_low", "ci_high"))
        ax.axvline(0, color="0.35", lw=0.8)
        ax.barh(y, v, color="C0", alpha=0.7)
        ax.errorbar(v, y, xerr=[v - lo, hi - v], fmt="none", ecolor="0.2", capsize=2, lw=1)
        unit = unit_label(m, lang)
        ax.set_title(
            f"{metric_label(m, lang)}\n{t('full_difference', lang)}: {_diff_text(full[m], m)}"
            + (f" {unit}" if unit else ""),
            fontsize=8.5,
        )
        ax.set_yticks(y, parts if col == 0 else [""] * len(parts), fontsize=7.5)
        ax.grid(axis="x", color="0.92")
        ax = axes[1, col]
        r = exp.paths_table[exp.paths_table["metric"] == m].set_index("mechanism").reindex(fams)
        y = np.arange(len(fams))[::-1]
        s, lo, hi = (r[c].to_numpy(float) for c in ("share", "ci_low", "ci_high"))
        finite = np.concatenate([s[np.isfinite(s)], lo[np.isfinite(lo)], hi[np.isfinite(hi)]])
        left = max(min(SHARE_LIMITS[0], *finite) if len(finite) else SHARE_LIMITS[0], WIDEST[0])
        right = min(max(SHARE_LIMITS[1], *finite) if len(finite) else SHARE_LIMITS[1], WIDEST[1])
        ax.axvline(0, color="0.35", lw=0.8)
        ax.axvline(1, color="0.6", lw=0.8, ls=":")
        ok = np.isfinite(s)
        if ok.any():
            c_lo, c_hi, c_s = np.clip(lo, left, right), np.clip(hi, left, right), np.clip(s, left, right)
            ax.errorbar(
                c_s[ok],
                y[ok],
                xerr=[c_s[ok] - c_lo[ok], c_hi[ok] - c_s[ok]],
                fmt="o",
                color="C1",
                ecolor="0.3",
                capsize=2,
                lw=1,
                ms=4,
            )
        else:
            ax.text(
                0.5,
                0.5,
                t("no_clear_full", lang),
                transform=ax.transAxes,
                ha="center",
                va="center",
                fontsize=8,
                color="0.4",
            )
        ax.set_xlim(left - 0.05, right + 0.05)
        ax.set_xlabel(t("path_share", lang), fontsize=8)
        ax.set_yticks(y, [mechanism_label(f, lang) for f in fams] if col == 0 else [""] * len(fams), fontsize=7)
        ax.grid(axis="x", color="0.92")
    fig.suptitle(f"{t('explain_title', lang)}\n{exp.strategy.name} − {exp.baseline.name}", fontsize=10)
    fig.tight_layout()
    return plots.save(fig, out, "explain")
