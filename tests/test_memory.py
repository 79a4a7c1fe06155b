"""Memory of ``run``, ``compare`` and ``sweep`` (docs/odd.md §13): flat in the number of replicates,
and as the pre-run estimate says.

Peaks are measured, not timed: the maximum resident set of the command's process
(``getrusage(RUSAGE_CHILDREN)`` in a fresh wrapper process, so no other child counts), with one
worker, so the command is one process.  Peak memory does not depend on the machine's load.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from sim import resources
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
WRAPPER = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "sys.stderr.write(r.stderr[-2000:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024 if r.returncode == 0 else -1)\n"
)

# three population sizes (entrants during a run: about 1,000, 10,000 and 60,000), short runs
SIZES = {
    "tiny": {
        "population.schools": 2,
        "population.cohort_size": 80,
        "population.firms": 30,
        "population.partners_per_school": 10,
        "run.years": 2,
        "run.warmup_months": 12,
    },
    "region": {
        "population.schools": 6,
        "population.cohort_size": 600,
        "population.firms": 90,
        "run.years": 1,
        "run.warmup_months": 12,
    },
    "large": {
        "population.schools": 20,
        "population.cohort_size": 1500,
        "population.firms": 300,
        "run.years": 1,
        "run.warmup_months": 12,
    },
}
# flat in replicates: a population whose spells would make a held comparison grow by far more than half
FLAT = {
    "population.schools": 2,
    "population.cohort_size": 600,
    "population.firms": 30,
    "population.partners_per_school": 10,
    "run.years": 3,
    "run.warmup_months": 12,
}


def sets(over: dict) -> list[str]:
    return [a for k, v in over.items() for a in ("--set", f"{k}={v}")]


def peak_bytes(*args: str) -> float:
    """The peak resident memory of ``sesim ARGS`` (one process: every command here runs one worker)."""
    r = subprocess.run(
        [sys.executable, "-c", WRAPPER, sys.executable, "-m", "sim", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "SESIM_PROGRESS": "0"},
    )
    value = float(r.stdout.strip().splitlines()[-1])
    assert value > 0, r.stderr
    return value


@pytest.mark.slow
def test_compare_memory_does_not_grow_with_replicates(tmp_path):
    """A comparison keeps a summary row per replicate, not its tables: 200 replicates at most 1.5x
    the peak of 10 (holding every replicate's spells, as sesim did, this population's 200 replicates
    took more than twice the memory of 10)."""
    ten = peak_bytes(
        "compare",
        "baseline",
        "huli_tongqiang_qirong",
        "--seeds",
        "10",
        "--lang",
        "en",
        "--out",
        str(tmp_path / "ten"),
        *sets(FLAT),
    )
    two_hundred = peak_bytes(
        "compare",
        "baseline",
        "huli_tongqiang_qirong",
        "--seeds",
        "200",
        "--lang",
        "en",
        "--out",
        str(tmp_path / "many"),
        *sets(FLAT),
    )
    assert two_hundred <= 1.5 * ten, (ten / 2**20, two_hundred / 2**20)
    assert len((tmp_path / "many" / "summary.csv").read_text().splitlines()) == 401
    assert not (tmp_path / "many.replicates").exists()  # the store goes once the result is written


def sweep_file(tmp_path: Path) -> Path:
    f = tmp_path / "two.toml"
    f.write_text(
        'name = "two"\nbase = "baseline"\ndesign = "grid"\nreplicates = 1\nseed = 0\n\n'
        '[levers]\n"communication.depth" = [0.2, 0.8]\n',
        encoding="utf-8",
    )
    return f


@pytest.mark.slow
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("command", ["run", "compare", "sweep"])
def test_the_estimate_is_within_half_of_the_measured_peak(tmp_path, command, size):
    over = SIZES[size]
    params = load_scenario("baseline", over).params
    out = str(tmp_path / "o")
    if command == "run":
        measured = peak_bytes("run", "baseline", "--seeds", "2", "--out", out, *sets(over))
        est = resources.estimate([params], 2, 1)
    elif command == "compare":
        measured = peak_bytes(
            "compare", "baseline", "craftsman", "--seeds", "2", "--lang", "en", "--out", out, *sets(over)
        )
        est = resources.estimate([params, load_scenario("craftsman", over).params], 2, 1)
    else:
        measured = peak_bytes("sweep", str(sweep_file(tmp_path)), "--out", out, *sets(over))
        est = resources.estimate([params], 2, 1, keep_results=False)
    share = est.peak_bytes / measured - 1
    print(
        json.dumps(
            {
                "command": command,
                "size": size,
                "measured_mb": round(measured / 2**20),
                "estimate_mb": round(est.peak_bytes / 2**20),
            }
        )
    )
    assert abs(share) <= resources.TOLERANCE, (command, size, measured / 2**20, est.peak_bytes / 2**20)


def test_a_precision_comparison_is_estimated_by_its_batch_not_its_maximum():
    """With --precision the memory no longer grows with the replicates, so the estimate of a batch
    of 10 and of the 500 replicates at most differ only by the summary rows."""
    p = [load_scenario("baseline").params, load_scenario("craftsman").params]
    batch, most = resources.estimate(p, 10, 1), resources.estimate(p, 500, 1)
    assert most.peak_bytes <= 1.1 * batch.peak_bytes
    assert most.seconds > 40 * batch.seconds  # time still grows with the replicates


# flat in years: a population whose students and spells, kept for the whole run as sesim did,
# made twenty reported years take 1.38x the peak of ten (467 and 646 MB)
LONG_RUN = {"population.schools": 6, "population.cohort_size": 3000, "population.firms": 200, "run.warmup_months": 12}


@pytest.mark.slow
def test_a_replicate_of_twenty_years_needs_at_most_a_fifth_more_memory_than_one_of_ten(tmp_path):
    """Students who left follow-up are folded into counters and spell rows are written as they
    become final (docs/odd.md §13): twenty reported years at most 1.2x the peak of ten."""
    ten = peak_bytes(
        "run", "baseline", "--seeds", "1", "--years", "10", "--out", str(tmp_path / "ten"), *sets(LONG_RUN)
    )
    twenty = peak_bytes(
        "run", "baseline", "--seeds", "1", "--years", "20", "--out", str(tmp_path / "twenty"), *sets(LONG_RUN)
    )
    assert twenty <= 1.2 * ten, (ten / 2**20, twenty / 2**20)
    import pandas as pd

    spells = pd.read_parquet(tmp_path / "twenty" / "spells.parquet", columns=["start_month"])
    assert spells["start_month"].max() >= 12 * 19  # the spells of all twenty years were written
