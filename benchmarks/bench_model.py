"""Speed benchmarks (not tests) of the model's speed goals.

(a) one replicate of the default baseline inside a warm process [goal: at most 0.8 s];
(b) vectorised student update vs the per-student reference, at about 10,000 students;
(c) ten times the students (cohort_size × 10) against the default, as a ratio;
(d) ``sesim --help``, ``sesim scenarios``, ``sesim validate`` wall time, and that they import
    neither Mesa, pandas nor SciPy;
(e) the marginal cost of a replicate inside ``sesim run`` (whole command, 2 against 12 replicates,
    one worker) [goal: at most 1.0 s].

Run: ``make bench`` or ``.venv/bin/python benchmarks/bench_model.py [--quick]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import load_scenario  # noqa: E402
from sim.mechanisms import teaching  # noqa: E402
from sim.mechanisms.context import StudentDraws  # noqa: E402
from sim.mechanisms.student_update import update_students, update_students_reference  # noqa: E402
from sim.model import CooperationModel  # noqa: E402


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def bench_replicate(repeat: int) -> float:
    params = load_scenario("baseline").params
    CooperationModel(params, seed=0).run()  # warm the process
    return best_of(lambda: CooperationModel(params, seed=1).run(), repeat)


def bench_update() -> tuple[int, float, float]:
    m = CooperationModel(load_scenario("baseline").params, seed=0)
    for _ in range(m.warmup + 7):  # a month with interns, employed graduates and classes
        m.step()
    w = m.tracked_window()
    rows = slice(max(w.start, w.stop - 10_000), w.stop)  # the youngest 10,000: classes and interns
    ctx = teaching.month_context(m, rows)
    s = teaching.student_slice(m, rows)
    draws = StudentDraws.draw(np.random.default_rng(0), rows.stop - rows.start)
    fast = best_of(lambda: update_students(ctx, s, draws), 20)
    slow = best_of(lambda: update_students_reference(ctx, s, draws), 2)
    return rows.stop - rows.start, fast, slow


def bench_scaling(repeat: int) -> tuple[float, float]:
    base = load_scenario("baseline").params
    big = load_scenario("baseline", {"population.cohort_size": 6000}).params
    CooperationModel(base, seed=0).run()
    t1 = best_of(lambda: CooperationModel(base, seed=2).run(), repeat)
    t10 = best_of(lambda: CooperationModel(big, seed=2).run(), 1)
    return t1, t10


def bench_cli() -> dict[str, float]:
    out = {}
    py = sys.executable
    for label, args in (
        ("--help", ["--help"]),
        ("scenarios", ["scenarios"]),
        ("validate", ["validate", str(ROOT / "scenarios" / "full.toml")]),
    ):
        subprocess.run([py, "-m", "sim", *args], capture_output=True, cwd=ROOT)  # warm the file cache
        out[label] = best_of(
            lambda args=args: subprocess.run([py, "-m", "sim", *args], capture_output=True, cwd=ROOT, check=True), 5
        )
    code = (
        "import sys, runpy; sys.argv=['sesim','validate','scenarios/full.toml'];\n"
        "try:\n runpy.run_module('sim', run_name='__main__')\nexcept SystemExit: pass\n"
        "bad=[m for m in ('mesa','pandas','scipy') if m in sys.modules]; print('HEAVY:' + ','.join(bad))"
    )
    r = subprocess.run([py, "-c", code], capture_output=True, text=True, cwd=ROOT)
    out["heavy_imports"] = r.stdout.rsplit("HEAVY:", 1)[-1].strip() if "HEAVY:" in r.stdout else "unknown"
    return out


def bench_run_marginal() -> float:
    """Seconds per extra replicate of a whole ``sesim run`` command (writing included)."""
    import tempfile

    py = sys.executable
    times = {}
    with tempfile.TemporaryDirectory() as d:
        for n in (2, 12):
            t = time.perf_counter()
            subprocess.run(
                [py, "-m", "sim", "run", "baseline", "--seeds", str(n), "--out", f"{d}/r{n}"],
                capture_output=True,
                cwd=ROOT,
                check=True,
            )
            times[n] = time.perf_counter() - t
    return (times[12] - times[2]) / 10


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    args = ap.parse_args()
    rep = 1 if args.quick else 3
    t = bench_replicate(rep)
    print(f"(a) default baseline replicate (10 y + 36 m warm-up, ~10,800 enrolled): {t:.2f} s  [goal <= 0.8 s]")
    n, fast, slow = bench_update()
    print(
        f"(b) student update at {n} students: vectorised {fast * 1e3:.1f} ms, reference {slow * 1e3:.0f} ms, "
        f"ratio {slow / fast:.0f}x  [goal >= 20x]"
    )
    t1, t10 = bench_scaling(rep)
    print(f"(c) cohort x10: {t10:.2f} s vs {t1:.2f} s, ratio {t10 / t1:.1f}x  [goal <= 12x]")
    cli = bench_cli()
    for k in ("--help", "scenarios", "validate"):
        print(f"(d) sesim {k}: {cli[k] * 1e3:.0f} ms  [goal < 500 ms]")
    print(f"(d) heavy modules imported by validate: {cli['heavy_imports'] or 'none'}")
    print(f"(e) marginal cost of a replicate inside 'sesim run': {bench_run_marginal():.2f} s  [goal <= 1.0 s]")


if __name__ == "__main__":
    main()
