"""``sesim explain``: how much of a strategy's difference goes through each mechanism (机制分解).

Mechanism ablation.  The strategy and its baseline run on the same seeds (replicate *i* uses
seed ``S + i``, common random numbers), first with every mechanism family on — the full
difference — then with one family switched off in **both** arms (``mechanisms.off``; each family's
neutral behaviour is documented under it in docs/odd.md), for every switchable family in turn.
For each headline metric the paired difference with the family off, ``d_off``, is set against
the full difference ``d_full``:

    share remaining = mean(d_off) / mean(d_full)

1 means the family carries none of the difference (it does not act on it, or acts equally in both
arms), 0 that all of it passes through the family, values above 1 that the family works against
the strategy, below 0 that without it the strategy would do harm.  The shares of several families
need not add up: mechanisms interact, and a difference can need two of them at once.

The 95% interval is Fieller's (1954) for a ratio of means, paired by replicate: the set of ratios
ρ for which the per-replicate differences ``d_off − ρ · d_full`` are consistent with mean zero
by a two-sided t-test at 5%.  It is bounded only where the full difference itself is clear (its
own 95% interval excludes 0); elsewhere there is nothing to apportion and the share is left
empty (NaN).  With common random numbers a family that changes nothing gives ``d_off = d_full``
in every replicate, and the share is exactly 1 with an interval of zero width.

Reference: Fieller E. C. (1954). Some problems in interval estimation. *Journal of the Royal
Statistical Society B* 16(2): 175–185.
"""
from __future__ import annotations

import copy
import math
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np
import pandas as pd
from scipy import stats as sps

from sim import __version__, metrics
from sim.outputs import OutputSlot
from sim.params import SWITCHABLE, Params, mechanism_ids
from sim.progress import progress_bar
from sim.runner import ReplicatePool, git_commit
from sim.scenario import Scenario
from sim.spreadsheet import write_csv

from . import stats
from .compare import HEADLINE
from .labels import t

ALL_ON = "none"                 # the ``mechanism`` of the runs with every family on
CONFIDENCE = 0.95
COLUMNS = ("strategy", "baseline", "mechanism", "metric", "diff_full", "diff_off", "share_remaining",
           "ci_low", "ci_high", "n")
ARMS = ("strategy", "baseline")


@dataclass
class Explanation:
    strategy: Scenario
    baseline: Scenario
    root_seed: int
    n_replicates: int
    metrics: list[str]
    mechanisms: list[str]           # families switched off in turn
    summary: pd.DataFrame           # one row per arm, family off ("none": all on) and replicate
    table: pd.DataFrame = field(default_factory=pd.DataFrame)


@dataclass(frozen=True)
class Share:
    share: float
    low: float
    high: float
    n: int


# ------------------------------------------------------------------------------ statistics
def share_remaining(d_off: np.ndarray, d_full: np.ndarray, confidence: float = CONFIDENCE) -> Share:
    """mean(d_off) / mean(d_full) with Fieller's interval, paired by replicate (pairs with a missing
    value are dropped).  NaN where the full difference is not clear at this confidence."""
    d_off, d_full = np.asarray(d_off, float), np.asarray(d_full, float)
    ok = np.isfinite(d_off) & np.isfinite(d_full)
    a_i, b_i = d_off[ok], d_full[ok]
    n = len(a_i)
    nan = float("nan")
    if n < 2:
        return Share(nan, nan, nan, n)
    a, b = float(a_i.mean()), float(b_i.mean())
    cov = np.cov(np.stack([a_i, b_i]), ddof=1) / n          # variances and covariance of the two means
    v_aa, v_bb, v_ab = float(cov[0, 0]), float(cov[1, 1]), float(cov[0, 1])
    t2 = float(sps.t.ppf(0.5 + confidence / 2, n - 1)) ** 2
    # (a − ρ b)² ≤ t² (v_aa − 2 ρ v_ab + ρ² v_bb)  ⇔  A ρ² − 2 B ρ + C ≤ 0
    qa, qb, qc = b * b - t2 * v_bb, a * b - t2 * v_ab, a * a - t2 * v_aa
    if not qa > 0:                   # the full difference is not clear: the set is unbounded
        return Share(nan, nan, nan, n)
    root = math.sqrt(max(qb * qb - qa * qc, 0.0))
    low, high = (qb - root) / qa, (qb + root) / qa
    share = a / b
    return Share(share, min(low, share), max(high, share), n)


