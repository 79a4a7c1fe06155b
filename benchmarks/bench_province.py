"""Province benchmark (not a test): how fast one replicate of a province runs, and where its time goes.

(a) the whole command ``sesim run scenarios/examples/province.toml --seeds 1 --workers 1`` (100
    colleges x 3,000 students a year, 4,000 firms, ten reported years) in a fresh process: wall time,
    CPU time (user + system) and peak memory  [goal: at most 60 s wall and 2 GB on one core; CPU at
    most 48 s, so that the wall goal holds with room on a quiet core];
(b) the ratio: CPU time per entrant of one province replicate against one replicate of ten times
    the default region (60 colleges x 600, 900 firms: large enough that the month's fixed costs do
    not count), both as ``sesim run`` runs them in a warm process (the model, then its spells
    streamed to a file).  It does not depend on the machine's speed: 1 is linear scaling, more
    means the model slows down at a province's size  [goal: at most 1.0];
(c) with ``--stages``: the CPU time of the month's stages in that province replicate (which
    mechanism the time goes to).

CPU time depends on the machine's load much less than wall time, but not at all is too much to
ask of a shared machine: note the load average (printed) beside any figure you quote.

Run: ``.venv/bin/python benchmarks/bench_province.py [--stages] [--no-command]``
"""

from __future__ import annotations

import argparse
import collections
import functools
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_scale import gb, measure  # noqa: E402

from sim import resources  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

PROVINCE = str(ROOT / "scenarios" / "examples" / "province.toml")
TEN_X = {"population.schools": 60, "population.firms": 900}  # as bench_scale.py's 10x
STAGES = (  # (module, function): the month's stages (docs/odd.md §3) and the writing of the spells
    ("sim.mechanisms.teaching", "teach_and_practise"),
    ("sim.mechanisms.labour_market", "search_jobs"),
    ("sim.mechanisms.graduation", "graduate_and_hire"),
    ("sim.mechanisms.internships", "start_internships"),
    ("sim.mechanisms.internships", "supervise"),
    ("sim.mechanisms.enrolment", "enrol"),
    ("sim.mechanisms.firm_accounting", "account"),
    ("sim.mechanisms.partnerships", "entries"),
    ("sim.model", "CooperationModel.fold_past_students"),
    ("sim.model", "CooperationModel.observe"),
    ("sim.replicates", "ParquetStream.add"),
)


def cpu_of(fn) -> float:
    t = time.process_time()
    fn()
    return time.process_time() - t


def replicate(scenario: str, over: dict | None = None) -> None:
    """One replicate as ``sesim run`` runs it in a worker: the model, its spells streamed to a file."""
    from sim.replicates import Arm, ReplicateJob
    from sim.runner import run_tables

    params = load_scenario(scenario, over or {}).params
    tables = run_tables(Arm("bench", params, None), ReplicateJob(0, 0, 0, params.run.seed))
    tables["spells"].write(Path(tempfile.mkdtemp(prefix="bench-province-")) / "spells.parquet")


def timed_stages() -> collections.Counter:
    """Wrap the stages of STAGES with CPU timers (this process only)."""
    import importlib

    spent: collections.Counter = collections.Counter()
    for module, name in STAGES:
        owner = importlib.import_module(module)
        *outer, attr = name.split(".")
        for part in outer:
            owner = getattr(owner, part)
        fn = getattr(owner, attr)

        @functools.wraps(fn)
        def wrapper(*a, _fn=fn, _label=name, **k):
            t = time.process_time()
            try:
                return _fn(*a, **k)
            finally:
                spent[_label] += time.process_time() - t

        setattr(owner, attr, wrapper)
    return spent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--stages", action="store_true", help="also the CPU time of the month's stages")
    ap.add_argument("--no-command", action="store_true", help="leave out (a), the whole command")
    a = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (timings depend on it; peaks do not)")
    province, region = load_scenario(PROVINCE).params, load_scenario("baseline", TEN_X).params
    if not a.no_command:
        out = Path(tempfile.mkdtemp(prefix="bench-province-")) / "run"
        m = measure("run", PROVINCE, "--seeds", "1", "--workers", "1", "--out", str(out))
        print(
            f"(a) sesim run province, one replicate: {m['seconds']:.1f} s wall, {m['cpu']:.1f} s CPU, "
            f"peak {gb(m['peak'])}  [goal <= 60 s wall, <= 48 s CPU, <= 2 GB]"
        )
    replicate("baseline")  # warm the process (imports, caches)
    small = min(cpu_of(lambda: replicate("baseline", TEN_X)) for _ in range(2))
    spent = timed_stages() if a.stages else None
    big = cpu_of(lambda: replicate(PROVINCE))
    per_small, per_big = small / resources.entrants(region), big / resources.entrants(province)
    print(
        f"(b) one replicate in a warm process: 10x region {small:.2f} s CPU, province {big:.1f} s CPU; "
        f"per entrant {per_big * 1e6:.1f} us vs {per_small * 1e6:.1f} us, ratio {per_big / per_small:.2f}  [goal <= 1.0]"
    )
    if spent is not None:
        print(f"(c) CPU time of the province replicate's stages (of {big:.1f} s):")
        for label, seconds in spent.most_common():
            print(f"    {label:40s} {seconds:6.1f} s")


if __name__ == "__main__":
    t0 = time.time()
    main()
    print(f"({time.time() - t0:.0f} s in all)")
