"""Put the calibrated values into ``scenarios/baseline.toml`` (the baseline's defaults).

Usage::

    python -m analysis.calibration_pick results/calibration scenarios/baseline.toml [--top 6] [--seeds 10] [--workers 2]
        [--posterior scenarios/targets/china_gaozhi.toml]
    python -m analysis.calibration_pick results/calibration --posterior scenarios/targets/china_gaozhi.toml

A particle's distance in ``sesim calibrate`` is the mean of only a few replicates, so the
particle that looks nearest is partly lucky (the winner's curse).  The ``--top`` accepted
particles of the last generation with the smallest distance are therefore run again on
``--seeds`` fresh seeds (from ``FRESH_SEED``, used neither by the calibration nor by the
30-seed check in docs/calibration.md), and the nearest on those becomes the baseline.  Every
value is a draw of the posterior: none is computed from a target.

``--refine KEY=VALUE`` (repeatable) adds one more candidate: the pick with those calibrated
values moved, each inside the posterior's 90% interval (refused otherwise).  It is
re-run on the same fresh seeds and ranked by the same rule as the particles, so it becomes the
baseline only when it lies inside more target intervals (or as many, and nearer).  The ABC's
accepted particles are weighted by their distance to the targets' central values, so the particle
nearest them can still miss an interval that a nearby point of the posterior meets
(docs/calibration.md, *Refinement*).  Particles already re-run (``baseline_pick.csv`` of the same
calibration, seeds and fresh seed) are read back, not run again.

The values are written between the ``# BEGIN calibrated`` and ``# END calibrated`` lines of the
scenario file (appended the first time) as a ``[behaviour]`` table, each with a comment giving
its posterior and its source, so the named strategies, which all extend the baseline, share them.

With ``--posterior TARGETS`` the last generation's accepted particles (the posterior sample:
each free parameter's value and the particle's weight) are also written beside the target file,
as ``<stem>.posterior.csv`` (``scenarios/targets/china_gaozhi.posterior.csv``), headed by the
target file's SHA-256, the package version, the calibration's settings and its date, so that no
user has to recalibrate to use them (``analysis.calibration.load_posterior`` reads it and refuses
it once the targets change).  This is checked and written first, and needs no run; without a
scenario file it is all that is done.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Iterable

import pandas as pd

from sim.inputs import shown
from sim.spreadsheet import write_csv

FRESH_SEED = 1000
BEGIN = "# BEGIN calibrated"
END = "# END calibrated"


REFINED = -1  # the particle number of the refined candidate in baseline_pick.csv
SAME = 1e-5  # relative difference under which a stored row's values are the candidate's (the CSV keeps 10 digits)


def parse_refine(items: list[str], cal: Path) -> dict[str, float]:
    """``KEY=VALUE`` pairs for calibrated parameters, each inside the posterior's 90% interval."""
    from sim.scenario import ScenarioError

    post = pd.read_csv(cal / "posterior.csv").set_index("parameter")
    out: dict[str, float] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        key = key.strip()
        if not sep or key not in post.index:
            raise ScenarioError(
                f"--refine {shown(item)}: expected KEY=VALUE with KEY one of the calibrated "
                f"parameters ({', '.join(post.index)})"
            )
        try:
            value = float(raw)
        except ValueError:
            raise ScenarioError(f"--refine {key}: value {shown(raw)} is not a number") from None
        lo, hi = float(post.loc[key, "q05"]), float(post.loc[key, "q95"])
        if not lo <= value <= hi:
            raise ScenarioError(
                f"--refine {key}={value:g}: outside the posterior's 90% interval "
                f"[{lo:.4g}, {hi:.4g}]; a refinement stays where the data put the parameter"
            )
        out[key] = value
    return out


def rerun_top(cal: Path, top: int, seeds: int, workers: int, refine: dict[str, float] | None = None) -> pd.DataFrame:
    """The ``top`` nearest accepted particles (and the refined candidate), each re-run on ``seeds``
    fresh seeds, ranked (:func:`rank`); rows of an earlier pick on the same seeds are reused."""
    from sim.runner import run_replicates
    from sim.scenario import load_scenario

    from .calibration import load_targets_from_settings

    info = json.loads((cal / "calibration.json").read_text(encoding="utf-8"))["settings"]
    targets = load_targets_from_settings(info)
    keys = [f["key"] for f in info["free"]]
    acc = pd.read_csv(cal / "accepted.csv").sort_values(["distance", "particle"]).head(top)
    earlier = _earlier_rows(cal, seeds)

    def row(particle: int, values: dict[str, float], note: str) -> dict:
        old = earlier.get(particle)
        if old is not None and all(abs(float(old[k]) - v) <= SAME * max(1.0, abs(v)) for k, v in values.items()):
            return old
        scn = load_scenario(info["scenario"], [*info.get("sets", []), *(f"{k}={v!r}" for k, v in values.items())])
        summ = run_replicates(scn, seeds=seeds, seed=FRESH_SEED, workers=workers).summary
        print(f"particle {particle}: {note}", file=sys.stderr)
        return {
            "particle": particle,
            "seeds": seeds,
            "fresh_seed": FRESH_SEED,
            **values,
            **summ.mean(numeric_only=True).to_dict(),
        }

    ranked = rank(
        pd.DataFrame(
            [
                row(int(r["particle"]), {k: float(r[k]) for k in keys}, f"calibration distance {r['distance']:.3g}")
                for _, r in acc.iterrows()
            ]
        ),
        targets,
    )
    if not refine:
        return ranked
    values = {**{k: float(ranked.iloc[0][k]) for k in keys}, **refine}  # the pick, with the refined values
    note = f"particle {int(ranked.iloc[0]['particle'])} refined: " + ", ".join(f"{k}={v:g}" for k, v in refine.items())
    return rank(pd.concat([ranked, pd.DataFrame([row(REFINED, values, note)])], ignore_index=True), targets)


