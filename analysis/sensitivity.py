"""Sensitivity of the outcomes to the levers of a finished sweep (``sesim sensitivity``).

Sobol designs give first-order and total indices (S1, ST), Morris designs the mean absolute
elementary effect and its spread (mu*, sigma), Latin designs the moment-independent delta and
S1 of Plischke et al. — all from SALib, with bootstrap 95% intervals.  Grid designs give heat
maps of each metric over two varied levers.  The response of a design point is the mean of its
replicates (which share their seeds with every other point: common random numbers).

SALib returns zeros, not an error, where a response is NaN; so a sweep with failed runs, missing
runs or undefined metrics is refused with a message that names them.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.outputs import OutputSlot
from sim.scenario import ScenarioError
from sim.spreadsheet import write_csv
from sim.version import __version__

from .sweepfile import Lever, Sweep

INDEX_COLUMNS = ["metric", "lever", "index", "value", "conf_low", "conf_high"]
RESAMPLES = 200  # bootstrap resamples for the intervals
CONF_LEVEL = 0.95
ANALYSIS_SEED = 0  # fixed: the same sweep gives the same intervals


def sweep_from_manifest(man: dict[str, Any]) -> Sweep:
    """The design of a stored sweep (no base scenario needed)."""
    d = man["sweep"]
    levers = tuple(
        Lever(lv["key"], values=tuple(lv["values"]))
        if "values" in lv
        else Lever(lv["key"], low=lv["low"], high=lv["high"], integer=lv.get("integer", False))
        for lv in d["levers"]
    )
    return Sweep(
        name=d["name"],
        path=d.get("file", ""),
        base=d["base"],
        design=d["design"],
        samples=d["samples"],
        replicates=d["replicates"],
        seed=d["seed"],
        levers=levers,
        fixed=d.get("fixed", {}),
        explicit=tuple(d.get("points", ())),
    )


def load(out: Path) -> tuple[Sweep, pd.DataFrame, pd.DataFrame]:
    """The sweep's design, its design table (raw coordinates) and its runs."""
    from .sweep import load_runs, read_manifest, resume_hint

    out = Path(out)
    man = read_manifest(out)
    sw = sweep_from_manifest(man)
    runs = load_runs(out)
    try:
        design = pd.read_parquet(out / "design.parquet")
    except (OSError, ValueError) as e:  # missing, truncated or garbled
        raise ScenarioError(
            f"{out / 'design.parquet'}: cannot read ({type(e).__name__}); delete it and run "
            f"'{resume_hint(out)}', which writes it again"
        ) from None
    missing = sw.n_runs() - len(runs)
    if missing:
        raise ScenarioError(
            f"{out}: {missing} of {sw.n_runs()} runs are not stored yet; finish the sweep with "
            f"'sesim sweep {sw.path or 'FILE'} --resume --out {out}'"
        )
    return sw, design, runs


def responses(sw: Sweep, runs: pd.DataFrame, metrics: list[str], where: Path | str) -> pd.DataFrame:
    """Mean of each metric over replicates, one row per design point; refuses holes."""
    failed = runs[runs["status"] != "ok"]
    if len(failed):
        pts = sorted(set(failed["point"].tolist()))
        ids = ", ".join(str(i) for i in failed["run_id"].tolist()[:10]) + (" ..." if len(failed) > 10 else "")
        raise ScenarioError(
            f"{where}: {len(failed)} runs failed (run ids {ids}; design points "
            f"{', '.join(map(str, pts[:10]))}{' ...' if len(pts) > 10 else ''}); indices over "
            "holes would be wrong; see their 'error' column, fix the cause and re-run the sweep"
        )
    for m in metrics:
        if m not in runs:
            raise ScenarioError(f"--metric {m}: not a column of this sweep's table")
        nan = runs[m].isna()
        if nan.any():
            raise ScenarioError(
                f"{where}: metric '{m}' is undefined (NaN) in {int(nan.sum())} runs (first: run "
                f"{int(runs.loc[nan, 'run_id'].iloc[0])}): the runs are too short for its follow-up; "
                "choose other metrics with --metric or lengthen run.years"
            )
    y = runs.groupby("point")[metrics].mean().sort_index()
    if len(y) != sw.n_points():
        raise ScenarioError(f"{where}: {sw.n_points() - len(y)} design points have no runs")
    return y


