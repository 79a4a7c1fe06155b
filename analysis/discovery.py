"""Scenario discovery (``sesim discover``): which combinations of levers keep a metric above
(or below) a threshold, by PRIM — the Patient Rule Induction Method of Friedman & Fisher
(1999) — from the EMA Workbench (``ema_workbench.analysis.prim``), the implementation that
exploratory-modelling studies use.

PRIM peels the lever space one slice at a time towards the design points of interest; each
step of the peeling trajectory trades coverage (the share of all points of interest inside
the box) against density (the share of points inside the box that are of interest).  We take,
for each box, the step with the most coverage among those whose density reaches
``min_density`` (the denser on ties), then look for the next box among the points left over.
"""

from __future__ import annotations

import sys
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.outputs import OutputSlot
from sim.scenario import ScenarioError
from sim.spreadsheet import write_csv
from sim.version import __version__

PEEL_ALPHA = 0.1  # share of the points peeled at each step (small grids need a coarse peel)
MASS_MIN = 0.05  # a box holds at least this share of the design points
MIN_DENSITY = 0.8  # default density a box must reach


@dataclass
class Box:
    number: int
    limits: pd.DataFrame  # lever, kind, low, high, values (restricted levers only)
    coverage: float
    density: float
    mass: float
    n: int
    trajectory: pd.DataFrame  # coverage, density, mass, res_dim per peeling step
    chosen_step: int


def import_prim() -> Any:
    from sim.extras import install_hint

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from ema_workbench.analysis import prim
    except ImportError:
        raise ScenarioError(install_hint("sesim discover", "the EMA Workbench", "discover")) from None
    import logging

    logging.getLogger("EMA").setLevel(logging.ERROR)
    return prim