def _earlier_rows(cal: Path, seeds: int) -> dict[int, dict]:
    """The rows of an earlier pick of this calibration run on the same seeds, by particle."""
    path = cal / "baseline_pick.csv"
    try:
        old = pd.read_csv(path)
    except (OSError, ValueError):
        return {}
    if "seeds" not in old.columns or "fresh_seed" not in old.columns:
        return {}
    old = old[(old["seeds"] == seeds) & (old["fresh_seed"] == FRESH_SEED)]
    drop = [c for c in ("fresh_distance", "targets_outside") if c in old.columns]
    return {int(r["particle"]): r.drop(labels=drop).to_dict() for _, r in old.iterrows()}


def rank(rows: pd.DataFrame, targets: list) -> pd.DataFrame:
    """Fewest targets outside their published intervals first, then nearest to the values."""
    from .calibration import distances

    out = rows.copy()
    out["fresh_distance"] = distances(out, targets)
    out["targets_outside"] = sum(
        ((out[t.metric] < t.low) | (out[t.metric] > t.high)).astype(int) for t in targets if t.weight > 0
    )
    out["_refined"] = out["particle"] == REFINED  # on a tie, a particle of the posterior before its refinement
    return (
        out.sort_values(["targets_outside", "fresh_distance", "_refined", "particle"])
        .drop(columns="_refined")
        .reset_index(drop=True)
    )


def toml_block(chosen: pd.Series, cal: Path, refined: Iterable[str] = ()) -> str:
    """The ``[behaviour]`` block with a comment per value: posterior and source."""
    from sim.params import lever_table

    post = pd.read_csv(cal / "posterior.csv").set_index("parameter")
    sources = {r["key"]: r["source"] for r in lever_table()}
    defaults = {r["key"]: r["default"] for r in lever_table()}
    lines = [
        BEGIN + " - written by `make calibration` (python -m analysis.calibration_pick); see docs/calibration.md",
        "# ABC-SMC to scenarios/targets/china_gaozhi.toml (MyCOS; 冉云芳 & 石伟平 2020; 中国教育报 2022-03-01):",
        "# the accepted particle (or its refinement, docs/calibration.md) inside most target intervals, then nearest, on fresh",
        "# seeds; posterior median [90% interval] beside each.",
        "[behaviour]",
    ]
    for key in post.index:
        name = key.split(".", 1)[1]
        v = chosen[key]
        p = post.loc[key]
        value = str(int(round(v))) if isinstance(defaults.get(key), int) else repr(float(f"{v:.4g}"))
        how = " (refined inside it)" if key in refined else ""
        lines.append(
            f"{name} = {value}".ljust(32) + f"# posterior {p['median']:.3g} [{p['q05']:.3g}, {p['q95']:.3g}]{how};"
            f" source: {sources.get(key, '')}"
        )
    lines.append(END)
    return "\n".join(lines) + "\n"