def indices(sw: Sweep, design: pd.DataFrame, y: pd.DataFrame) -> pd.DataFrame:
    """A tidy table of sensitivity indices with 95% intervals, for every metric and lever."""
    if sw.design not in ("sobol", "morris", "latin"):
        raise ScenarioError(f"a {sw.design} design has no sensitivity indices")
    prob = sw.problem()
    X = design[[f"x:{k}" for k in prob["names"]]].to_numpy(float)
    rows = []
    for m in y.columns:
        Y = y[m].to_numpy(float)
        if sw.design == "sobol":
            from SALib.analyze import sobol

            r = sobol.analyze(
                prob, Y, calc_second_order=True, num_resamples=RESAMPLES, conf_level=CONF_LEVEL, seed=ANALYSIS_SEED
            )
            parts = (("S1", "S1", "S1_conf"), ("ST", "ST", "ST_conf"))
        elif sw.design == "morris":
            from SALib.analyze import morris

            from .sweepfile import MORRIS_LEVELS

            r = morris.analyze(
                prob, X, Y, num_resamples=RESAMPLES, conf_level=CONF_LEVEL, num_levels=MORRIS_LEVELS, seed=ANALYSIS_SEED
            )
            parts = (("mu_star", "mu_star", "mu_star_conf"), ("sigma", "sigma", None))
        else:
            from SALib.analyze import delta

            r = delta.analyze(prob, X, Y, num_resamples=RESAMPLES, conf_level=CONF_LEVEL, seed=ANALYSIS_SEED)
            parts = (("delta", "delta", "delta_conf"), ("S1", "S1", "S1_conf"))
        for i, name in enumerate(prob["names"]):
            for label, key, conf in parts:
                v = float(np.asarray(r[key])[i])
                h = float(np.asarray(r[conf])[i]) if conf else float("nan")
                rows.append(
                    {"metric": m, "lever": name, "index": label, "value": v, "conf_low": v - h, "conf_high": v + h}
                )
    return pd.DataFrame(rows, columns=INDEX_COLUMNS)


def grid_means(sw: Sweep, runs: pd.DataFrame, metrics: list[str]) -> pd.DataFrame:
    """Mean, sd and count of each metric at each grid point (tidy)."""
    keys = [lv.key for lv in sw.levers]
    g = runs.groupby("point")
    first = g[keys].first()
    rows = []
    for m in metrics:
        t = first.copy()
        t["metric"], t["mean"], t["sd"], t["n"] = m, g[m].mean(), g[m].std(ddof=1), g[m].count()
        rows.append(t.reset_index())
    return pd.concat(rows, ignore_index=True)


