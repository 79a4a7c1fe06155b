"""Put the calibrated values into ``scenarios/baseline.toml`` (the baseline's defaults).

Usage::

    python -m analysis.calibration_pick results/calibration scenarios/baseline.toml [--top 6] [--seeds 10] [--workers 2]

A particle's distance in ``sesim calibrate`` is the mean of only a few replicates, so the
particle that looks nearest is partly lucky (the winner's curse).  The ``--top`` accepted
particles of the last generation with the smallest distance are therefore run again on
``--seeds`` fresh seeds (from ``FRESH_SEED``, used neither by the calibration nor by the
30-seed check in docs/calibration.md), and the nearest on those becomes the baseline.  Every
value is a draw of the posterior: none is computed from a target.

The values are written between the ``# BEGIN calibrated`` and ``# END calibrated`` lines of the
scenario file (appended the first time) as a ``[behaviour]`` table, each with a comment giving
its posterior and its source, so the named strategies, which all extend the baseline, share them.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import pandas as pd

FRESH_SEED = 1000
BEGIN = "# BEGIN calibrated"
END = "# END calibrated"


def rerun_top(cal: Path, top: int, seeds: int, workers: int) -> pd.DataFrame:
    """The ``top`` nearest accepted particles, each re-run on ``seeds`` fresh seeds, nearest first."""
    from sim.runner import run_replicates
    from sim.scenario import load_scenario

    from .calibration import load_targets_from_settings
    info = json.loads((cal / "calibration.json").read_text(encoding="utf-8"))["settings"]
    targets = load_targets_from_settings(info)
    keys = [f["key"] for f in info["free"]]
    acc = pd.read_csv(cal / "accepted.csv").sort_values(["distance", "particle"]).head(top)
    rows = []
    for _, r in acc.iterrows():
        values = {k: float(r[k]) for k in keys}
        scn = load_scenario(info["scenario"], [*info.get("sets", []), *(f"{k}={v!r}" for k, v in values.items())])
        summ = run_replicates(scn, seeds=seeds, seed=FRESH_SEED, workers=workers).summary
        rows.append({"particle": int(r["particle"]), **values, **summ.mean(numeric_only=True).to_dict()})
        print(f"particle {int(r['particle'])}: calibration distance {r['distance']:.3g}", file=sys.stderr)
    return rank(pd.DataFrame(rows), targets)


def rank(rows: pd.DataFrame, targets: list) -> pd.DataFrame:
    """Fewest targets outside their published intervals first, then nearest to the values."""
    from .calibration import distances
    out = rows.copy()
    out["fresh_distance"] = distances(out, targets)
    out["targets_outside"] = sum(((out[t.metric] < t.low) | (out[t.metric] > t.high)).astype(int)
                                 for t in targets if t.weight > 0)
    return out.sort_values(["targets_outside", "fresh_distance", "particle"]).reset_index(drop=True)


def toml_block(chosen: pd.Series, cal: Path) -> str:
    """The ``[behaviour]`` block with a comment per value: posterior and source."""
    from sim.params import lever_table
    post = pd.read_csv(cal / "posterior.csv").set_index("parameter")
    sources = {r["key"]: r["source"] for r in lever_table()}
    defaults = {r["key"]: r["default"] for r in lever_table()}
    lines = [BEGIN + " - written by `make calibration` (python -m analysis.calibration_pick); see docs/calibration.md",
             "# ABC-SMC to scenarios/targets/china_gaozhi.toml (MyCOS; 冉云芳 & 石伟平 2020; 中国教育报 2022-03-01):",
             "# the accepted particle inside most target intervals, then nearest, on fresh seeds; posterior median [90% interval] beside each.",
             "[behaviour]"]
    for key in post.index:
        name = key.split(".", 1)[1]
        v = chosen[key]
        p = post.loc[key]
        value = str(int(round(v))) if isinstance(defaults.get(key), int) else repr(float(f"{v:.4g}"))
        lines.append(f"{name} = {value}".ljust(32) + f"# posterior {p['median']:.3g} [{p['q05']:.3g}, {p['q95']:.3g}];"
                     f" source: {sources.get(key, '')}")
    lines.append(END)
    return "\n".join(lines) + "\n"


def write_block(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8")
    pat = re.compile(rf"^{re.escape(BEGIN)}.*?^{re.escape(END)}\n?", re.S | re.M)
    text = pat.sub(lambda _: block, text) if pat.search(text) else text.rstrip("\n") + "\n\n" + block
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m analysis.calibration_pick", description=__doc__.split("\n")[0])
    ap.add_argument("calibration", type=Path, help="a finished 'sesim calibrate' folder")
    ap.add_argument("scenario", type=Path, help="the scenario file to write the values into")
    ap.add_argument("--top", type=int, default=6, help="nearest accepted particles to re-run (default 6)")
    ap.add_argument("--seeds", type=int, default=10, help="fresh seeds per particle (default 10)")
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args(argv)
    if not (a.calibration / "accepted.csv").exists() or not (a.calibration / "posterior.csv").exists():
        sys.stderr.write(f"calibration_pick: {a.calibration}: not a finished calibration (no accepted.csv/posterior.csv)\n")
        return 2
    ranked = rerun_top(a.calibration, a.top, a.seeds, a.workers)
    ranked.to_csv(a.calibration / "baseline_pick.csv", index=False, float_format="%.6g")
    write_block(a.scenario, toml_block(ranked.iloc[0], a.calibration))
    best = ranked.iloc[0]
    print(f"particle {int(best['particle'])} ({int(best['targets_outside'])} targets outside their intervals, distance "
          f"{best['fresh_distance']:.3g} on {a.seeds} fresh seeds) written to {a.scenario}; all re-run particles in {a.calibration}/baseline_pick.csv")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
