"""Holding runs of sesim subprocesses, so that a test which kills or interrupts a sweep after its
first batch file lands part-way however fast the machine is (see held/sitecustomize.py)."""
from __future__ import annotations

import os
import time
from pathlib import Path

HELD = Path(__file__).resolve().parent / "held"      # its sitecustomize.py holds the runs


def held(tmp_path: Path, first_held: int, seeds: tuple[int, ...] = ()) -> tuple[dict[str, str], Path]:
    """An environment in which every sesim process holds runs from id ``first_held`` on (of the
    given seeds only, if any) until the returned release file exists, with dask-jobqueue imported
    through sesim's import path."""
    release = tmp_path / "release"
    path = os.pathsep.join(p for p in (str(HELD), os.environ.get("PYTHONPATH", "")) if p)
    return dict(os.environ, PYTHONPATH=path, PYTHONUNBUFFERED="1", SESIM_TEST_HOLD=str(first_held),
                SESIM_TEST_HOLD_SEEDS=",".join(map(str, seeds)), SESIM_TEST_RELEASE=str(release)), release


def wait_for_batch(runs: Path, limit: float = 300.0) -> None:
    """Wait (at a relaxed pace, with a generous limit) until ``runs`` holds a batch file."""
    deadline = time.monotonic() + limit
    while not list(runs.glob("runs-*.parquet")):
        assert time.monotonic() < deadline, f"no batch file in {runs} after {limit:.0f} s"
        time.sleep(0.05)