# --- figures -----------------------------------------------------------------------------------
def bar_chart(tab: pd.DataFrame, metric: str, path: Path, lang: str = "en") -> None:
    """Indices of one metric, levers sorted by the main index, with 95% interval whiskers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .labels import metric_label
    from .plots import use_language

    t = tab[tab["metric"] == metric]
    kinds = list(dict.fromkeys(t["index"]))
    main = "ST" if "ST" in kinds else kinds[0]
    order = t[t["index"] == main].sort_values("value")["lever"].tolist()
    use_language(lang)
    fig, ax = plt.subplots(figsize=(7.5, 1.2 + 0.38 * len(order)))
    h = 0.8 / len(kinds)
    for j, k in enumerate(kinds):
        s = t[t["index"] == k].set_index("lever").loc[order]
        ypos = np.arange(len(order)) + (j - (len(kinds) - 1) / 2) * h
        err = np.vstack([s["value"] - s["conf_low"], s["conf_high"] - s["value"]])
        err = np.where(np.isfinite(err), err, 0.0)
        ax.barh(ypos, s["value"], height=h, xerr=err, label=k, capsize=2)
    ax.set_yticks(np.arange(len(order)), order, fontsize=8)
    ax.axvline(0, color="0.4", lw=0.8)
    ax.set_title(metric_label(metric, lang))
    ax.legend(loc="lower right", fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def heat_map(means: pd.DataFrame, sw: Sweep, metric: str, path: Path, lang: str = "en") -> None:
    """The metric over the first two varied levers of a grid (averaged over any others)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .labels import metric_label
    from .plots import use_language

    use_language(lang)
    varied = [lv for lv in sw.levers if len(lv.values) > 1]
    t = means[means["metric"] == metric]
    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    if len(varied) >= 2:
        a, b = varied[0].key, varied[1].key
        piv = t.groupby([b, a])["mean"].mean().unstack(a)
        im = ax.imshow(piv.to_numpy(float), origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(piv.shape[1]), [f"{v:g}" if isinstance(v, float) else str(v) for v in piv.columns])
        ax.set_yticks(range(piv.shape[0]), [f"{v:g}" if isinstance(v, float) else str(v) for v in piv.index])
        for (i, j), v in np.ndenumerate(piv.to_numpy(float)):
            ax.text(
                j,
                i,
                f"{v:.2f}",
                ha="center",
                va="center",
                fontsize=7,
                color="white" if v < np.nanmean(piv.to_numpy(float)) else "black",
            )
        ax.set_xlabel(a)
        ax.set_ylabel(b)
        fig.colorbar(im, ax=ax, label=metric_label(metric, lang))
        rest = [lv.key for lv in varied[2:]]
        if rest:
            ax.set_title(f"mean over {', '.join(rest)}", fontsize=8)
    else:
        a = (varied or list(sw.levers))[0].key
        s = t.groupby(a)["mean"].mean()
        ax.plot(range(len(s)), s.to_numpy(float), marker="o")
        ax.set_xticks(range(len(s)), [str(v) for v in s.index])
        ax.set_xlabel(a)
        ax.set_ylabel(metric_label(metric, lang))
    fig.suptitle(metric_label(metric, lang))
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def analyse(
    out: Path, metrics: list[str], dest: "Path | OutputSlot", lang: str = "en"
) -> tuple[str, pd.DataFrame, list[Path]]:
    """Write the indices table (or grid means) and one chart per metric into ``dest``.

    ``dest`` is replaced as a whole, atomically, and only if it holds an earlier sensitivity
    analysis (:mod:`sim.outputs`); the paths returned are those of the published folder.
    """
    sw, design, runs = load(out)  # every check on the sweep before anything is written
    y = responses(sw, runs, metrics, out)
    if not isinstance(dest, OutputSlot):
        with OutputSlot(Path(dest), "sensitivity") as slot:
            return _write(sw, design, runs, y, out, metrics, slot, lang)
    return _write(sw, design, runs, y, out, metrics, dest, lang)


def _write(
    sw: Sweep,
    design: pd.DataFrame,
    runs: pd.DataFrame,
    y: pd.DataFrame,
    out: Path,
    metrics: list[str],
    slot: OutputSlot,
    lang: str,
) -> tuple[str, pd.DataFrame, list[Path]]:
    tmp = slot.staging()
    names: list[str] = []
    if sw.design == "grid":
        tab = grid_means(sw, runs, metrics)
        write_csv(tab, tmp / "grid_means.csv", float_format="%.6g")
        for m in metrics:
            names.append(f"heatmap-{m}.png")
            heat_map(tab, sw, m, tmp / names[-1], lang)
    else:
        tab = indices(sw, design, y)
        write_csv(tab, tmp / "indices.csv", float_format="%.6g")
        for m in metrics:
            names.append(f"indices-{m}.png")
            bar_chart(tab, m, tmp / names[-1], lang)
    final = slot.publish(
        {
            "package": "sesim",
            "version": __version__,
            "command": list(sys.argv),
            "sweep": str(out),
            "design": sw.design,
            "metrics": metrics,
            "resamples": RESAMPLES,
            "conf_level": CONF_LEVEL,
        }
    )
    return sw.design, tab, [final / n for n in names]


def summary_text(design: str, tab: pd.DataFrame, top: int = 3) -> str:
    """The most influential levers of each metric, for the terminal."""
    lines = []
    if design == "grid":
        for m, t in tab.groupby("metric", sort=False):
            lo, hi = t.loc[t["mean"].idxmin()], t.loc[t["mean"].idxmax()]
            keys = [c for c in t.columns if "." in c]
            fmt = lambda r, keys=keys: ", ".join(f"{k}={r[k]}" for k in keys)  # noqa: E731
            lines.append(f"{m:28s} range {lo['mean']:.3f} ({fmt(lo)}) .. {hi['mean']:.3f} ({fmt(hi)})")
        return "\n".join(lines)
    main = {"sobol": "ST", "morris": "mu_star", "latin": "delta"}[design]
    for m, t in tab[tab["index"] == main].groupby("metric", sort=False):
        t = t.sort_values("value", ascending=False).head(top)
        lines.append(
            f"{m:28s} "
            + "; ".join(f"{r.lever} {main}={r.value:.3f} [{r.conf_low:.3f}, {r.conf_high:.3f}]" for r in t.itertuples())
        )
    return "\n".join(lines)