def lever_table(runs: pd.DataFrame, keys: list[str], metric: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Levers of each design point (switches and menus as categories) and the mean metric."""
    g = runs.groupby("point")
    x = g[keys].first().reset_index(drop=True)
    for k in keys:
        if x[k].dtype == bool or x[k].dtype == object:
            x[k] = x[k].astype(str).astype("category")
    return x, g[metric].mean().to_numpy(float)


def find_boxes(x: pd.DataFrame, y: np.ndarray, max_boxes: int = 3, min_density: float = MIN_DENSITY) -> list[Box]:
    """PRIM boxes for the boolean ``y``, best first."""
    prim = import_prim()
    if y.sum() == 0:
        return []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        p = prim.Prim(x, y, peel_alpha=PEEL_ALPHA, mass_min=MASS_MIN)
        boxes: list[Box] = []
        for number in range(1, max_boxes + 1):
            try:
                box = p.find_box()
            except Exception:  # PRIM stops when nothing of interest is left to cover
                box = None
            if box is None:
                break
            traj = box.peeling_trajectory.reset_index(drop=True)
            ok = traj[traj["density"] >= min_density]
            if ok.empty:
                if boxes:
                    break
                step = int(traj["density"].idxmax())
            else:
                step = int(
                    ok.sort_values(
                        ["coverage", "density", "res_dim"], ascending=[False, False, True], kind="stable"
                    ).index[0]
                )
            box.select(step)
            boxes.append(
                Box(
                    number,
                    _limits(x, box.box_lims[step]),
                    float(traj.loc[step, "coverage"]),
                    float(traj.loc[step, "density"]),
                    float(traj.loc[step, "mass"]),
                    int(traj.loc[step, "n"]),
                    traj[["coverage", "density", "mass", "res_dim"]].copy(),
                    step,
                )
            )
            if ok.empty:
                break
    return boxes


def _limits(x: pd.DataFrame, lims: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for k in x.columns:
        lo, hi = lims[k].iloc[0], lims[k].iloc[1]
        if isinstance(x[k].dtype, pd.CategoricalDtype):
            allowed = set(lo) if isinstance(lo, (set, frozenset)) else set()
            if allowed and allowed != set(x[k].cat.categories):
                rows.append(
                    {
                        "lever": k,
                        "kind": "values",
                        "low": np.nan,
                        "high": np.nan,
                        "values": "|".join(sorted(map(str, allowed))),
                    }
                )
            continue
        xmin, xmax = float(x[k].min()), float(x[k].max())
        if float(lo) > xmin or float(hi) < xmax:
            rows.append({"lever": k, "kind": "range", "low": float(lo), "high": float(hi), "values": ""})
    return pd.DataFrame(rows, columns=["lever", "kind", "low", "high", "values"])


def trajectory_plot(boxes: list[Box], path: Path, title: str) -> None:
    """Coverage against density along each box's peeling trajectory; the chosen steps ringed."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 4.8))
    for b in boxes:
        t = b.trajectory
        sc = ax.scatter(
            t["coverage"],
            t["density"],
            c=t["res_dim"],
            cmap="viridis",
            s=22,
            vmin=0,
            vmax=max(1, max(int(bb.trajectory["res_dim"].max()) for bb in boxes)),
        )
        ax.plot(t["coverage"], t["density"], lw=0.6, color="0.6", zorder=0)
        ax.scatter([b.coverage], [b.density], s=160, facecolors="none", edgecolors="red", lw=1.5)
        ax.annotate(
            f"box {b.number}",
            (b.coverage, b.density),
            textcoords="offset points",
            xytext=(6, -12),
            fontsize=8,
            color="red",
        )
    if boxes:
        fig.colorbar(sc, ax=ax, label="restricted levers")
    ax.set_xlabel("coverage")
    ax.set_ylabel("density")
    ax.set_xlim(0, 1.05)
    ax.set_ylim(0, 1.05)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def discover(
    out: Path,
    metric: str,
    threshold: float | None,
    above: bool,
    dest: "Path | OutputSlot",
    max_boxes: int = 3,
    min_density: float = MIN_DENSITY,
    strategy: str | None = None,
) -> tuple[list[Box], int, int]:
    """Run PRIM on a stored sweep; write boxes.csv, trajectory.csv and trajectory.png to ``dest``.

    ``dest`` is replaced as a whole, atomically, and only if it holds an earlier discovery
    (:mod:`sim.outputs`).  Returns the boxes, the number of design points of interest and of all
    design points.
    """
    from .uncertainty import MARKER

    if not isinstance(dest, OutputSlot):
        if not (Path(out) / MARKER).is_file():  # a sweep's folder, or one line, before anything is written
            from .sweep import read_manifest

            read_manifest(Path(out))
        with OutputSlot(Path(dest), "discover") as slot:
            return discover(out, metric, threshold, above, slot, max_boxes, min_density, strategy)
    if (Path(out) / MARKER).exists():
        return discover_uncertainty(out, metric, dest, threshold, above, strategy, max_boxes, min_density)
    if threshold is None:
        raise ScenarioError(
            "discover: give --above X or --below X (on an uncertainty comparison, neither: "
            "the boxes where a strategy fails to beat the baseline)"
        )
    from .sensitivity import load, responses

    sw, _, runs = load(out)
    responses(sw, runs, [metric], out)  # refuses failed runs and undefined values
    keys = [lv.key for lv in sw.levers]
    x, m = lever_table(runs, keys, metric)
    y = m > threshold if above else m < threshold
    boxes = find_boxes(x, y, max_boxes, min_density)
    cond = f"{metric} {'>' if above else '<'} {threshold:g}"
    _write(
        dest,
        boxes,
        f"PRIM: {cond} ({int(y.sum())} of {len(y)} design points)",
        {
            "sweep": str(out),
            "metric": metric,
            "threshold": threshold,
            "above": above,
            "min_density": min_density,
            "boxes": len(boxes),
            "points_of_interest": int(y.sum()),
            "points": len(y),
        },
    )
    return boxes, int(y.sum()), len(y)


def uncertainty_strategy(out: Path, strategy: str | None) -> tuple[dict, str]:
    """The manifest of an uncertainty comparison and the strategy to discover on: ``strategy`` if it
    is one of the compared strategies (else one line), the first of them if None."""
    import json

    from .uncertainty import MARKER

    meta = json.loads((Path(out) / MARKER).read_text(encoding="utf-8"))
    others = [s for s in meta["scenarios"] if s != meta["baseline"]]
    strategy = strategy or others[0]
    if strategy not in others:
        raise ScenarioError(f"--strategy {strategy}: allowed one of {', '.join(others)}")
    return meta, strategy


def discover_uncertainty(
    out: Path,
    metric: str,
    dest: "Path | OutputSlot",
    threshold: float | None = None,
    above: bool = True,
    strategy: str | None = None,
    max_boxes: int = 3,
    min_density: float = MIN_DENSITY,
) -> tuple[list[Box], int, int]:
    """PRIM over the parameter draws of ``sesim compare --uncertainty``: the boxes of assumption
    (and posterior) values in which ``strategy`` fails to beat the baseline on ``metric`` — its
    paired difference is no improvement (or, with a threshold, above/below it) — i.e. where the
    strategy would not work.  Returns boxes, draws of interest, draws."""
    if not isinstance(dest, OutputSlot):
        with OutputSlot(Path(dest), "discover") as slot:
            return discover_uncertainty(out, metric, slot, threshold, above, strategy, max_boxes, min_density)
    from .labels import higher_is_better
    from .uncertainty import drawn_keys, paired

    meta, strategy = uncertainty_strategy(out, strategy)
    summary_path = Path(out) / "summary.csv"
    if not summary_path.is_file():
        raise ScenarioError(
            f"{out}: the uncertainty comparison is not finished (no summary.csv); rerun it with --resume"
        )
    runs = pd.read_csv(summary_path)
    draws = pd.read_parquet(Path(out) / "draws.parquet")
    d = paired(runs, strategy, meta["baseline"], metric)
    x = draws.set_index("draw").loc[d.index, drawn_keys(draws)].reset_index(drop=True)
    x = x.loc[:, x.nunique() > 1]
    if threshold is None:
        better = higher_is_better(metric)
        y = (d.to_numpy() <= 0) if better else (d.to_numpy() >= 0)
        cond = f"{strategy} does not improve {metric} on {meta['baseline']}"
    else:
        y = d.to_numpy() > threshold if above else d.to_numpy() < threshold
        cond = f"{strategy} − {meta['baseline']}: {metric} {'>' if above else '<'} {threshold:g}"
    boxes = find_boxes(x, y, max_boxes, min_density)
    _write(
        dest,
        boxes,
        f"PRIM: {cond} ({int(y.sum())} of {len(y)} draws)",
        {
            "uncertainty": str(out),
            "strategy": strategy,
            "baseline": meta["baseline"],
            "metric": metric,
            "threshold": threshold,
            "above": above,
            "condition": cond,
            "min_density": min_density,
            "boxes": len(boxes),
            "points_of_interest": int(y.sum()),
            "points": len(y),
        },
    )
    return boxes, int(y.sum()), len(y)


def _write(slot: OutputSlot, boxes: list[Box], title: str, meta: dict[str, Any]) -> None:
    """boxes.csv, trajectory.csv, trajectory.png and the manifest, published as one folder."""
    dest = slot.staging()
    rows, traj = [], []
    for b in boxes:
        for r in b.limits.itertuples(index=False):
            rows.append(
                {
                    "box": b.number,
                    **r._asdict(),
                    "coverage": b.coverage,
                    "density": b.density,
                    "mass": b.mass,
                    "n_points": b.n,
                }
            )
        t = b.trajectory.copy()
        t.insert(0, "step", np.arange(len(t)))
        t.insert(0, "box", b.number)
        t["chosen"] = t["step"] == b.chosen_step
        traj.append(t)
    cols = ["box", "lever", "kind", "low", "high", "values", "coverage", "density", "mass", "n_points"]
    write_csv(pd.DataFrame(rows, columns=cols), dest / "boxes.csv", float_format="%.6g")
    write_csv(
        pd.concat(traj, ignore_index=True)
        if traj
        else pd.DataFrame(columns=["box", "step", "coverage", "density", "mass", "res_dim", "chosen"]),
        dest / "trajectory.csv",
        float_format="%.6g",
    )
    trajectory_plot(boxes, dest / "trajectory.png", title)
    slot.publish({"package": "sesim", "version": __version__, "command": list(sys.argv), **meta})


def boxes_text(boxes: list[Box]) -> str:
    lines = []
    for b in boxes:
        lines.append(
            f"box {b.number}: coverage {b.coverage:.2f}, density {b.density:.2f}, "
            f"{b.n} design points ({b.mass:.0%} of all)"
        )
        if b.limits.empty:
            lines.append("  (no lever restricted: the condition holds nearly everywhere)")
        for r in b.limits.itertuples(index=False):
            lines.append(
                f"  {r.lever} in [{r.low:.4g}, {r.high:.4g}]"
                if r.kind == "range"
                else f"  {r.lever} in {{{r.values.replace('|', ', ')}}}"
            )
    return "\n".join(lines)
