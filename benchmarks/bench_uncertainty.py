"""Benchmark (not a test) of the wall time of

    sesim compare baseline huli_tongqiang_qirong party_led --uncertainty all --draws 32 --workers 2

on this machine, at the default population, into a temporary folder.  Run on a quiet machine:
``.venv/bin/python benchmarks/bench_uncertainty.py [--draws 32] [--workers 2]``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--draws", type=int, default=32)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--mode", default="all")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        cmd = [
            sys.executable,
            "-m",
            "sim",
            "compare",
            "baseline",
            "huli_tongqiang_qirong",
            "party_led",
            "--uncertainty",
            args.mode,
            "--draws",
            str(args.draws),
            "--workers",
            str(args.workers),
            "--out",
            f"{d}/u",
        ]
        t = time.perf_counter()
        r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
        wall = time.perf_counter() - t
        if r.returncode:
            sys.exit(r.stderr)
        runs = 3 * args.draws
        print(r.stdout)
        print(
            f"sesim compare (3 scenarios) --uncertainty {args.mode} --draws {args.draws} on {args.workers} "
            f"local workers: {wall:.1f} s wall ({runs} runs, {runs / wall:.2f} runs/s, tables included)"
        )


if __name__ == "__main__":
    main()
