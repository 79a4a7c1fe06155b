"""Holding runs of sesim subprocesses, so that a test which kills or interrupts a sweep after its
first batch file lands part-way however fast the machine is (see held/sitecustomize.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

HELD = Path(__file__).resolve().parent / "held"  # its sitecustomize.py holds the runs


def held(tmp_path: Path, first_held: int, seeds: tuple[int, ...] = ()) -> tuple[dict[str, str], Path]:
    """An environment in which every sesim process holds runs from id ``first_held`` on (of the
    given seeds only, if any) until the returned release file exists, with dask-jobqueue imported
    through sesim's import path."""
    release = tmp_path / "release"
    path = os.pathsep.join(p for p in (str(HELD), os.environ.get("PYTHONPATH", "")) if p)
    return dict(
        os.environ,
        PYTHONPATH=path,
        PYTHONUNBUFFERED="1",
        SESIM_TEST_HOLD=str(first_held),
        SESIM_TEST_HOLD_SEEDS=",".join(map(str, seeds)),
        SESIM_TEST_RELEASE=str(release),
    ), release


def wait_for_batch(runs: Path, limit: float = 300.0) -> None:
    """Wait (at a relaxed pace, with a generous limit) until ``runs`` holds a batch file."""
    deadline = time.monotonic() + limit
    while not list(runs.glob("runs-*.parquet")):
        assert time.monotonic() < deadline, f"no batch file in {runs} after {limit:.0f} s"
        time.sleep(0.05)


def interrupt_after_batch(
    argv: list[str], env: dict[str, str], release: Path, runs: Path, meanwhile: Callable[[], Any] | None = None
) -> tuple[int, str, Any]:
    """Run ``sesim ARGV`` in a process group of its own, wait until ``runs`` holds a batch file,
    call ``meanwhile`` (if given), then send SIGINT to the group as a terminal's Ctrl-C does.  The
    held runs are released and the process killed whatever happens.  Returns its exit code, its
    stderr and what ``meanwhile`` returned."""
    p = subprocess.Popen(
        [sys.executable, "-m", "sim", *argv],
        start_new_session=True,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    got = None
    try:
        wait_for_batch(runs)
        if meanwhile is not None:
            got = meanwhile()
        os.killpg(p.pid, signal.SIGINT)
        _, err = p.communicate(timeout=300)
    finally:
        release.touch()
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    return p.returncode, err, got
