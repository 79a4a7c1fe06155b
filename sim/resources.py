"""Memory and time a command will need, estimated before it starts (docs/odd.md §13).

Before a run, sesim estimates the peak memory and the wall time from the population and the
number of replicates, and refuses, in one line with the estimate and the machine's free memory,
what cannot fit.

Replicates stream to disk as they finish (:mod:`sim.replicates`), so the memory of ``run`` and
``compare`` does not grow with the number of replicates: a process holds Python and its
libraries, one running model, the tables of the replicates a task carries and a row group being
written; the command's own process adds a summary row per replicate.  A running model holds the
cohorts in school and in follow-up (students who left are folded into counters, :mod:`sim.folding`,
and spell rows go to disk as they become final), so its memory depends on the size of a cohort,
not on the number of years.  The memory is the sum over
the command's processes (with ``--workers N`` the command and N workers).  The coefficients were
measured with ``resource.getrusage`` (``benchmarks/bench_scale.py`` prints the figures) on the
default baseline (6 schools x 600 students a year, 36 warm-up months + 10 years), at 10 times
its students and at a province's size; ``tests/test_memory.py`` checks that estimate and measured peak agree within
:data:`TOLERANCE` for run, compare and sweep at three population sizes.  A replicate takes about
35 µs of one core per entrant (1.6 s at the default on this project's 2-core reference machine).
Estimates are rounded up by :data:`MARGIN`; they are guides, not guarantees.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .params import Params

PROCESS_MB = 200.0  # a Python process with NumPy, pandas, PyArrow, Mesa loaded
MODEL_KB_PER_ROW = 0.4  # a running model per student row it holds (sim.model.COHORT_ROOM cohorts),
# with the month's working copies of the students in the window
RESULT_KB_PER_ENTRANT = 0.05  # one replicate's tables in flight: its spells as Parquet bytes
ROW_GROUP_MB = 30.0  # a row group of an output table being written, with its conversion
SUMMARY_KB_PER_ROW = 6.0  # a summary row the command keeps per replicate and scenario
SECONDS_PER_ENTRANT = 35e-6  # one replicate's compute time on one core
MARGIN = 1.25
TOLERANCE = 0.5  # the estimate is within this share of the measured peak (tested)
USABLE_SHARE = 0.9  # of the memory the system reports available
MAX_SEEDS = 10_000  # replicates per command (a sweep spreads more over a cluster)


@dataclass(frozen=True)
class Estimate:
    peak_bytes: float
    seconds: float

    def text(self) -> str:
        from .progress import format_seconds

        return f"about {format_bytes(self.peak_bytes)} of memory and {format_seconds(self.seconds)}"


def entrants(p: Params) -> float:
    """Students who enter during a run (warm-up included)."""
    years = p.run.warmup_months / 12 + p.run.years
    return p.population.schools * p.population.cohort_size * years


def held_rows(p: Params) -> float:
    """Student rows a running model holds: room for the cohorts in school and in follow-up."""
    from .model import COHORT_ROOM

    return p.population.schools * p.population.cohort_size * COHORT_ROOM


def estimate(params: list[Params], replicates: int, workers: int, keep_results: bool = True) -> Estimate:
    """Peak memory (summed over the command's processes) and wall time of ``replicates`` runs of
    each of ``params`` on ``workers`` processes.

    ``keep_results``: each replicate's tables are stored (run, compare: the replicates a task
    carries are in memory until they are written); a sweep or an explanation keeps a row per run."""
    from .replicates import batch_most

    model_mb = max(MODEL_KB_PER_ROW * held_rows(p) / 1024 for p in params)
    workers = max(1, min(workers, replicates * len(params)))
    # a replicate's tables in flight between processes (in the command's own process its spells
    # are a file, moved into the store)
    result_mb = max(RESULT_KB_PER_ENTRANT * entrants(p) / 1024 for p in params) * keep_results * (workers > 1)
    task_mb = model_mb + batch_most(workers) * result_mb
    pool_mb = workers * (PROCESS_MB + task_mb) + workers * batch_most(workers) * result_mb if workers > 1 else task_mb
    rows_mb = SUMMARY_KB_PER_ROW * replicates * len(params) / 1024
    writing_mb = ROW_GROUP_MB * keep_results
    peak = MARGIN * (PROCESS_MB + pool_mb + rows_mb + writing_mb) * 2**20
    cpu = sum(SECONDS_PER_ENTRANT * entrants(p) for p in params) * replicates
    return Estimate(peak, MARGIN * cpu / workers)


def available_bytes() -> float | None:
    """Memory the system can give this process now: MemAvailable, capped by a cgroup limit."""
    avail = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                avail = float(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    if avail is None:
        try:
            avail = float(os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
        except (ValueError, OSError, AttributeError):
            return None
    for limit_file, usage_file in (("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),):
        try:
            limit = Path(limit_file).read_text().strip()
            if limit != "max":
                avail = min(avail, float(limit) - float(Path(usage_file).read_text()))
        except (OSError, ValueError):
            pass
    return avail


def format_bytes(b: float) -> str:
    for unit, size in (("GB", 2**30), ("MB", 2**20)):
        if b >= size or unit == "MB":
            return f"{b / size:.1f} {unit}"
    return f"{b:.0f} B"


def check_fits(params: list[Params], replicates: int, workers: int, what: str, keep_results: bool = True) -> Estimate:
    """Refuse, in one line, a command whose estimated peak memory exceeds what the machine has free."""
    from .scenario import ScenarioError

    est = estimate(params, replicates, workers, keep_results)
    avail = available_bytes()
    if avail is not None and est.peak_bytes > USABLE_SHARE * avail:
        fewer = "fewer --workers, " if workers > 1 else ""
        raise ScenarioError(
            f"{what}: needs {est.text()}, but this machine has {format_bytes(avail)} free; "
            f"use {fewer}a smaller population, or a cluster (--backend dask --cluster slurm)"
        )
    return est