def explanation_table(summary: pd.DataFrame, strategy: str, baseline: str, metric_names: Iterable[str],
                      mechanisms: Iterable[str]) -> pd.DataFrame:
    """The tidy table of explain.csv: every family × metric."""
    def arm(name: str, mech: str) -> pd.DataFrame:
        sel = summary[(summary["arm"] == name) & (summary["mechanism"] == mech)]
        return sel.set_index("replicate").sort_index()

    s_full, b_full = arm("strategy", ALL_ON), arm("baseline", ALL_ON)
    reps = s_full.index
    rows = []
    for mech in mechanisms:
        s_off, b_off = arm("strategy", mech).reindex(reps), arm("baseline", mech).reindex(reps)
        for m in metric_names:
            d_full = s_full[m].to_numpy(float) - b_full.reindex(reps)[m].to_numpy(float)
            d_off = s_off[m].to_numpy(float) - b_off[m].to_numpy(float)
            ok = np.isfinite(d_full) & np.isfinite(d_off)
            sh = share_remaining(d_off, d_full)
            rows.append({"strategy": strategy, "baseline": baseline, "mechanism": mech, "metric": m,
                         "diff_full": float(d_full[ok].mean()) if ok.any() else float("nan"),
                         "diff_off": float(d_off[ok].mean()) if ok.any() else float("nan"),
                         "share_remaining": sh.share, "ci_low": sh.low, "ci_high": sh.high, "n": sh.n})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def full_differences(exp: Explanation) -> dict[str, stats.PairedDifference]:
    """The full difference (every family on) per metric, paired, with its 95% interval."""
    s = exp.summary
    a = s[(s["arm"] == "strategy") & (s["mechanism"] == ALL_ON)].set_index("replicate").sort_index()
    b = s[(s["arm"] == "baseline") & (s["mechanism"] == ALL_ON)].set_index("replicate").reindex(a.index)
    return {m: stats.paired_difference(a[m].to_numpy(float), b[m].to_numpy(float)) for m in exp.metrics}


# ------------------------------------------------------------------------------ running
def with_off(params: Params, mechanism: str) -> Params:
    """A copy of ``params`` with ``mechanism`` switched off as well (``"none"``: as it is)."""
    p = copy.deepcopy(params)
    if mechanism != ALL_ON:
        p.mechanisms.off = mechanism_ids([*p.mechanisms.off, mechanism])
    return p


def _explain_job(args: tuple) -> dict:
    """One replicate of one arm with one family off: its summary row (no series, no spells)."""
    from sim.model import CooperationModel
    from sim.tuning import tune_process
    params, seed, replicate, arm, scenario, mechanism = args
    tune_process()
    p = copy.deepcopy(params)
    p.run.seed = seed
    model = CooperationModel(p, seed=seed).run()
    return {"arm": arm, "scenario": scenario, "mechanism": mechanism, "replicate": replicate, "seed": seed,
            **metrics.compute(model)}


def default_mechanisms(strategy: Scenario, baseline: Scenario) -> list[str]:
    """Every switchable family not already off in both arms."""
    both = set(strategy.params.mechanisms.off) & set(baseline.params.mechanisms.off)
    return [m for m in SWITCHABLE if m not in both]


def run_explain(strategy: Scenario, baseline: Scenario, seeds: int = 10, root: int = 0,
                metric_names: Iterable[str] = HEADLINE, mechanisms: Iterable[str] | None = None,
                workers: int = 1, progress: bool = True) -> Explanation:
    """Run both arms with every family on and with each family off in turn, on the same seeds."""
    mechs = default_mechanisms(strategy, baseline) if mechanisms is None else mechanism_ids(list(mechanisms))
    configs = [ALL_ON, *mechs]
    arms = ((ARMS[0], strategy), (ARMS[1], baseline))
    jobs = ((with_off(scn.params, mech), root + i, i, arm, scn.name, mech)
            for mech in configs for i in range(seeds) for arm, scn in arms)
    bar = progress_bar(len(configs) * seeds * len(arms), "explain", unit="run") if progress else None
    with ReplicatePool(workers) as pool:
        rows = pool.map(jobs, bar, fn=_explain_job)
    if bar is not None:
        bar.close()
    summary = pd.DataFrame(rows)
    names = list(metric_names)
    exp = Explanation(strategy, baseline, root, seeds, names, mechs, summary)
    exp.table = explanation_table(summary, strategy.name, baseline.name, names, mechs)
    return exp


