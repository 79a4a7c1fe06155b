"""Which assumptions do the calibration targets touch?  (docs/calibration.md, *Joint posterior*)

``sesim compare --uncertainty all`` draws the parameters of kind ``assumption`` over their
plausible ranges and keeps only the worlds whose baseline fits the targets.  A draw can only fit
often if the assumptions that move the target metrics are constrained by the data as well, i.e.
calibrated jointly with the calibrated parameters; the rest may vary freely.  This screen finds
them: the baseline at ``draws`` Latin-hypercube points over every assumption's plausible range
(calibrated parameters at the baseline's values; one seed per point), then for every target metric
and every assumption Spearman's rank correlation, against a permutation benchmark of its
maximum over all assumptions (max-T, family-wise error ``ALPHA`` over the parameters,
Bonferroni over the targets and the steps).  The screen is forward-stepwise: the assumptions
found in one step are taken out of the metric's ranks (least squares on their ranks) and the rest
are screened again on what is left, up to ``STEPS`` steps, so that an assumption hidden behind a
stronger one is still found (with the strong ones varying, the disruption cost's correlation with
the firms' loss share stays below the benchmark; with them taken out it is among the largest).
An assumption above the benchmark for some weighted target *touches* the data and joins the
calibration's free parameters (``make calibration``).

Writes ``screen.csv`` (parameter, target, rho, partial, step, benchmark, touches: ``rho`` the plain
rank correlation, ``partial`` the correlation with what the earlier steps left, ``step`` the step
that found it, ``benchmark`` that of the last step it was tested in) and ``touched.txt`` (one
``--free section.key=[low,high]`` per line, the plausible range as the prior) into ``--out``.

    python -m analysis.fit_screen --draws 256 --workers 2 --out results/fit-screen
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from sim.scenario import ScenarioError, load_scenario
from sim.spreadsheet import write_csv

from .carriers import write_text
from .uncertainty import TARGETS, assumption_ranges, build_sweep, candidates, tagged

ALPHA = 0.05  # family-wise error over the assumptions (max-T) and the steps, per target
STEPS = 3  # forward steps: the plain correlations, then twice on what the assumptions found leave
PERMUTATIONS = 2000  # shuffles of a target metric against the draws for each step's benchmark
ROOT = 7_000_000  # the screen's own seed stream, apart from the comparisons' seeds
CHECK_ROOT = 8_000_000  # the check's (--check), apart from the screen's


def _ranks(a: np.ndarray) -> np.ndarray:
    """Column-wise ranks, centred and scaled to unit norm (so a dot product is Spearman's rho)."""
    r = np.apply_along_axis(rankdata, 0, a)
    r = r - r.mean(axis=0)
    n = np.linalg.norm(r, axis=0)
    return r / np.where(n > 0, n, 1.0)


def _residual(y: np.ndarray, X: np.ndarray) -> np.ndarray:
    """What of ``y`` (centred ranks) the columns ``X`` (centred ranks) do not explain, by least
    squares, scaled to unit norm (zeros when nothing is left)."""
    if X.shape[1]:
        y = y - X @ np.linalg.lstsq(X, y, rcond=None)[0]
    n = np.linalg.norm(y)
    return y / n if n > 1e-12 else np.zeros_like(y)


def screen(draws: pd.DataFrame, values: pd.DataFrame, targets: list, seed: int = 0) -> pd.DataFrame:
    """Spearman's rho of each target metric with each drawn parameter, and the forward-stepwise
    max-T screen (module docstring): which parameters touch each weighted target.

    ``draws``: one row per draw, parameter columns; ``values``: the same rows' target metrics."""
    keys = [k for k in draws.columns if "." in k]
    X = _ranks(draws[keys].to_numpy(float))
    weighted = [t for t in targets if t.weight > 0]
    q = 1.0 - ALPHA / (max(len(weighted), 1) * STEPS)
    rng = np.random.default_rng(np.random.SeedSequence([seed, 1]))
    rows = []
    for t in targets:
        y = values[t.metric].to_numpy(float)
        ok = np.isfinite(y)
        if ok.sum() < 8 or np.ptp(y[ok]) == 0:
            continue
        Xo = _ranks(draws.loc[ok, keys].to_numpy(float)) if not ok.all() else X
        yr = _ranks(y[ok][:, None])[:, 0]
        rho = Xo.T @ yr
        step = np.full(len(keys), -1)
        partial, bench = rho.copy(), np.full(len(keys), np.nan)
        for k in range(STEPS):
            free = np.flatnonzero(step < 0)
            res = _residual(yr, Xo[:, step >= 0])
            if not free.size or not res.any():
                break
            Xf = Xo[:, free]
            partial[free] = Xf.T @ res
            null = np.array([np.abs(Xf.T @ rng.permutation(res)).max() for _ in range(PERMUTATIONS)])
            bench[free] = float(np.quantile(null, q))
            found = free[np.abs(partial[free]) > bench[free]]
            if not found.size:
                break
            step[found] = k
        for i, key in enumerate(keys):
            rows.append(
                {
                    "parameter": key,
                    "target": t.name,
                    "rho": float(rho[i]),
                    "partial": float(partial[i]),
                    "step": int(step[i]),
                    "benchmark": float(bench[i]),
                    "touches": bool(step[i] >= 0 and t.weight > 0),
                }
            )
    return pd.DataFrame(rows)


def check_rest(
    scn: Any, targets: list, touched: list[str], n: int, out: Path, backend: Any, targets_path: Path = TARGETS
) -> pd.DataFrame:
    """Does the screen's set suffice?  ``n`` Latin-hypercube draws of the assumptions it did *not*
    find, those it found held at the scenario's values, one run each (its own seed stream): per
    weighted target the share inside its interval, the mean and the spread, and a last row
    ``every weighted target``.  Were the screen complete, these draws would fit about as often as
    single runs of the scenario itself (the *Fit* block of docs/calibration.md)."""
    from .sweep import run_sweep
    from .uncertainty import draw_means, fit_table, fits

    cand = candidates("assumptions", n, CHECK_ROOT, 0, n, targets_path)
    cand = cand.drop(columns=[k for k in touched if k in cand.columns])
    sw, index = build_sweep([scn], cand, name="fit-screen-check")
    run_sweep(sw, out, backend, resume=True)
    runs = tagged(out, index)
    runs = runs[runs["status"] == "ok"]
    fit = fit_table(draw_means(runs, sorted({t.metric for t in targets})), targets)
    w = fit[~fit["report_only"].astype(bool)]
    tab = w.groupby("target", sort=False).agg(inside=("inside", "mean"), mean=("value", "mean"), sd=("value", "std"))
    every = pd.DataFrame(
        {"inside": [float(fits(fit).mean())], "mean": [np.nan], "sd": [np.nan]}, index=["every weighted target"]
    )
    out_tab = pd.concat([tab, every]).rename_axis("target").reset_index()
    out_tab.insert(1, "draws", int(fit["draw"].nunique()))
    out_tab.insert(2, "held", len(touched))
    return out_tab


def main(argv: list[str] | None = None) -> int:
    from sim.backends import LocalBackend

    from .calibration import load_targets
    from .sweep import run_sweep

    ap = argparse.ArgumentParser(prog="python -m analysis.fit_screen", description=__doc__.split("\n\n")[0])
    ap.add_argument("--draws", type=int, default=256, help="Latin-hypercube points (default 256)")
    ap.add_argument(
        "--check",
        type=int,
        default=0,
        metavar="N",
        help="then N draws of the assumptions not found, those found held at the scenario's values: how often "
        "they fit every weighted interval (check.csv; default 0, no check)",
    )
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--targets", type=Path, default=TARGETS)
    ap.add_argument("--out", type=Path, default=Path("results/fit-screen"))
    a = ap.parse_args(argv)
    if a.draws < 8 or a.check < 0:
        sys.stderr.write("fit_screen: error: --draws must be at least 8 and --check at least 0\n")
        return 2
    try:
        scn = load_scenario(a.scenario)
        targets = load_targets(a.targets)
        cand = candidates("assumptions", a.draws, ROOT, 0, a.draws, a.targets)
        sw, index = build_sweep([scn], cand, name="fit-screen")
        a.out.mkdir(parents=True, exist_ok=True)
        with LocalBackend(a.workers) as backend:
            # resumed only if the stored runs are of this very sweep (same baseline, same draws)
            run_sweep(sw, a.out / "runs-baseline", backend, resume=True)
            runs = tagged(a.out / "runs-baseline", index)
            runs = runs[runs["status"] == "ok"].sort_values("draw")
            draws = cand.set_index("draw").loc[runs["draw"]].reset_index()
            tab = screen(draws, runs.reset_index(drop=True), targets)
            hit = (
                tab[tab["touches"]]
                .groupby("parameter")["partial"]
                .apply(lambda r: r.abs().max())
                .sort_values(ascending=False)
            )
            check = (
                check_rest(scn, targets, list(hit.index), a.check, a.out / "runs-check", backend, a.targets)
                if a.check
                else None
            )
    except ScenarioError as e:
        sys.stderr.write(f"fit_screen: error: {e}\n")
        return 2
    buf = io.StringIO()
    write_csv(tab, buf)
    write_text(a.out / "screen.csv", buf.getvalue())  # whole or as it was
    ranges = assumption_ranges()
    lines = [f"--free {k}=[{ranges[k][0]:g},{ranges[k][1]:g}]" for k in hit.index]
    write_text(a.out / "touched.txt", "\n".join(lines) + "\n")
    print(
        f"{len(hit)} of {len(ranges)} assumptions touch a weighted target "
        f"(|rho| above the max-T benchmark, forward-stepwise over {STEPS} steps):"
    )
    for k, r in hit.items():
        ts = ", ".join(tab[(tab.parameter == k) & tab.touches]["target"])
        print(f"  {k}  max |partial rho| {r:.2f}  ({ts})")
    if check is not None:
        buf = io.StringIO()
        write_csv(check, buf)
        write_text(a.out / "check.csv", buf.getvalue())
        every = float(check["inside"].iloc[-1])
        print(
            f"check: {int(check['draws'].iloc[0])} draws of the other {len(ranges) - len(hit)} assumptions, "
            f"the {len(hit)} found held: {every:.0%} inside every weighted interval (check.csv)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
