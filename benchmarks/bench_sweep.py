"""Sweep throughput, measured as ratios on this machine.

A 200-run sweep of the default baseline (a grid of 20 values of ``communication.depth`` ×
10 replicates) through ``sesim sweep`` as a user runs it — process start, Mesa import, pool or
cluster start-up and Parquet writing included — on:

  serial          --workers 1 (in-process)
  local x N       --workers N (process pool of long-lived workers)
  dask x N        --backend dask --workers N (LocalCluster, single-threaded worker processes)

Goals on a 2-core machine: local x 2 >= 1.8 x serial runs/s; dask x 2 >= 0.9 x local x 2.
The tables of the three runs are also checked to be identical.

Run: ``.venv/bin/python benchmarks/bench_sweep.py [--runs 200] [--workers 2] [--rounds 1]``.
Needs a quiet machine: other load on the cores changes the ratios.  Even then this machine's
speed drifts by 10-20% from minute to minute, so ``--rounds R`` repeats the three commands R
times, in turn, and reports each round's ratios and their medians.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def sweep_file(folder: Path, runs: int) -> Path:
    points = 20 if runs >= 20 else runs
    reps = max(1, runs // points)
    values = ", ".join(f"{0.05 + 0.9 * i / max(points - 1, 1):.4f}" for i in range(points))
    f = folder / "bench.toml"
    f.write_text(
        f'base = "baseline"\ndesign = "grid"\nreplicates = {reps}\nseed = 0\n'
        f'[levers]\n"communication.depth" = [{values}]\n'
    )
    return f


def timed(args: list[str]) -> float:
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "sim", "sweep", *args], capture_output=True, text=True, cwd=ROOT)
    if r.returncode:
        raise SystemExit(f"bench_sweep: sesim sweep failed: {r.stderr.strip()}")
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=1, help="repeat serial, local, dask this many times, in turn")
    args = ap.parse_args()
    if min(args.runs, args.workers, args.rounds) < 1:
        ap.error("--runs, --workers and --rounds must be at least 1")
    from analysis.sweep import load_runs

    n, w = args.runs, args.workers
    print(f"sweep of {n} default-baseline runs, wall time of the whole command:", flush=True)
    local_ratios, dask_ratios, same = [], [], True
    for k in range(args.rounds):
        with tempfile.TemporaryDirectory() as d:
            d = Path(d)
            f = sweep_file(d, n)
            t_serial = timed([str(f), "--out", str(d / "serial")])
            t_local = timed([str(f), "--workers", str(w), "--out", str(d / "local")])
            t_dask = timed([str(f), "--backend", "dask", "--workers", str(w), "--out", str(d / "dask")])
            same &= load_runs(d / "serial").equals(load_runs(d / "local")) and load_runs(d / "local").equals(
                load_runs(d / "dask")
            )
        rs, rl, rd = n / t_serial, n / t_local, n / t_dask
        local_ratios.append(rl / rs)
        dask_ratios.append(rd / rl)
        print(f" round {k + 1}")
        print(f"  serial        {t_serial:7.1f} s  {rs:6.3f} runs/s")
        print(f"  local x {w}     {t_local:7.1f} s  {rl:6.3f} runs/s  = {rl / rs:.2f} x serial (goal >= 1.8)")
        print(
            f"  dask  x {w}     {t_dask:7.1f} s  {rd:6.3f} runs/s  = {rd / rl:.2f} x local (goal >= 0.90)", flush=True
        )
    print(
        f"median over {args.rounds} round(s): local x {w} = {statistics.median(local_ratios):.2f} x serial, "
        f"dask x {w} = {statistics.median(dask_ratios):.2f} x local"
    )
    print(f"identical tables on the three backends: {same}")


if __name__ == "__main__":
    main()