# ------------------------------------------------------------------------------ output
def write_explain(exp: Explanation, out: "Path | OutputSlot", lang: str, argv: list[str], started: float) -> list[str]:
    """Write explain.csv, summary.csv and the figure into a hidden folder beside ``out``, then swap it
    into place (an existing folder is replaced only if it holds an earlier explain result)."""
    if not isinstance(out, OutputSlot):
        with OutputSlot(Path(out), "explain") as slot:
            return write_explain(exp, slot, lang, argv, started)
    from . import plots
    tmp = out.staging()
    notes: list[str] = []
    write_csv(exp.table, tmp / "explain.csv", float_format="%.10g")
    write_csv(exp.summary, tmp / "summary.csv", float_format="%.10g")
    fig_lang = plots.use_language(lang)
    if fig_lang != lang:
        notes.append(t("cli_no_cjk", lang))
    figure(exp, fig_lang, tmp)
    ended = time.time()
    out.publish({
        "package": "sesim", "version": __version__, "git_commit": git_commit(), "command": list(argv),
        "strategy": exp.strategy.name, "baseline": exp.baseline.name,
        "strategy_file": exp.strategy.path, "baseline_file": exp.baseline.path,
        "overrides": exp.strategy.overrides, "metrics": exp.metrics, "mechanisms_off_in_turn": exp.mechanisms,
        "seeds": [exp.root_seed + i for i in range(exp.n_replicates)],
        "interval": "Fieller 95% interval of mean(diff_off) / mean(diff_full), paired by replicate",
        "start": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(started)),
        "end": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(ended)),
        "wall_time_s": round(ended - started, 3), "python": platform.python_version(),
    })
    return notes


def _diff_text(d: stats.PairedDifference, metric: str, with_ci: bool = True) -> str:
    from .labels import display_scale
    from .report import _num
    if not np.isfinite(d.diff):
        return "–"
    k = display_scale(metric)
    text = f"{'+' if d.diff > 0 else ''}{_num(d.diff * k, metric)}"
    if with_ci and np.isfinite(d.low):
        text += f" [{_num(d.low * k, metric)}, {_num(d.high * k, metric)}]"
    return text


def _share_text(share: float, low: float, high: float) -> str:
    if not np.isfinite(share):
        return "–"
    out = f"{share:.2f}"
    if np.isfinite(low):
        out += f" [{low:.2f}, {high:.2f}]"
    return out.replace("-0.00", "0.00")


def explain_text(exp: Explanation, lang: str) -> str:
    """The terminal table: the full difference (in the metric's display unit), then per family the
    share of it that remains with the family off, with its 95% interval."""
    from .compare import SHORT_UNITS
    from .labels import mechanism_label, metric_kind
    full = full_differences(exp)
    tab = exp.table.set_index(["mechanism", "metric"])
    width, first = 20, 38
    heads = [m.split("_", 1) if "_" in m else [m, ""] for m in exp.metrics]
    units = [SHORT_UNITS[metric_kind(m)][1 if lang == "zh" else 0] for m in exp.metrics]
    seeds = f"{exp.root_seed}..{exp.root_seed + exp.n_replicates - 1}"
    if lang == "zh":
        lines = [f"{exp.strategy.name} 对 {exp.baseline.name}：{exp.n_replicates} 次重复（种子 {seeds}，共同随机数），"
                 f"{len(exp.mechanisms)} 个机制依次在两组中关闭",
                 "第一行：全部机制开启时的差值及95%区间（单位见第三行）；其余各行：关闭该机制后剩余差值的比例及95%区间"
                 "（1 = 该机制不承载差异，0 = 差异全部经由该机制；– = 无明显差异可分解）"]
        label_full = "全部开启时的差值"
    else:
        lines = [f"{exp.strategy.name} against {exp.baseline.name}: {exp.n_replicates} replicates (seeds {seeds}, "
                 f"common random numbers), {len(exp.mechanisms)} mechanism families switched off in turn in both arms",
                 "First row: the full difference with its 95% interval (units in each column's third line); then, per "
                 "family, the share of it that remains with the family off, with its 95% interval (1 = the family "
                 "carries none of it, 0 = all of it; – = no clear difference to explain)"]
        label_full = "full difference"
    lines.append(f"{'':{first}s}" + "".join(f"{h[0]:>{width}s}" for h in heads))
    lines.append(f"{'':{first}s}" + "".join(f"{h[1]:>{width}s}" for h in heads))
    lines.append(f"{'':{first}s}" + "".join(f"{'(' + u + ')':>{width}s}" for u in units))
    lines.append(f"{label_full:{first}s}" + "".join(f"{_diff_text(full[m], m):>{width}s}" for m in exp.metrics))
    for mech in exp.mechanisms:
        cells = []
        for m in exp.metrics:
            r = tab.loc[(mech, m)]
            cells.append(_share_text(r["share_remaining"], r["ci_low"], r["ci_high"]))
        lines.append(f"{mechanism_label(mech, lang)[:first - 1]:{first}s}" + "".join(f"{c:>{width}s}" for c in cells))
    return "\n".join(lines)


