"""Which assumptions do the calibration targets touch?  (docs/calibration.md, *Joint posterior*)

``sesim compare --uncertainty all`` draws the parameters of kind ``assumption`` over their
plausible ranges and keeps only the worlds whose baseline fits the targets.  A draw can only fit
often if the assumptions that move the target metrics are constrained by the data as well, i.e.
calibrated jointly with the calibrated parameters; the rest may vary freely.  This screen finds
them: the baseline at ``draws`` Latin-hypercube points over every assumption's plausible range
(calibrated parameters at the baseline's values; one seed per point), then for every target metric
and every assumption Spearman's rank correlation, against a permutation benchmark of its
maximum over all assumptions (max-T, family-wise error ``ALPHA`` over the parameters,
Bonferroni over the targets).  An assumption above the benchmark for some weighted target
*touches* the data and joins the calibration's free parameters (``make calibration``).

Writes ``screen.csv`` (parameter, target, rho, benchmark, touches) and ``touched.txt`` (one
``--free section.key=[low,high]`` per line, the plausible range as the prior) into ``--out``.

    python -m analysis.fit_screen --draws 256 --workers 2 --out results/fit-screen
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from sim.scenario import ScenarioError, load_scenario
from sim.spreadsheet import write_csv

from .carriers import write_text
from .uncertainty import TARGETS, assumption_ranges, build_sweep, candidates, tagged

ALPHA = 0.05  # family-wise error over the assumptions (max-T), per target
PERMUTATIONS = 1000  # shuffles of a target metric against the draws for the benchmark
ROOT = 7_000_000  # the screen's own seed stream, apart from the comparisons' seeds


def _ranks(a: np.ndarray) -> np.ndarray:
    """Column-wise ranks, centred and scaled to unit norm (so a dot product is Spearman's rho)."""
    r = np.apply_along_axis(rankdata, 0, a)
    r = r - r.mean(axis=0)
    n = np.linalg.norm(r, axis=0)
    return r / np.where(n > 0, n, 1.0)


def screen(draws: pd.DataFrame, values: pd.DataFrame, targets: list, seed: int = 0) -> pd.DataFrame:
    """Spearman's rho of each target metric with each drawn parameter and the max-T benchmark.

    ``draws``: one row per draw, parameter columns; ``values``: the same rows' target metrics."""
    keys = [k for k in draws.columns if "." in k]
    X = _ranks(draws[keys].to_numpy(float))
    weighted = [t for t in targets if t.weight > 0]
    q = 1.0 - ALPHA / max(len(weighted), 1)
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
        null = np.array([np.abs(Xo.T @ rng.permutation(yr)).max() for _ in range(PERMUTATIONS)])
        bench = float(np.quantile(null, q))
        for k, r in zip(keys, rho):
            rows.append(
                {
                    "parameter": k,
                    "target": t.name,
                    "rho": float(r),
                    "benchmark": bench,
                    "touches": bool(abs(r) > bench and t.weight > 0),
                }
            )
    return pd.DataFrame(rows)


def main(argv: list[str] | None = None) -> int:
    from sim.backends import LocalBackend

    from .calibration import load_targets
    from .sweep import run_sweep

    ap = argparse.ArgumentParser(prog="python -m analysis.fit_screen", description=__doc__.split("\n\n")[0])
    ap.add_argument("--draws", type=int, default=256, help="Latin-hypercube points (default 256)")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--targets", type=Path, default=TARGETS)
    ap.add_argument("--out", type=Path, default=Path("results/fit-screen"))
    a = ap.parse_args(argv)
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
    except ScenarioError as e:
        sys.stderr.write(f"fit_screen: error: {e}\n")
        return 2
    buf = io.StringIO()
    write_csv(tab, buf)
    write_text(a.out / "screen.csv", buf.getvalue())  # whole or as it was
    ranges = assumption_ranges()
    hit = tab[tab["touches"]].groupby("parameter")["rho"].apply(lambda r: r.abs().max()).sort_values(ascending=False)
    lines = [f"--free {k}=[{ranges[k][0]:g},{ranges[k][1]:g}]" for k in hit.index]
    write_text(a.out / "touched.txt", "\n".join(lines) + "\n")
    print(f"{len(hit)} of {len(ranges)} assumptions touch a weighted target (|rho| above the max-T benchmark):")
    for k, r in hit.items():
        ts = ", ".join(tab[(tab.parameter == k) & tab.touches]["target"])
        print(f"  {k}  max |rho| {r:.2f}  ({ts})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
