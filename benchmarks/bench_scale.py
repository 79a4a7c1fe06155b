"""Scale benchmark (not a test): time and peak memory of whole ``sesim`` commands.

(a) one replicate (``sesim run --seeds 1``, one worker) of the default region (1x: 6 schools x
    600 students a year, 90 firms), of ten times its students and firms (10x: 60 schools, 900
    firms) and of a province (``scenarios/examples/province.toml``: 100 x 3,000, 4,000 firms),
    ten reported years each, beside sesim's pre-run estimate;
(b) one replicate of six colleges x 3,000 students a year with ten and with twenty reported
    years: the peak must not grow with the run's length (at most 1.2x; students who left
    follow-up are folded into counters, sim/folding.py);
(c) ``sesim compare baseline huli_tongqiang_qirong`` with 10 and with 200 replicates (one
    worker): the peak must not grow with the replicates (at most 1.5x).

Peak memory is the command process's maximum resident set (``getrusage(RUSAGE_CHILDREN)`` of a
fresh wrapper process); it does not depend on the machine's load, wall time does: note the load
(printed) beside any time you quote.  The CPU time (user + system of the command) depends on
the load much less than the wall time: on a busy shared machine quote both.

Run: ``.venv/bin/python benchmarks/bench_scale.py [--quick] [--no-province] [--no-years]``
(``--quick``: (c) at a small population and 10 against 50 replicates).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sim import resources  # noqa: E402
from sim.scenario import load_scenario  # noqa: E402

WRAPPER = (
    "import json, resource, subprocess, sys, time\n"
    "t = time.perf_counter()\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(json.dumps({'rc': r.returncode, 'seconds': time.perf_counter() - t, "
    "'peak': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024, "
    "'cpu': resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime + resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime, "
    "'err': r.stderr[-500:]}))\n"
)
TEN_X = {"population.schools": 60, "population.firms": 900}
LONG_RUN = {
    "population.schools": 6,
    "population.cohort_size": 3000,
    "population.firms": 200,
    "run.warmup_months": 12,
}  # as tests/test_memory.py's years test
SMALL = {
    "population.schools": 2,
    "population.cohort_size": 600,
    "population.firms": 30,
    "population.partners_per_school": 10,
    "run.years": 3,
    "run.warmup_months": 12,
}


def measure(*args: str) -> dict:
    r = subprocess.run(
        [sys.executable, "-c", WRAPPER, sys.executable, "-m", "sim", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SESIM_PROGRESS": "0"},
    )
    out = json.loads(r.stdout.strip().splitlines()[-1])
    if out["rc"] != 0:
        raise SystemExit(f"sesim {' '.join(args)} failed: {out['err']}")
    return out


def sets(over: dict) -> list[str]:
    return [a for k, v in over.items() for a in ("--set", f"{k}={v}")]


def gb(b: float) -> str:
    return f"{b / 2**30:.2f} GB"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--no-province", action="store_true")
    ap.add_argument("--no-years", action="store_true")
    a = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (timings depend on it; peaks do not)")
    tmp = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    sizes = [("1x", "baseline", {}), ("10x", "baseline", TEN_X)]
    if not a.no_province:
        sizes.append(("province", str(ROOT / "scenarios/examples/province.toml"), {}))
    print(f"{'one replicate, 10 years':26s} {'entrants':>10s} {'wall':>9s} {'cpu':>9s} {'peak':>9s} {'estimate':>9s}")
    for label, scn, over in sizes:
        params = load_scenario(scn, over).params
        m = measure("run", scn, "--seeds", "1", "--out", str(tmp / label), *sets(over))
        est = resources.estimate([params], 1, 1)
        print(
            f"{label:26s} {resources.entrants(params):10,.0f} {m['seconds']:8.1f}s {m['cpu']:8.1f}s "
            f"{gb(m['peak']):>9s} {gb(est.peak_bytes):>9s}"
        )
    if not a.no_years:
        year_peaks = {}
        for years in (10, 20):
            m = measure(
                "run",
                "baseline",
                "--seeds",
                "1",
                "--years",
                str(years),
                "--out",
                str(tmp / f"years-{years}"),
                *sets(LONG_RUN),
            )
            year_peaks[years] = m["peak"]
            print(
                f"{'6 x 3000, ' + str(years) + ' years':26s} {'':10s} {m['seconds']:8.1f}s {m['cpu']:8.1f}s "
                f"{gb(m['peak']):>9s}"
            )
        print(f"one replicate: peak with 20 years / with 10 = {year_peaks[20] / year_peaks[10]:.2f} (at most 1.2)")
    over = SMALL if a.quick else {}
    many = 50 if a.quick else 200
    peaks = {}
    for n in (10, many):
        m = measure(
            "compare",
            "baseline",
            "huli_tongqiang_qirong",
            "--seeds",
            str(n),
            "--lang",
            "en",
            "--out",
            str(tmp / f"compare-{n}"),
            *sets(over),
        )
        peaks[n] = m["peak"]
        est = resources.estimate([load_scenario(s, over).params for s in ("baseline", "huli_tongqiang_qirong")], n, 1)
        print(
            f"{'compare, ' + str(n) + ' replicates':26s} {'':10s} {m['seconds']:8.1f}s {m['cpu']:8.1f}s "
            f"{gb(m['peak']):>9s} {gb(est.peak_bytes):>9s}"
        )
    print(f"compare: peak with {many} replicates / with 10 = {peaks[many] / peaks[10]:.2f} (at most 1.5)")


if __name__ == "__main__":
    t0 = time.time()
    main()
    print(f"({time.time() - t0:.0f} s in all)")