def write_block(path: Path, block: str) -> None:
    text = path.read_text(encoding="utf-8")
    pat = re.compile(rf"^{re.escape(BEGIN)}.*?^{re.escape(END)}\n?", re.S | re.M)
    text = pat.sub(lambda _: block, text) if pat.search(text) else text.rstrip("\n") + "\n\n" + block
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def write_posterior(cal: Path, target_file: Path) -> Path:
    """Write the accepted particles of the calibration in ``cal`` beside ``target_file``.

    Refused in one line if the calibration is not finished, if it was run against targets other
    than the file's present ones (the file changed since), or if a file of that name that sesim
    did not write is in the way.  Written whole or not at all.
    """
    import os

    from sim.scenario import ScenarioError
    from sim.version import __version__

    from .calibration import POSTERIOR_HEADER, load_targets, load_targets_from_settings, posterior_path, target_sha256

    try:
        info = json.loads((cal / "calibration.json").read_text(encoding="utf-8"))
        settings = info["settings"]
        keys = [f["key"] for f in settings["free"]]
        acc = pd.read_csv(cal / "accepted.csv")
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise ScenarioError(
            f"{cal}: not a finished calibration ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})"
        ) from None
    if info.get("status") != "complete":
        raise ScenarioError(
            f"{cal}: the calibration is not complete (status {shown(info.get('status'))}); finish it first"
        )
    sha = target_sha256(target_file)
    if load_targets(target_file) != load_targets_from_settings(settings):
        raise ScenarioError(
            f"{cal}: calibrated to other targets than {target_file} holds now; rerun `make calibration`"
        )
    keys += [c for c in acc.columns if "." in c and c not in keys]  # history matching: every drawn parameter
    missing = [c for c in ("generation", "particle", "weight", "distance", *keys) if c not in acc.columns]
    if missing:
        raise ScenarioError(f"{cal}/accepted.csv: no column {', '.join(missing)}")
    last = acc[acc["generation"] == acc["generation"].max()].sort_values("particle")
    out = last[["particle", "weight", "distance", *keys]].copy()
    out["weight"] = out["weight"] / out["weight"].sum()
    dest = posterior_path(target_file)
    if dest.exists():
        try:
            with open(dest, encoding="utf-8") as fh:
                ours = fh.readline().startswith(POSTERIOR_HEADER)
        except (OSError, UnicodeDecodeError):
            ours = False
        if not ours:
            raise ScenarioError(f"{dest}: exists and is not a posterior written by sesim; move it away first")
    date = info.get("finished") or time.strftime(
        "%Y-%m-%dT%H:%M:%SZ", time.gmtime((cal / "calibration.json").stat().st_mtime)
    )
    described = {
        k: settings[k]
        for k in (
            "scenario",
            "sets",
            "free",
            "budget",
            "replicates",
            "generations",
            "accept",
            "seed",
            "kernel",
            "distance",
            "draw_assumptions",
            "start",
        )
        if k in settings
    }
    header = [
        f"{POSTERIOR_HEADER}: the accepted particles of the calibration's last generation (make calibration; "
        "docs/calibration.md); weight sums to 1",
        f"# target_file: {json.dumps(Path(target_file).name, ensure_ascii=False)}",
        f"# target_sha256: {json.dumps(sha)}",
        f"# version: {json.dumps(__version__)}",
        f"# calibration_version: {json.dumps(info.get('version', ''))}",
        f"# date: {json.dumps(date)}",
        f"# generation: {int(last['generation'].iloc[0])}",
        f"# settings: {json.dumps(described, ensure_ascii=False)}",
    ]
    tmp = dest.with_name(f".tmp-{os.getpid()}-{dest.name}")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write("\n".join(header) + "\n")
            write_csv(out, fh, float_format="%.8g", lineterminator="\n")
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)
    return dest


def main(argv: list[str] | None = None) -> int:
    from sim.scenario import ScenarioError

    ap = argparse.ArgumentParser(prog="python -m analysis.calibration_pick", description=__doc__.split("\n")[0])
    ap.add_argument("calibration", type=Path, help="a finished 'sesim calibrate' folder")
    ap.add_argument(
        "scenario",
        type=Path,
        nargs="?",
        default=None,
        help="the scenario file to write the values into (omit to write only --posterior)",
    )
    ap.add_argument("--top", type=int, default=6, help="nearest accepted particles to re-run (default 6)")
    ap.add_argument("--seeds", type=int, default=10, help="fresh seeds per particle (default 10)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--posterior",
        type=Path,
        default=None,
        metavar="TARGETS",
        help="also write the accepted particles beside this target file, as <stem>.posterior.csv",
    )
    ap.add_argument(
        "--refine",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a candidate beside the particles: the nearest particle with this calibrated value moved "
        "(inside the posterior's 90%% interval); repeatable",
    )
    a = ap.parse_args(argv)
    if a.scenario is None and a.posterior is None:
        ap.error("give the scenario file to write the baseline into, --posterior TARGETS, or both")
    if not (a.calibration / "accepted.csv").exists() or not (a.calibration / "posterior.csv").exists():
        sys.stderr.write(
            f"calibration_pick: {a.calibration}: not a finished calibration (no accepted.csv/posterior.csv)\n"
        )
        return 2
    if a.posterior is not None:
        try:
            dest = write_posterior(a.calibration, a.posterior)
        except ScenarioError as e:
            sys.stderr.write(f"calibration_pick: {e}\n")
            return 2
        print(f"posterior ({a.calibration}/accepted.csv, last generation) written to {dest}")
    if a.scenario is None:
        return 0
    try:
        refine = parse_refine(a.refine, a.calibration)
    except ScenarioError as e:
        sys.stderr.write(f"calibration_pick: {e}\n")
        return 2
    ranked = rerun_top(a.calibration, a.top, a.seeds, a.workers, refine)
    write_csv(ranked, a.calibration / "baseline_pick.csv", float_format="%.10g")
    best = ranked.iloc[0]
    refined = refine if int(best["particle"]) == REFINED else {}
    write_block(a.scenario, toml_block(best, a.calibration, refined))
    who = "the refined candidate" if refined else f"particle {int(best['particle'])}"
    print(
        f"{who} ({int(best['targets_outside'])} targets outside their intervals, distance "
        f"{best['fresh_distance']:.3g} on {a.seeds} fresh seeds) written to {a.scenario}; all re-run particles in {a.calibration}/baseline_pick.csv"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