SHARE_LIMITS = (-0.5, 1.5)     # the figure's share axis at least spans these; at most WIDEST
WIDEST = (-2.0, 3.0)


def figure(exp: Explanation, lang: str, out: Path) -> list[Path]:
    """One panel per metric: each family's share remaining with its 95% interval, a line at 1 (the
    family carries none of the difference) and at 0 (it carries all)."""
    import matplotlib.pyplot as plt
    from . import plots
    from .labels import mechanism_label, metric_label, t, unit_label
    full = full_differences(exp)
    mechs = exp.mechanisms
    ncol = min(3, len(exp.metrics))
    nrow = int(np.ceil(len(exp.metrics) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.2 * ncol, 0.32 * len(mechs) * nrow + 1.5 * nrow),
                             squeeze=False, sharey=True)
    y = np.arange(len(mechs))[::-1]
    tab = exp.table
    for ax, m in zip(axes.flat, exp.metrics):
        r = tab[tab["metric"] == m].set_index("mechanism").reindex(mechs)
        sh, lo, hi = (r[c].to_numpy(float) for c in ("share_remaining", "ci_low", "ci_high"))
        finite = np.concatenate([sh[np.isfinite(sh)], lo[np.isfinite(lo)], hi[np.isfinite(hi)]])
        left = max(min(SHARE_LIMITS[0], *finite) if len(finite) else SHARE_LIMITS[0], WIDEST[0])
        right = min(max(SHARE_LIMITS[1], *finite) if len(finite) else SHARE_LIMITS[1], WIDEST[1])
        ax.axvline(1, color="0.35", lw=1.0)
        ax.axvline(0, color="0.6", lw=0.8, ls=":")
        ok = np.isfinite(sh)
        if ok.any():
            c_lo, c_hi, c_sh = np.clip(lo, left, right), np.clip(hi, left, right), np.clip(sh, left, right)
            ax.errorbar(c_sh[ok], y[ok], xerr=[c_sh[ok] - c_lo[ok], c_hi[ok] - c_sh[ok]], fmt="o", color="C0",
                        ecolor="0.3", capsize=2, lw=1, ms=4)
            for side, bound, mark in ((lo < left, left, "<"), (hi > right, right, ">")):
                cut = ok & side
                ax.scatter(np.full(cut.sum(), bound), y[cut], marker=mark, color="0.3", s=18, zorder=3)
        else:
            ax.text(0.5, 0.5, t("no_clear_full", lang), transform=ax.transAxes, ha="center", va="center",
                    fontsize=8, color="0.4")
        ax.set_xlim(left - 0.05, right + 0.05)
        unit = unit_label(m, lang)
        ax.set_title(f"{metric_label(m, lang)}\n{t('full_difference', lang)}: {_diff_text(full[m], m)}"
                     + (f" {unit}" if unit else ""), fontsize=8.5)
        ax.set_xlabel(t("share_remaining", lang), fontsize=8)
        ax.grid(axis="x", color="0.92")
    for ax in axes.flat[len(exp.metrics):]:
        ax.set_visible(False)
    for ax in axes[:, 0]:
        ax.set_yticks(y, [mechanism_label(mc, lang) for mc in mechs], fontsize=7.5)
    fig.suptitle(f"{t('explain_title', lang)}\n{exp.strategy.name} − {exp.baseline.name}", fontsize=10)
    fig.tight_layout()
    return plots.save(fig, out, "explain")
